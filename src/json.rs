//! A JSON scanner and formatter over the server's own text. Re-indenting the
//! tokens instead of round-tripping through `serde_json::Value` keeps numbers,
//! escapes and key order exactly as sent, and is several times faster. Nesting
//! is tracked on a heap bit stack, not the call stack, so depth has no limit.
// until output.rs and model.rs use it

use std::borrow::Cow;
use std::fmt;

/// Why a text is not the JSON expected, and the byte offset where that was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    reason: Reason,
    at: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reason {
    Expected(&'static str),
    End,
    Number,
    Control,
    Escape,
    Trailing,
    TooMany(usize),
    TooDeep,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason {
            Reason::Expected(what) => write!(f, "expected {what}")?,
            Reason::End => f.write_str("unexpected end of input")?,
            Reason::Number => f.write_str("invalid number")?,
            Reason::Control => f.write_str("control character in a string")?,
            Reason::Escape => f.write_str("invalid escape")?,
            Reason::Trailing => f.write_str("trailing characters")?,
            Reason::TooMany(max) => write!(f, "more than {max} items")?,
            Reason::TooDeep => write!(f, "nested deeper than {MAX_DEPTH} levels")?,
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

/// After an item of a container: `,` (more to come) or its closing byte (done).
fn separator(s: &[u8], i: usize, close: u8, what: &'static str) -> Result<(usize, bool), Error> {
    match s.get(i) {
        Some(b',') => Ok((i + 1, false)),
        Some(&c) if c == close => Ok((i + 1, true)),
        Some(_) => err(Reason::Expected(what), i),
        None => err(Reason::End, i),
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
/// Error offsets count from the start of the failing item.
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

/// The elements of the top-level array, each a validated, trimmed slice of
/// `raw`. Fails as soon as element `max + 1` starts, so a huge list of tiny
/// values cannot make us allocate a slice for each.
pub fn array_items(raw: &str, max: usize) -> Result<Vec<&str>, Error> {
    let s = raw.as_bytes();
    let mut i = open(s, b'[', "an array")?;
    let mut items = Vec::new();
    if s.get(i) == Some(&b']') {
        i += 1;
    } else {
        loop {
            let start = ws(s, i);
            if items.len() == max {
                return err(Reason::TooMany(max), start);
            }
            let end = value::<CHECK>(s, start, &mut Vec::new(), 0)?;
            items.push(&raw[start..end]);
            i = ws(s, end);
            let done;
            (i, done) = separator(s, i, b']', "',' or ']'")?;
            if done {
                break;
            }
        }
    }
    end(s, i)?;
    Ok(items)
}

/// The members of the top-level object in order: decoded key, raw value.
/// A key whose escapes are not valid UTF-16 gets U+FFFD in their place.
pub fn members(raw: &str) -> Result<Vec<(Cow<'_, str>, &str)>, Error> {
    let s = raw.as_bytes();
    let mut i = open(s, b'{', "an object")?;
    let mut members = Vec::new();
    if s.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            let k = ws(s, i);
            if s.get(k) != Some(&b'"') {
                return err(missing(s, k, "a string key"), k);
            }
            i = string::<CHECK>(s, k, &mut Vec::new())?;
            let key = decode(&raw[k..i], true).unwrap_or_default();
            i = colon::<CHECK>(s, i, &mut Vec::new())?;
            let start = ws(s, i);
            let end = value::<CHECK>(s, start, &mut Vec::new(), 0)?;
            members.push((key, &raw[start..end]));
            i = ws(s, end);
            let done;
            (i, done) = separator(s, i, b'}', "',' or '}'")?;
            if done {
                break;
            }
        }
    }
    end(s, i)?;
    Ok(members)
}

// What `value` writes: nothing (validation only), compact or pretty text.
const CHECK: u8 = 0;
const COMPACT: u8 = 1;
const PRETTY: u8 = 2;

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

/// Skips whitespace to `first` and past it, then to the next token.
fn open(s: &[u8], first: u8, what: &'static str) -> Result<usize, Error> {
    let i = ws(s, 0);
    if s.get(i) != Some(&first) {
        return err(missing(s, i, what), i);
    }
    Ok(ws(s, i + 1))
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
                    if M != CHECK {
                        out.extend_from_slice(&[open, close]);
                    }
                } else {
                    // Pretty output grows with the square of the depth: a small body nested
                    // 200,000 deep would need tens of GB. No real export nests past a few.
                    if depth + stack.len >= MAX_DEPTH {
                        return err(Reason::TooDeep, i);
                    }
                    stack.push(object);
                    if M != CHECK {
                        out.push(open);
                    }
                    newline::<M>(out, depth + stack.len);
                    if object {
                        i = key::<M>(s, i, out)?;
                    }
                    continue;
                }
            }
            Some(b'"') => i = string::<M>(s, i, out)?,
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
                    if M != CHECK {
                        out.push(b',');
                    }
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
                    if M != CHECK {
                        out.push(close);
                    }
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
    let i = string::<M>(s, i, out)?;
    colon::<M>(s, i, out)
}

fn colon<const M: u8>(s: &[u8], i: usize, out: &mut Vec<u8>) -> Result<usize, Error> {
    let i = ws(s, i);
    if s.get(i) != Some(&b':') {
        return err(missing(s, i, "':'"), i);
    }
    match M {
        PRETTY => out.extend_from_slice(b": "),
        COMPACT => out.push(b':'),
        _ => {}
    }
    Ok(i + 1)
}

/// Bytes that end a run of plain string text: the quote, a backslash, raw
/// controls, and the first byte of each character `unsafe_char` may escape.
static STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[0x7f] = true;
    t[0xc2] = true;
    t[0xe2] = true;
    t[0xef] = true;
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

/// The string token at `i` (on its quote); returns the offset after it.
fn string<const M: u8>(s: &[u8], i: usize, out: &mut Vec<u8>) -> Result<usize, Error> {
    let mut copied = i; // bytes before this are written
    let mut i = i + 1;
    loop {
        i = plain(s, i);
        match s.get(i) {
            None => return err(Reason::End, i),
            Some(b'"') => {
                i += 1;
                if M != CHECK {
                    out.extend_from_slice(&s[copied..i]);
                }
                return Ok(i);
            }
            Some(b'\\') => match s.get(i + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                Some(b'u')
                    if s.get(i + 2..i + 6)
                        .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
                {
                    i += 6;
                }
                Some(_) => return err(Reason::Escape, i),
                None => return err(Reason::End, i + 1),
            },
            Some(0..0x20) => return err(Reason::Control, i),
            Some(_) => match unsafe_char(&s[i..]) {
                Some((len, code)) => {
                    if M != CHECK {
                        out.extend_from_slice(&s[copied..i]);
                        out.extend_from_slice(b"\\u");
                        for shift in [12, 8, 4, 0] {
                            out.push(b"0123456789abcdef"[(code >> shift) as usize & 0xf]);
                        }
                    }
                    i += len;
                    copied = i;
                }
                None => i += 1,
            },
        }
    }
}

/// The UTF-8 length and code point of the character at the start of `s` if a
/// terminal could act on it: DEL, C1 controls, bidi and invisible characters.
fn unsafe_char(s: &[u8]) -> Option<(usize, u32)> {
    match *s {
        [0x7f, ..] => Some((1, 0x7f)),
        [0xc2, b @ 0x80..=0x9f, ..] => Some((2, u32::from(b))),
        // U+200B-U+200F, U+2028-U+202E
        [0xe2, 0x80, b @ (0x8b..=0x8f | 0xa8..=0xae), ..] => {
            Some((3, 0x2000 + u32::from(b & 0x3f)))
        }
        // U+2066-U+2069
        [0xe2, 0x81, b @ 0xa6..=0xa9, ..] => Some((3, 0x2040 + u32::from(b & 0x3f))),
        [0xef, 0xbb, 0xbf, ..] => Some((3, 0xfeff)),
        _ => None,
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
    if M != CHECK {
        out.extend_from_slice(&s[start..i]);
    }
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
        if M != CHECK {
            out.extend_from_slice(word);
        }
        Ok(i + word.len())
    } else if word.starts_with(rest) {
        err(Reason::End, s.len())
    } else {
        err(Reason::Expected("a value"), i)
    }
}

/// Decodes a validated string token (quotes included). Escapes that are not
/// valid UTF-16 give `None`, or U+FFFD when `lossy`.
fn decode(token: &str, lossy: bool) -> Option<Cow<'_, str>> {
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
                match char::from_u32(code) {
                    Some(c) => c,
                    None if lossy => char::REPLACEMENT_CHARACTER,
                    None => return None,
                }
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

    /// serde_json's text with the characters we escape on top escaped.
    fn escaped(serde_text: &str) -> String {
        let mut s = String::new();
        for c in serde_text.chars() {
            let mut buf = [0; 4];
            match unsafe_char(c.encode_utf8(&mut buf).as_bytes()) {
                Some((_, code)) => {
                    let _ = write!(s, "\\u{code:04x}");
                }
                None => s.push(c),
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
            "[\"\u{a0}\u{200a}\u{2010}\u{2027}\u{202f}\u{2065}\u{206a}\u{fefe}\u{ff00}\"]",
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
    }

    #[test]
    fn deep_nesting_compact_and_check() {
        let n = MAX_DEPTH;
        let raw = "[".repeat(n) + &"]".repeat(n);
        assert_eq!(compact_s(&raw).unwrap(), raw);
        let obj = r#"{"a":"#.repeat(n) + "1" + &"}".repeat(n);
        assert_eq!(compact_s(&obj).unwrap(), obj);
        let wrapped = format!("[{raw},{obj}]");
        assert_eq!(
            array_items(&wrapped, 10).unwrap(),
            [raw.as_str(), obj.as_str()]
        );
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
            ("[01]", "expected ',' or ']' at byte 2"),
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
    fn array_items_are_trimmed_slices_up_to_a_limit() {
        let raw = r#" [ {"a": [1, 2]} , "s" ,3e400, [] ,null ] "#;
        assert_eq!(
            array_items(raw, 5).unwrap(),
            [r#"{"a": [1, 2]}"#, r#""s""#, "3e400", "[]", "null"]
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
        assert!(array_items("[1,2", 9).is_err());
        assert!(array_items("[1] 2", 9).is_err());
        assert!(array_items("[1 2]", 9).is_err());
        assert!(array_items("[\"\n\"]", 9).is_err());
    }

    #[test]
    fn members_decode_keys_and_keep_raw_values() {
        let raw = r#" { "id" : "e1", "n\u00e9": 12345678901234567890123, "o": {"x": [1]} , "\ud800": 0} "#;
        let got = members(raw).unwrap();
        let want: Vec<(Cow<str>, &str)> = vec![
            ("id".into(), r#""e1""#),
            ("né".into(), "12345678901234567890123"),
            ("o".into(), r#"{"x": [1]}"#),
            ("\u{fffd}".into(), "0"),
        ];
        assert_eq!(got, want);
        assert!(matches!(got[0].0, Cow::Borrowed(_)));
        assert_eq!(members("{}").unwrap(), vec![]);
        assert_eq!(
            members("[1]").unwrap_err().to_string(),
            "expected an object at byte 0"
        );
        assert_eq!(
            members(r#"{"a":1,}"#).unwrap_err().to_string(),
            "expected a string key at byte 7"
        );
        assert!(members(r#"{"a":1} x"#).is_err());
        assert!(members(r#"{"a":}"#).is_err());
        assert!(members(r#"{"a" 1}"#).is_err());
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
