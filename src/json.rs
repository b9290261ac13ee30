//! The server's JSON text: split into list items (validated, as slices of it, with an
//! element cap and a depth cap, and the string members a list reads found in the same
//! pass) and re-indented verbatim. Re-indenting the tokens instead of round-tripping
//! through `serde_json::Value` keeps numbers, escapes and key order exactly as sent,
//! and is several times faster. Nesting is tracked on a heap bit stack, not the call
//! stack, so depth has no limit.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer as _, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::text::is_unsafe;

/// Why a text is not the JSON expected, and the byte offset where that was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    reason: Reason,
    at: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Reason {
    Expected(&'static str),
    End,
    Number,
    Control,
    Escape,
    Trailing,
    TooMany(usize),
    TooDeep,
    /// A member an object has more than once.
    Duplicate(Box<str>),
    /// serde_json's own words (its position left out: `at` has it).
    Json(Box<str>),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            Reason::Expected(what) => write!(f, "expected {what}")?,
            Reason::End => f.write_str("unexpected end of input")?,
            Reason::Number => f.write_str("invalid number")?,
            Reason::Control => f.write_str("control character in a string")?,
            Reason::Escape => f.write_str("invalid escape")?,
            Reason::Trailing => f.write_str("trailing characters")?,
            Reason::TooMany(max) => write!(f, "more than {max} items")?,
            Reason::TooDeep => write!(f, "nested deeper than {MAX_DEPTH} levels")?,
            Reason::Duplicate(name) => write!(f, "duplicate field `{name}`")?,
            Reason::Json(why) => f.write_str(why)?,
        }
        write!(f, " at byte {}", self.at)
    }
}

impl std::error::Error for Error {}

/// Deepest nesting accepted in a response.
pub const MAX_DEPTH: usize = 1000;

fn err<T>(reason: Reason, at: usize) -> Result<T, Error> {
    Err(Error { reason, at })
}

impl Error {
    /// A serde_json error on `raw`, its line and column turned into a byte offset.
    fn of_serde(raw: &str, e: &serde_json::Error) -> Error {
        let mut why = e.to_string();
        if let Some(n) = why.rfind(&format!(" at line {} column {}", e.line(), e.column())) {
            why.truncate(n);
        }
        let line_start = match e.line() {
            0 | 1 => 0,
            n => raw
                .match_indices('\n')
                .nth(n - 2)
                .map_or(raw.len(), |(i, _)| i + 1),
        };
        Error {
            reason: Reason::Json(why.into()),
            at: (line_start + e.column().saturating_sub(1)).min(raw.len()),
        }
    }
}

/// `raw` (one JSON value) re-indented as `serde_json::to_string_pretty` prints
/// it, with number and string tokens copied as they are (see [`compact`]).
pub fn pretty(raw: &str, out: &mut Vec<u8>) -> Result<(), Error> {
    out.reserve(raw.len() + raw.len() / 2);
    document::<PRETTY>(raw, out, 0)
}

/// `raw` (one JSON value) without whitespace, as `serde_json::to_string` prints
/// it. Number and string tokens are copied byte for byte, except that inside
/// strings DEL, C1 controls and bidi/invisible characters become `\uXXXX`
/// (the same JSON value, but harmless on a terminal).
pub fn compact(raw: &str, out: &mut Vec<u8>) -> Result<(), Error> {
    out.reserve(raw.len());
    document::<COMPACT>(raw, out, 0)
}

/// A pretty array of raw JSON values: the same text as [`pretty`] of
/// `[` + the items joined by `,` + `]`, without building that string.
/// Error offsets count from the start of the failing item. (The list prints its
/// items one at a time; this is what that output is tested against.)
#[cfg(test)]
pub fn pretty_array<'a>(
    items: impl IntoIterator<Item = &'a str>,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    out.push(b'[');
    let mut empty = true;
    for item in items {
        out.extend_from_slice(if empty { b"\n  " } else { b",\n  " });
        empty = false;
        document::<PRETTY>(item, out, 1)?;
    }
    out.extend_from_slice(if empty { b"]" } else { b"\n]" });
    Ok(())
}

/// `raw` (one JSON value) as [`pretty`] prints it nested `depth` levels deep: what
/// [`pretty_array`] writes for each item at depth 1.
pub fn pretty_at(raw: &str, out: &mut Vec<u8>, depth: usize) -> Result<(), Error> {
    document::<PRETTY>(raw, out, depth)
}

/// For a valid JSON value: fails where the printer, printing it nested `depth` levels
/// deep, would refuse it as too deep (what serde_json does not check).
pub fn check_depth(raw: &str, depth: usize) -> Result<(), Error> {
    match too_deep(raw.as_bytes(), depth) {
        Some(at) => err(Reason::TooDeep, at),
        None => Ok(()),
    }
}

/// The elements of the top-level array, each a validated, trimmed slice of
/// `raw`. Fails at element `max + 1`, so a huge list of tiny values cannot make
/// us allocate a slice for each, and at an element nested so deep that
/// [`pretty_array`] would refuse it.
pub fn array_items(raw: &str, max: usize) -> Result<Vec<&str>, Error> {
    let items = array_objects(raw, max, &[])?;
    Ok(items.into_iter().map(|(item, [])| item).collect())
}

/// Where in an object the string values of some of its members are: start and end of
/// each token, quotes included, from the object's first byte, the end with [`ESCAPED`]
/// set when the token has an escape; `(0, 0)` for a member that is absent or whose
/// value is not a string. See [`span_text`].
pub type Spans<const N: usize> = [(u32, u32); N];

/// Set in a span's end when its string has an escape (offsets are below 2^31: a body's
/// cap is 256 MiB).
const ESCAPED: u32 = 1 << 31;

/// The text of a span's string in `raw` (the text the spans count in), escapes decoded;
/// `None` for no string.
pub fn span_text(raw: &str, (start, end): (u32, u32)) -> Option<Cow<'_, str>> {
    let token = raw.get(start as usize..(end & !ESCAPED) as usize)?;
    if end & ESCAPED == 0 {
        token.get(1..token.len().checked_sub(1)?).map(Cow::Borrowed)
    } else {
        decode(token)
    }
}

/// One pass over a list: the elements of the top-level array, each a validated,
/// trimmed slice of `raw` as [`array_items`] gives them (the same caps), and for an
/// element that is an object the [`Spans`] of its members `names` (none for any other
/// value). A name given twice in one object fails, as serde's derive does.
pub fn array_objects<'a, const N: usize>(
    raw: &'a str,
    max: usize,
    names: &[&str; N],
) -> Result<Vec<(&'a str, Spans<N>)>, Error> {
    let s = raw.as_bytes();
    let mut i = ws(s, 0);
    if s.get(i) != Some(&b'[') {
        return err(missing(s, i, "an array"), i);
    }
    let mut items = Vec::new();
    i = ws(s, i + 1);
    if s.get(i) == Some(&b']') {
        end(s, i + 1)?;
        return Ok(items);
    }
    loop {
        i = ws(s, i);
        if items.len() == max {
            return err(Reason::TooMany(max), i);
        }
        let start = i;
        let spans;
        (i, spans) = if s.get(i) == Some(&b'{') {
            object(s, i, start, names)?
        } else {
            (value::<SKIP>(s, i, &mut Vec::new(), 1)?, [(0, 0); N])
        };
        items.push((&raw[start..i], spans));
        i = ws(s, i);
        match s.get(i) {
            Some(b',') => i += 1,
            Some(b']') => break,
            Some(_) => return err(Reason::Expected("',' or ']'"), i),
            None => return err(Reason::End, i),
        }
    }
    end(s, i + 1)?;
    Ok(items)
}

/// The [`Spans`] of the members `names` of one object, validated whole; here they
/// count from the first byte of `raw`, which may start with whitespace.
pub fn object_spans<const N: usize>(raw: &str, names: &[&str; N]) -> Result<Spans<N>, Error> {
    let s = raw.as_bytes();
    let i = ws(s, 0);
    if s.get(i) != Some(&b'{') {
        return err(missing(s, i, "an object"), i);
    }
    let (after, spans) = object(s, i, 0, names)?;
    end(s, after)?;
    Ok(spans)
}

/// The object at `start` (on its `{`), nested as a list's element (members at depth 2):
/// the offset just past it and its spans, counted from `base`.
fn object<const N: usize>(
    s: &[u8],
    start: usize,
    base: usize,
    names: &[&str; N],
) -> Result<(usize, Spans<N>), Error> {
    let mut spans = [(0, 0); N];
    let mut seen = [false; N];
    let mut i = ws(s, start + 1);
    if s.get(i) == Some(&b'}') {
        return Ok((i + 1, spans));
    }
    let skip = &mut Vec::new();
    loop {
        i = ws(s, i);
        if s.get(i) != Some(&b'"') {
            return err(missing(s, i, "a string key"), i);
        }
        let key = i;
        let escaped;
        (i, escaped) = string::<SKIP>(s, i, skip)?;
        let name = if escaped {
            // A key written with escapes is the name it decodes to.
            std::str::from_utf8(&s[key..i])
                .ok()
                .and_then(decode)
                .and_then(|k| names.iter().position(|n| *n == k))
        } else {
            let k = &s[key + 1..i - 1];
            names.iter().position(|n| n.as_bytes() == k)
        };
        i = colon::<SKIP>(s, i, skip)?;
        i = ws(s, i);
        let at = i;
        let mut escaped = false;
        if s.get(i) == Some(&b'"') {
            (i, escaped) = string::<SKIP>(s, i, skip)?;
        } else {
            i = value::<SKIP>(s, i, skip, 2)?;
        }
        if let Some(n) = name {
            if std::mem::replace(&mut seen[n], true) {
                return err(Reason::Duplicate(names[n].into()), key);
            }
            // Only a string value is kept; offsets past 2^31 (not in a body within its
            // cap) count as absent.
            let span = (u32::try_from(at - base), u32::try_from(i - base));
            if s[at] == b'"'
                && let (Ok(a), Ok(b)) = span
                && b < ESCAPED
            {
                spans[n] = (a, if escaped { b | ESCAPED } else { b });
            }
        }
        i = ws(s, i);
        match s.get(i) {
            Some(b',') => i += 1,
            Some(b'}') => return Ok((i + 1, spans)),
            Some(_) => return err(Reason::Expected("',' or '}'"), i),
            None => return err(Reason::End, i),
        }
    }
}

/// In a valid JSON value printed at nesting `depth`: the offset of the first
/// container that [`pretty`] would refuse as too deep, if any. Empty containers
/// do not count, as there.
fn too_deep(s: &[u8], depth: usize) -> Option<usize> {
    // Refusing takes MAX_DEPTH - depth + 1 nested non-empty containers, 3 bytes or more
    // each: a shorter value (every real export) needs no scan.
    if s.len() <= 2 * MAX_DEPTH.saturating_sub(depth) + 2 {
        return None;
    }
    let mut open = depth;
    let mut i = 0;
    while let Some(&b) = s.get(i) {
        i += 1;
        match b {
            b'"' => loop {
                i = plain(s, i);
                match s.get(i) {
                    Some(b'"') => break i += 1,
                    Some(b'\\') => i += 2,
                    Some(_) => i += 1,
                    None => return None,
                }
            },
            b'[' | b'{' => {
                let next = ws(s, i);
                if matches!(s.get(next), Some(b']' | b'}')) {
                    i = next + 1;
                } else if open >= MAX_DEPTH {
                    return Some(next);
                } else {
                    open += 1;
                }
            }
            b']' | b'}' => open = open.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The value of the first of `names` that the top-level object has (at its
/// first occurrence), raw and trimmed.
pub fn member<'a>(raw: &'a str, names: &[&str]) -> Result<Option<&'a str>, Error> {
    let start = ws(raw.as_bytes(), 0);
    if raw.as_bytes().get(start) != Some(&b'{') {
        return err(missing(raw.as_bytes(), start, "an object"), start);
    }
    let mut de = serde_json::Deserializer::from_str(raw);
    de.deserialize_map(Member(names))
        .and_then(|found| de.end().map(|()| found))
        .map_err(|e| Error::of_serde(raw, &e))
}

struct Member<'n>(&'n [&'n str]);

impl<'de> Visitor<'de> for Member<'_> {
    type Value = Option<&'de str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // (rank in `names`, value): only the best so far is kept, not every member.
        let mut best: Option<(usize, &'de str)> = None;
        while let Some(key) = map.next_key::<&'de RawValue>()? {
            let value = map.next_value::<&'de RawValue>()?.get();
            let key = str_value(key.get()).unwrap_or_default();
            let rank = self.0.iter().position(|n| *n == key);
            if let Some(rank) = rank.filter(|r| best.is_none_or(|(b, _)| r < &b)) {
                best = Some((rank, value));
            }
        }
        Ok(best.map(|(_, value)| value))
    }
}

/// The text of a raw JSON string token, escapes decoded (borrowed when it has
/// none); escapes that are not valid UTF-16 (a lone surrogate, what a cut emoji
/// gives) become U+FFFD. `None` for any other value.
pub fn str_value(raw: &str) -> Option<Cow<'_, str>> {
    if raw.starts_with('"') {
        decode(raw)
    } else {
        None
    }
}

// What `value` writes: nothing (it only checks and finds the end), compact or pretty text.
const SKIP: u8 = 0;
const COMPACT: u8 = 1;
const PRETTY: u8 = 2;

fn put<const M: u8>(out: &mut Vec<u8>, bytes: &[u8]) {
    if M != SKIP {
        out.extend_from_slice(bytes);
    }
}

fn document<const M: u8>(raw: &str, out: &mut Vec<u8>, depth: usize) -> Result<(), Error> {
    let s = raw.as_bytes();
    let i = value::<M>(s, 0, out, depth)?;
    end(s, ws(s, i))
}

fn end(s: &[u8], i: usize) -> Result<(), Error> {
    let i = ws(s, i);
    if i < s.len() {
        return err(Reason::Trailing, i);
    }
    Ok(())
}

/// "Unexpected end" when the input ran out, else "expected `what`".
fn missing(s: &[u8], i: usize, what: &'static str) -> Reason {
    if i < s.len() {
        Reason::Expected(what)
    } else {
        Reason::End
    }
}

fn ws(s: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = s.get(i) {
        i += 1;
    }
    i
}

/// Open containers, one bit each (1 = object): a 256 MiB body of `[` costs 32 MiB here.
#[derive(Default)]
struct Stack {
    bits: Vec<u64>,
    len: usize,
}

impl Stack {
    fn push(&mut self, object: bool) {
        let (word, bit) = (self.len / 64, self.len % 64);
        if word == self.bits.len() {
            self.bits.push(0);
        }
        if let Some(w) = self.bits.get_mut(word) {
            *w = (*w & !(1 << bit)) | (u64::from(object) << bit);
        }
        self.len += 1;
    }

    fn top(&self) -> Option<bool> {
        let n = self.len.checked_sub(1)?;
        Some(self.bits.get(n / 64)? >> (n % 64) & 1 == 1)
    }
}

/// Scans the value at `i` (after optional whitespace), writes it at nesting
/// `depth` and returns the offset just past it.
fn value<const M: u8>(
    s: &[u8],
    mut i: usize,
    out: &mut Vec<u8>,
    depth: usize,
) -> Result<usize, Error> {
    let mut stack = Stack::default();
    loop {
        // A value starts here.
        i = ws(s, i);
        match s.get(i) {
            Some(&open @ (b'[' | b'{')) => {
                let object = open == b'{';
                let close = if object { b'}' } else { b']' };
                i = ws(s, i + 1);
                if s.get(i) == Some(&close) {
                    i += 1;
                    put::<M>(out, &[open, close]);
                } else {
                    // Pretty output grows with the square of the depth: a small body nested
                    // 200,000 deep would need tens of GB. No real export nests past a few.
                    if depth + stack.len >= MAX_DEPTH {
                        return err(Reason::TooDeep, i);
                    }
                    stack.push(object);
                    put::<M>(out, &[open]);
                    newline::<M>(out, depth + stack.len);
                    if object {
                        i = key::<M>(s, i, out)?;
                    }
                    continue;
                }
            }
            Some(b'"') => i = string::<M>(s, i, out)?.0,
            Some(b'-' | b'0'..=b'9') => i = number::<M>(s, i, out)?,
            Some(b't') => i = literal::<M>(s, i, b"true", out)?,
            Some(b'f') => i = literal::<M>(s, i, b"false", out)?,
            Some(b'n') => i = literal::<M>(s, i, b"null", out)?,
            Some(_) => return err(Reason::Expected("a value"), i),
            None => return err(Reason::End, i),
        }
        // A value ended: close containers until one has a next item.
        loop {
            let Some(object) = stack.top() else {
                return Ok(i);
            };
            let close = if object { b'}' } else { b']' };
            i = ws(s, i);
            match s.get(i) {
                Some(b',') => {
                    i += 1;
                    put::<M>(out, b",");
                    newline::<M>(out, depth + stack.len);
                    if object {
                        i = key::<M>(s, i, out)?;
                    }
                    break;
                }
                Some(&c) if c == close => {
                    i += 1;
                    stack.len -= 1;
                    newline::<M>(out, depth + stack.len);
                    put::<M>(out, &[close]);
                }
                Some(_) if object => return err(Reason::Expected("',' or '}'"), i),
                Some(_) => return err(Reason::Expected("',' or ']'"), i),
                None => return err(Reason::End, i),
            }
        }
    }
}

fn newline<const M: u8>(out: &mut Vec<u8>, depth: usize) {
    // One copy for the usual shallow lines.
    const LINE: &[u8; 65] = b"\n                                                                ";
    if M == PRETTY {
        if let Some(line) = LINE.get(..1 + 2 * depth) {
            out.extend_from_slice(line);
        } else {
            out.push(b'\n');
            out.resize(out.len() + 2 * depth, b' ');
        }
    }
}

/// An object key and its colon; returns the offset after the colon.
fn key<const M: u8>(s: &[u8], i: usize, out: &mut Vec<u8>) -> Result<usize, Error> {
    let i = ws(s, i);
    if s.get(i) != Some(&b'"') {
        return err(missing(s, i, "a string key"), i);
    }
    let i = string::<M>(s, i, out)?.0;
    colon::<M>(s, i, out)
}

fn colon<const M: u8>(s: &[u8], i: usize, out: &mut Vec<u8>) -> Result<usize, Error> {
    let i = ws(s, i);
    if s.get(i) != Some(&b':') {
        return err(missing(s, i, "':'"), i);
    }
    put::<M>(out, if M == PRETTY { b": " } else { b":" });
    Ok(i + 1)
}

/// Bytes that end a run of plain string text: the quote, a backslash, raw
/// controls, DEL and non-ASCII (a character `is_unsafe` may name).
static STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = b < 0x20 || b >= 0x7f || b == b'"' as usize || b == b'\\' as usize;
        b += 1;
    }
    t
};

/// The end of the run of plain string bytes at `i`. Eight bytes at a time
/// (ASCII text is most of a body): stops at the first byte that is a quote, a
/// backslash, below 0x20, DEL or non-ASCII, and leaves that byte to `string`.
fn plain(s: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    // High bit of each byte of `x` that is zero; exact for the lowest such byte.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    while let Some(&chunk) = s.get(i..).and_then(|r| r.first_chunk::<8>()) {
        let x = u64::from_le_bytes(chunk);
        let stop = (x.wrapping_sub(ONES * 0x20) & !x)
            | zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')))
            | zero(x ^ (ONES * 0x7f))
            | x;
        let stop = stop & HIGH;
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while s.get(i).is_some_and(|&b| !STOP[usize::from(b)]) {
        i += 1;
    }
    i
}

/// The string token at `i` (on its quote); returns the offset after it, and whether it
/// has an escape.
fn string<const M: u8>(s: &[u8], i: usize, out: &mut Vec<u8>) -> Result<(usize, bool), Error> {
    let mut copied = i; // bytes before this are written
    let mut i = i + 1;
    let mut escaped = false;
    loop {
        i = plain(s, i);
        match s.get(i) {
            None => return err(Reason::End, i),
            Some(b'"') => {
                i += 1;
                put::<M>(out, &s[copied..i]);
                return Ok((i, escaped));
            }
            Some(b'\\') => {
                escaped = true;
                match s.get(i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                    Some(b'u')
                        if s.get(i + 2..i + 6)
                            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
                    {
                        i += 6;
                    }
                    Some(_) => return err(Reason::Escape, i),
                    None => return err(Reason::End, i + 1),
                }
            }
            Some(0..0x20) => return err(Reason::Control, i),
            Some(_) => match char_at(s, i) {
                Some(c) if M != SKIP && is_unsafe(c) => {
                    out.extend_from_slice(&s[copied..i]);
                    escape(c, out);
                    i += c.len_utf8();
                    copied = i;
                }
                Some(c) => i += c.len_utf8(),
                None => i += 1,
            },
        }
    }
}

/// The character starting at byte `i` of UTF-8 text.
fn char_at(s: &[u8], i: usize) -> Option<char> {
    let len = match s.get(i)? {
        0..0x80 => 1,
        0xc0..0xe0 => 2,
        0xe0..0xf0 => 3,
        _ => 4,
    };
    std::str::from_utf8(s.get(i..i + len)?).ok()?.chars().next()
}

/// `c` as JSON escapes: `\uXXXX`, or a surrogate pair of them above U+FFFF.
fn escape(c: char, out: &mut Vec<u8>) {
    let mut units = [0; 2];
    for unit in c.encode_utf16(&mut units) {
        out.extend_from_slice(b"\\u");
        for shift in [12, 8, 4, 0] {
            out.push(b"0123456789abcdef"[usize::from(*unit >> shift) & 0xf]);
        }
    }
}

fn number<const M: u8>(s: &[u8], start: usize, out: &mut Vec<u8>) -> Result<usize, Error> {
    let digits = |mut i: usize| -> Result<usize, Error> {
        match s.get(i) {
            Some(b'0'..=b'9') => {}
            Some(_) => return err(Reason::Number, i),
            None => return err(Reason::End, i),
        }
        while let Some(b'0'..=b'9') = s.get(i) {
            i += 1;
        }
        Ok(i)
    };
    let mut i = start + usize::from(s.get(start) == Some(&b'-'));
    i = match s.get(i) {
        // A leading zero is the whole integer part (`01` is not a number).
        Some(b'0') if matches!(s.get(i + 1), Some(b'0'..=b'9')) => {
            return err(Reason::Number, i + 1);
        }
        Some(b'0') => i + 1,
        _ => digits(i)?,
    };
    if s.get(i) == Some(&b'.') {
        i = digits(i + 1)?;
    }
    if let Some(b'e' | b'E') = s.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = s.get(i) {
            i += 1;
        }
        i = digits(i)?;
    }
    put::<M>(out, &s[start..i]);
    Ok(i)
}

fn literal<const M: u8>(
    s: &[u8],
    i: usize,
    word: &[u8],
    out: &mut Vec<u8>,
) -> Result<usize, Error> {
    let rest = &s[i..];
    if rest.starts_with(word) {
        put::<M>(out, word);
        Ok(i + word.len())
    } else if word.starts_with(rest) {
        err(Reason::End, s.len())
    } else {
        err(Reason::Expected("a value"), i)
    }
}

/// Decodes a validated string token (quotes included). Escapes that are not
/// valid UTF-16 give U+FFFD.
fn decode(token: &str) -> Option<Cow<'_, str>> {
    let inner = token.get(1..token.len().checked_sub(1)?)?;
    if !inner.contains('\\') {
        return Some(Cow::Borrowed(inner));
    }
    let mut text = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(at) = rest.find('\\') {
        text.push_str(&rest[..at]);
        let esc = rest.as_bytes().get(at + 1)?;
        rest = rest.get(at + 2..)?;
        let c = match esc {
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let (unit, after) = hex4(rest)?;
                rest = after;
                let pair = if (0xd800..0xdc00).contains(&unit) {
                    rest.strip_prefix("\\u")
                        .and_then(hex4)
                        .filter(|(low, _)| (0xdc00..0xe000).contains(low))
                } else {
                    None
                };
                let code = match pair {
                    Some((low, after)) => {
                        rest = after;
                        0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)
                    }
                    None => unit,
                };
                char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
            }
            &other => char::from(other),
        };
        text.push(c);
    }
    text.push_str(rest);
    Some(Cow::Owned(text))
}

fn hex4(s: &str) -> Option<(u32, &str)> {
    let digits = s.get(..4)?;
    Some((u32::from_str_radix(digits, 16).ok()?, &s[4..]))
}

/// (Tests only: `--jq` reads them itself now.) Valid JSON `raw` with each lone surrogate escape (`\ud83d` not followed by a low
/// one, or a low one alone) written `\ufffd`: the same text for readers, such as
/// jaq's, that refuse them. Borrowed when there is none.
#[cfg(test)]
pub fn without_lone_surrogates(raw: &str) -> Cow<'_, str> {
    let s = raw.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    // In valid JSON a backslash only starts an escape inside a string.
    while let Some(at) = raw.get(i..).and_then(|r| r.find('\\')) {
        i += at;
        if s.get(i + 1) != Some(&b'u') {
            i += 2;
            continue;
        }
        let unit = hex4(raw.get(i + 2..).unwrap_or_default()).map_or(0, |(u, _)| u);
        let paired = (0xd800..0xdc00).contains(&unit)
            && raw
                .get(i + 6..)
                .and_then(|r| r.strip_prefix("\\u"))
                .and_then(hex4)
                .is_some_and(|(low, _)| (0xdc00..0xe000).contains(&low));
        if paired {
            i += 12;
        } else if (0xd800..0xe000).contains(&unit) {
            let text = out.get_or_insert_with(|| String::with_capacity(raw.len()));
            text.push_str(&raw[copied..i]);
            text.push_str("\\ufffd");
            i += 6;
            copied = i;
        } else {
            i += 6;
        }
    }
    match out {
        Some(mut text) => {
            text.push_str(&raw[copied..]);
            Cow::Owned(text)
        }
        None => Cow::Borrowed(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;
    use std::fmt::Write as _;

    fn pretty_s(raw: &str) -> Result<String, Error> {
        let mut out = Vec::new();
        pretty(raw, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    fn compact_s(raw: &str) -> Result<String, Error> {
        let mut out = Vec::new();
        compact(raw, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    /// serde_json's text with the characters we escape on top escaped (the
    /// controls below DEL are serde's own escapes or whitespace between tokens).
    fn escaped(serde_text: &str) -> String {
        let mut s = String::new();
        for c in serde_text.chars() {
            if c >= '\u{7f}' && is_unsafe(c) {
                let mut units = [0; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(s, "\\u{unit:04x}");
                }
            } else {
                s.push(c);
            }
        }
        s
    }

    /// Checks pretty/compact against serde_json on a document whose tokens are
    /// in serde_json's own spelling (whitespace aside).
    fn same_as_serde(raw: &str) {
        let v: Value = serde_json::from_str(raw).unwrap();
        let (want_pretty, want_compact) = (
            escaped(&serde_json::to_string_pretty(&v).unwrap()),
            escaped(&serde_json::to_string(&v).unwrap()),
        );
        assert_eq!(pretty_s(raw).unwrap(), want_pretty, "pretty of {raw}");
        assert_eq!(compact_s(raw).unwrap(), want_compact, "compact of {raw}");
        let s = serde_json::to_string(&v).unwrap();
        assert_eq!(pretty_s(&s).unwrap(), want_pretty, "pretty of {s}");
    }

    #[test]
    fn matches_serde_on_ordinary_documents() {
        for raw in [
            "null",
            "true",
            "false",
            "0",
            "-12",
            "1.5",
            "-0.25",
            r#""""#,
            r#""plain""#,
            "[]",
            "{}",
            "[[]]",
            "[{}]",
            r#"{"a":{}}"#,
            r#"{"a":[]}"#,
            "[1,2,3]",
            r#"[[1,[2,[3,[]]]],{"x":{"y":{"z":null}}}]"#,
            r#"{"id":"exp_1","status":"ready","src_url":null,"n":3,"ok":true,"tags":["a","b"]}"#,
            r#"{"z":1,"a":2,"m":3}"#,
            r#"{"q":"say \"hi\"\\ \n\t\r\b\f \u0001 \u001f"}"#,
            r#"{"ünï":"çödé ✓ 日本 😀","e":"é"}"#,
            "  \n\t{ \"a\" : [ 1 , 2 , { } , [ ] ] , \"b\" : \"c\" }\r\n ",
            "[\"\u{7f}\",\"\u{85}\u{9f}\u{80}\",\"a\u{202e}b\u{2066}\u{2069}\u{200b}\u{200f}\u{2028}\u{2029}\u{feff}\"]",
            // Neighbours of the escaped ranges stay raw.
            "[\"\u{a0}\u{ac}\u{ae}\u{180d}\u{200a}\u{2010}\u{2027}\u{202f}\u{205f}\u{2070}\u{fefe}\u{fff8}\u{fffc}\u{dffff}\u{e0080}\"]",
            "[\"\u{ad}\u{180e}\u{2060}\u{2064}\u{206f}\u{fff9}\u{fffb}\u{e0000}\u{e0041}\u{e007f}\"]",
        ] {
            same_as_serde(raw);
        }
    }

    #[test]
    fn stops_are_found_at_every_offset_of_a_long_string() {
        for at in 0..20 {
            let pad = "x".repeat(at);
            for c in [
                '"', '\\', '\u{7f}', '\u{85}', '\u{202e}', '\u{feff}', 'é', '\u{7ff}',
            ] {
                let raw = serde_json::to_string(&format!("{pad}{c}{pad}")).unwrap();
                assert_eq!(compact_s(&raw).unwrap(), escaped(&raw), "{raw}");
            }
            let raw = format!("\"{pad}\u{1f}{pad}\"");
            assert_eq!(
                compact_s(&raw).unwrap_err().to_string(),
                format!("control character in a string at byte {}", at + 1)
            );
            let raw = format!("\"{pad}");
            assert_eq!(
                compact_s(&raw).unwrap_err().to_string(),
                format!("unexpected end of input at byte {}", at + 1)
            );
        }
    }

    #[test]
    fn tokens_are_copied_verbatim() {
        let raw = r#"{"big":12345678901234567890123,"huge":1e400,"e":1E+2,"z":-0.0,"s":"\/\u00e9\ud83d\ude00\udc00"}"#;
        assert_eq!(
            pretty_s(raw).unwrap(),
            "{\n  \"big\": 12345678901234567890123,\n  \"huge\": 1e400,\n  \"e\": 1E+2,\n  \"z\": -0.0,\n  \"s\": \"\\/\\u00e9\\ud83d\\ude00\\udc00\"\n}"
        );
        assert_eq!(compact_s(raw).unwrap(), raw);
    }

    #[test]
    fn unsafe_characters_are_escaped_to_the_same_value() {
        let text = "a\u{7f}b\u{80}\u{9f}c\u{202a}\u{202e}\u{2066}\u{2069}\u{200b}\u{200f}\u{2028}\u{2029}\u{feff}d";
        let raw = serde_json::to_string(text).unwrap();
        let out = compact_s(&raw).unwrap();
        assert_eq!(
            out,
            r#""a\u007fb\u0080\u009fc\u202a\u202e\u2066\u2069\u200b\u200f\u2028\u2029\ufeffd""#
        );
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), text);
        assert_eq!(
            serde_json::from_str::<String>(&pretty_s(&raw).unwrap()).unwrap(),
            text
        );
        // Keys too.
        assert_eq!(compact_s("{\"\u{85}\":1}").unwrap(), r#"{"\u0085":1}"#);
        // The ranges added from fd's list; tag characters as surrogate pairs.
        let text = "\u{ad}\u{180e}\u{2060}\u{206f}\u{fff9}\u{fffb}x\u{e0000}\u{e0041}\u{e007f}";
        let raw = serde_json::to_string(text).unwrap();
        let out = compact_s(&raw).unwrap();
        assert_eq!(
            out,
            r#""\u00ad\u180e\u2060\u206f\ufff9\ufffbx\udb40\udc00\udb40\udc41\udb40\udc7f""#
        );
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), text);
    }

    #[test]
    fn deep_nesting_compact_and_check() {
        let n = MAX_DEPTH;
        let raw = "[".repeat(n) + &"]".repeat(n);
        assert_eq!(compact_s(&raw).unwrap(), raw);
        let obj = r#"{"a":"#.repeat(n) + "1" + &"}".repeat(n);
        assert_eq!(compact_s(&obj).unwrap(), obj);
        // An item passes exactly when pretty_array can print it inside the list.
        let inner = r#"{"a":"#.repeat(n - 1) + "1" + &"}".repeat(n - 1);
        let wrapped = format!("[{raw},{inner}]");
        assert_eq!(
            array_items(&wrapped, 10).unwrap(),
            [raw.as_str(), inner.as_str()]
        );
        assert!(array_items(&format!("[{obj}]"), 10).is_err());
        pretty_array([raw.as_str()], &mut Vec::new()).unwrap();
        let item = format!("{}1{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(
            array_items(&format!("[{item}]"), 10)
                .unwrap_err()
                .to_string(),
            format!("nested deeper than 1000 levels at byte {}", n + 1)
        );
        assert!(pretty_array([item.as_str()], &mut Vec::new()).is_err());
        pretty_array([&item[1..item.len() - 1]], &mut Vec::new()).unwrap();
        // Strings do not count.
        let strings = format!("[\"{}\\\"{}\"]", "[".repeat(2 * n), "{".repeat(2 * n));
        assert_eq!(array_items(&strings, 1).unwrap().len(), 1);
        assert!(compact_s(&"[".repeat(n)).is_err());
        // One level more is refused, in every mode, however long the input.
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(
            compact_s(&deep).unwrap_err().to_string(),
            "nested deeper than 1000 levels at byte 1001"
        );
        assert!(pretty_s(&deep).is_err() && array_items(&deep, 1).is_err());
    }

    #[test]
    fn deep_nesting_pretty_needs_no_stack() {
        // At the depth limit, on a 64 KiB stack, where recursion would overflow.
        let n = MAX_DEPTH;
        let got = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || pretty_s(&("[".repeat(n) + "0" + &"]".repeat(n))))
            .unwrap()
            .join()
            .unwrap()
            .unwrap();
        let mut want = String::new();
        for d in 0..n {
            want += "[\n";
            want += &"  ".repeat(d + 1);
        }
        want += "0";
        for d in (0..n).rev() {
            want += "\n";
            want += &"  ".repeat(d);
            want += "]";
        }
        assert_eq!(got, want);
    }

    #[test]
    fn errors_name_reason_and_offset() {
        for (raw, msg) in [
            ("", "unexpected end of input at byte 0"),
            ("  ", "unexpected end of input at byte 2"),
            ("[1,2", "unexpected end of input at byte 4"),
            ("[1,2 ", "unexpected end of input at byte 5"),
            (r#"{"a":1"#, "unexpected end of input at byte 6"),
            (r#"{"a"#, "unexpected end of input at byte 3"),
            (r#""abc\"#, "unexpected end of input at byte 5"),
            ("tru", "unexpected end of input at byte 3"),
            ("-", "unexpected end of input at byte 1"),
            ("[1 2]", "expected ',' or ']' at byte 3"),
            (r#"{"a":1 "b":2}"#, "expected ',' or '}' at byte 7"),
            (r#"{"a" 1}"#, "expected ':' at byte 5"),
            ("{1:2}", "expected a string key at byte 1"),
            (r#"{"a":1,}"#, "expected a string key at byte 7"),
            ("[1,]", "expected a value at byte 3"),
            ("nul", "unexpected end of input at byte 3"),
            ("nulx", "expected a value at byte 0"),
            ("[01]", "invalid number at byte 2"),
            ("1.", "unexpected end of input at byte 2"),
            ("1.e5", "invalid number at byte 2"),
            ("1e+", "unexpected end of input at byte 3"),
            ("-a", "invalid number at byte 1"),
            ("+1", "expected a value at byte 0"),
            ("{} x", "trailing characters at byte 3"),
            ("[] []", "trailing characters at byte 3"),
            ("\"a\nb\"", "control character in a string at byte 2"),
            ("\"a\tb\"", "control character in a string at byte 2"),
            ("\"\u{0}\"", "control character in a string at byte 1"),
            (r#""\x""#, "invalid escape at byte 1"),
            (r#""\u12G4""#, "invalid escape at byte 1"),
            (r#""\u12"#, "invalid escape at byte 1"),
        ] {
            let e = pretty_s(raw).unwrap_err();
            assert_eq!(e.to_string(), msg, "pretty of {raw:?}");
            assert_eq!(compact_s(raw).unwrap_err(), e, "compact of {raw:?}");
        }
    }

    #[test]
    fn pretty_array_is_pretty_of_the_joined_items() {
        let items = [r#"{"a":[1,{}]}"#, " 2 ", r#""x\u007f""#, "[]"];
        let mut out = Vec::new();
        pretty_array(items, &mut out).unwrap();
        let joined = format!("[{}]", items.join(","));
        assert_eq!(String::from_utf8(out).unwrap(), pretty_s(&joined).unwrap());
        let mut out = Vec::new();
        pretty_array([], &mut out).unwrap();
        assert_eq!(out, b"[]");
        for bad in ["", "1 2", "{"] {
            assert!(pretty_array([bad], &mut Vec::new()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn array_objects_find_the_named_string_members_in_one_pass() {
        let raw = r#" [{"id":"e1", "n":{"id":"inner"},"status":1,"na\u006de":"x\"y"} ,7,{}] "#;
        let items = array_objects(raw, 9, &["id", "status", "name"]).unwrap();
        let (object, spans) = items[0];
        let at = |span| span_text(object, span).unwrap();
        assert_eq!(object, &raw[2..raw.len() - 8]);
        assert_eq!(at(spans[0]), "e1");
        assert!(matches!(at(spans[0]), Cow::Borrowed(_)));
        // Not a string (and not the nested "id"): absent.
        assert_eq!(spans[1], (0, 0));
        assert_eq!(span_text(object, spans[1]), None);
        assert_eq!(at(spans[2]), "x\"y");
        assert_eq!(items[1..], [("7", [(0, 0); 3]), ("{}", [(0, 0); 3])]);
        assert_eq!(
            array_objects(r#"[{"id":"a","\u0069d":"b"}]"#, 9, &["id"])
                .unwrap_err()
                .to_string(),
            "duplicate field `id` at byte 11"
        );
        // Only a name asked for must be once.
        assert!(array_objects(r#"[{"x":1,"x":2}]"#, 9, &["id"]).is_ok());
        assert_eq!(
            object_spans(" {\"id\" : \"a\"} ", &["id"]).unwrap(),
            [(9, 12)]
        );
        assert!(object_spans("{\"id\":\"a\"} x", &["id"]).is_err());
        assert!(object_spans("[]", &["id"]).is_err());
    }

    #[test]
    fn array_items_are_trimmed_slices_up_to_a_limit() {
        let raw = " [ {\"a\": [1, 2]} , \"s\" ,3e400, [] ,null,\"\\ud83d\" ] ";
        assert_eq!(
            array_items(raw, 6).unwrap(),
            [
                r#"{"a": [1, 2]}"#,
                r#""s""#,
                "3e400",
                "[]",
                "null",
                r#""\ud83d""#
            ]
        );
        assert_eq!(
            array_items(raw, 4).unwrap_err().to_string(),
            "more than 4 items at byte 35"
        );
        assert_eq!(array_items("[]", 0).unwrap(), Vec::<&str>::new());
        assert_eq!(
            array_items("[{}]", 0).unwrap_err().to_string(),
            "more than 0 items at byte 1"
        );
        // The limit trips before the rest is scanned (or allocated for).
        let many = format!("[{}", "{},".repeat(1000));
        assert_eq!(
            array_items(&many, 10).unwrap_err().to_string(),
            "more than 10 items at byte 31"
        );
        assert_eq!(
            array_items(r#"{"a":1}"#, 9).unwrap_err().to_string(),
            "expected an array at byte 0"
        );
        assert_eq!(
            array_items(" ", 9).unwrap_err().to_string(),
            "unexpected end of input at byte 1"
        );
        for (bad, msg) in [
            ("[1,2", "unexpected end of input at byte 4"),
            ("[1] 2", "trailing characters at byte 4"),
            ("[1 2]", "expected ',' or ']' at byte 3"),
            ("[1,\n 2 3]", "expected ',' or ']' at byte 7"),
            ("[-01]", "invalid number at byte 3"),
            ("[\"\n\"]", "control character in a string at byte 2"),
        ] {
            assert_eq!(array_items(bad, 9).unwrap_err().to_string(), msg, "{bad:?}");
        }
    }

    #[test]
    fn member_finds_the_first_name_present() {
        let names = &["exports", "data"][..];
        let raw = r#" { "data" : [1], "n\u00e9": 1e400, "\ud800": 0, "exports": {"x": [1]} , "exports": 2} "#;
        assert_eq!(member(raw, names).unwrap(), Some(r#"{"x": [1]}"#));
        assert_eq!(member(r#"{"data":[2]}"#, names).unwrap(), Some("[2]"));
        assert_eq!(member(r#"{"d\u0061ta":[2]}"#, names).unwrap(), Some("[2]"));
        assert_eq!(member(r#"{"x":[2]}"#, names).unwrap(), None);
        assert_eq!(member("{}", names).unwrap(), None);
        assert_eq!(
            member("[1]", names).unwrap_err().to_string(),
            "expected an object at byte 0"
        );
        assert_eq!(
            member(r#"{"a":1,}"#, names).unwrap_err().to_string(),
            "trailing comma at byte 7"
        );
        for bad in [r#"{"a":1} x"#, r#"{"a":}"#, r#"{"a" 1}"#, "", "{"] {
            assert!(member(bad, names).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn lone_surrogates_become_replacement_escapes() {
        for (raw, want) in [
            (r#"["Clip \ud83d"]"#, r#"["Clip \ufffd"]"#),
            (
                r#"{"\udc00":"\ud83d\ude00\ud83d","b":"\\ud83d"}"#,
                r#"{"\ufffd":"\ud83d\ude00\ufffd","b":"\\ud83d"}"#,
            ),
            (
                r#""\ud83d\n\ude00\uD83D\uDE00\u00e9""#,
                r#""\ufffd\n\ufffd\uD83D\uDE00\u00e9""#,
            ),
            (r#""\ud83d\ud83d\ude00""#, r#""\ufffd\ud83d\ude00""#),
        ] {
            assert_eq!(without_lone_surrogates(raw), want, "{raw}");
            // What serde_json (which refuses lone surrogates in strings) now reads.
            let back: Value = serde_json::from_str(want).unwrap();
            assert!(back.to_string().contains('\u{fffd}') || !want.contains("fffd"));
        }
        let plain = r#"{"a":"\u00e9\ud83d\ude00 \\ \" x"}"#;
        assert!(matches!(without_lone_surrogates(plain), Cow::Borrowed(_)));
    }

    #[test]
    fn str_value_decodes_lossily() {
        assert_eq!(str_value(r#""plain""#).unwrap(), "plain");
        assert!(matches!(str_value(r#""plain""#), Some(Cow::Borrowed(_))));
        assert_eq!(str_value(r#""Clip \ud83d""#).unwrap(), "Clip \u{fffd}");
        assert_eq!(
            str_value(r#""\ude00\ud83d\ude00\ud83dx\n\/""#).unwrap(),
            "\u{fffd}😀\u{fffd}x\n/"
        );
        for other in ["1", "null", "[]", "{}", "true"] {
            assert_eq!(str_value(other), None);
        }
    }

    fn any_text() -> impl Strategy<Value = String> {
        let special = prop::sample::select(vec![
            '"', '\\', '/', '\n', '\u{1}', '\u{1f}', '\u{7f}', '\u{80}', '\u{9f}', '\u{a0}',
            '\u{200b}', '\u{200f}', '\u{2028}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{feff}',
            'é', '😀', '\u{7ff}', '\u{ffff}',
        ]);
        prop::collection::vec(
            prop_oneof![
                any::<char>(),
                special,
                "[a-z]".prop_map(|s| s.chars().next().unwrap_or('a'))
            ],
            0..12,
        )
        .prop_map(String::from_iter)
    }

    /// A key and how it is written: names a list reads, the same with an escape, others.
    fn any_key() -> impl Strategy<Value = (String, String)> {
        fn json(k: String) -> (String, String) {
            let written = serde_json::to_string(&k).unwrap_or_default();
            (k, written)
        }
        prop_oneof![
            prop::sample::select(vec!["id", "status", "a", "b"]).prop_map(|k| json(k.to_string())),
            Just(("id".to_string(), r#""\u0069d""#.to_string())),
            Just(("a".to_string(), r#""\u0061""#.to_string())),
            any_text().prop_map(json),
        ]
    }

    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            any_text().prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((any_text(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn matches_serde_on_generated_values(v in any_value()) {
            let compact_text = serde_json::to_string(&v).unwrap();
            let pretty_text = serde_json::to_string_pretty(&v).unwrap();
            prop_assert_eq!(pretty_s(&compact_text).unwrap(), escaped(&pretty_text));
            prop_assert_eq!(pretty_s(&pretty_text).unwrap(), escaped(&pretty_text));
            prop_assert_eq!(compact_s(&pretty_text).unwrap(), escaped(&compact_text));
            // Escaping keeps the value.
            // (against serde's own reading: its float parsing is not exact)
            let back: Value = serde_json::from_str(&compact_s(&compact_text).unwrap()).unwrap();
            prop_assert_eq!(back, serde_json::from_str::<Value>(&compact_text).unwrap());
        }

        #[test]
        fn never_panics_and_agrees_with_serde_on_validity(raw in "[\\[\\]{}:,\"\\\\0-9a-z .eE+-]{0,24}") {
            let ours = pretty_s(&raw).is_ok();
            let serde = serde_json::from_str::<serde::de::IgnoredAny>(&raw).is_ok();
            prop_assert_eq!(ours, serde, "{}", raw);
            prop_assert_eq!(compact_s(&raw).is_ok(), ours);
        }

        /// Objects whose keys may repeat and may be written with escapes: each named
        /// member's string is what serde reads, and a name twice is refused.
        #[test]
        fn array_objects_read_the_named_strings_as_serde_does(
            items in prop::collection::vec(prop::collection::vec((any_key(), any_value()), 0..6), 0..5)
        ) {
            let object = |members: &Vec<((String, String), Value)>| {
                let members: Vec<String> =
                    members.iter().map(|((_, written), v)| format!("{written}:{v}")).collect();
                format!("{{{}}}", members.join(","))
            };
            let text = format!("[{}]", items.iter().map(object).collect::<Vec<_>>().join(" , "));
            let names = ["id", "status", "a"];
            let twice = |members: &Vec<((String, String), Value)>, name: &str| {
                members.iter().filter(|((k, _), _)| k == name).count() > 1
            };
            match array_objects(&text, 100, &names) {
                Ok(got) => {
                    prop_assert_eq!(got.len(), items.len());
                    for ((raw, spans), members) in got.iter().zip(&items) {
                        prop_assert_eq!(*raw, object(members));
                        for (n, name) in names.iter().enumerate() {
                            let want = members
                                .iter()
                                .find(|((k, _), _)| k == name)
                                .and_then(|(_, v)| v.as_str());
                            let got = span_text(raw, spans[n]);
                            prop_assert_eq!(got.as_deref(), want);
                        }
                    }
                }
                Err(e) => prop_assert!(
                    items.iter().any(|m| names.iter().any(|n| twice(m, n))),
                    "{} on {}", e, text
                ),
            }
        }

        #[test]
        fn array_items_agree_with_serde(raw in "[\\[\\]{}:,\"\\\\0-9a-z .eE+-]{0,24}") {
            let ours = array_items(&raw, 1000).map(|items| items.join(","));
            let serde = serde_json::from_str::<Vec<&RawValue>>(&raw)
                .map(|items| items.iter().map(|i| i.get()).collect::<Vec<_>>().join(","));
            prop_assert_eq!(ours.ok(), serde.ok(), "{}", raw);
        }
    }

    /// Timing, not a test: `cargo test --release --bin klap-export json::tests::timing -- --ignored --nocapture`.
    #[test]
    #[ignore = "a timing, not a test"]
    fn timing() {
        use std::time::Instant;
        let exports: Vec<String> = (0..100_000)
            .map(|i| {
                serde_json::json!({
                    "id": format!("exp_seed_{i:06}"),
                    "status": "ready",
                    "src_url": format!("http://127.0.0.1:40000/files/exp_seed_{i:06}.mp4"),
                    "project_id": format!("project_{}", i % 10 + 1),
                    "created_at": "2025-01-01T00:00:00Z",
                    "finished_at": "2025-01-01T00:00:01Z",
                    "name": format!("Export of project_{}", i % 10 + 1),
                    "author_id": "sandbox_user",
                    "folder_id": format!("folder_{}", i % 3 + 1),
                    "descriptions": "Export completed successfully.",
                })
                .to_string()
            })
            .collect();
        let body = format!("[{}]", exports.join(","));
        let best = |f: &mut dyn FnMut() -> usize| {
            (0..5)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(f());
                    t.elapsed().as_secs_f64() * 1e3
                })
                .fold(f64::MAX, f64::min)
        };
        let ours = best(&mut || {
            let mut out = Vec::new();
            pretty(&body, &mut out).unwrap();
            out.len()
        });
        let ours_items = best(&mut || {
            let items = array_items(&body, 1_000_000).unwrap();
            let mut out = Vec::new();
            pretty_array(items, &mut out).unwrap();
            out.len()
        });
        let check = best(&mut || array_items(&body, 1_000_000).unwrap().len());
        let ignored = best(&mut || {
            serde_json::from_str::<serde::de::IgnoredAny>(&body).unwrap();
            0
        });
        let serde = best(&mut || {
            let v: Value = serde_json::from_str(&body).unwrap();
            serde_json::to_string_pretty(&v).unwrap().len()
        });
        let mut a = Vec::new();
        let mut b = Vec::new();
        pretty(&body, &mut a).unwrap();
        pretty_array(array_items(&body, 1_000_000).unwrap(), &mut b).unwrap();
        assert_eq!(a, b);
        assert_eq!(
            a,
            serde_json::to_string_pretty(&serde_json::from_str::<Value>(&body).unwrap())
                .unwrap()
                .into_bytes()
        );
        eprintln!(
            "body {} MB: pretty {ours:.1} ms, array_items+pretty_array {ours_items:.1} ms, \
             array_items alone {check:.1} ms, serde IgnoredAny {ignored:.1} ms, serde Value round trip {serde:.1} ms ({:.1}x)",
            body.len() / 1_000_000,
            serde / ours
        );
    }
}
