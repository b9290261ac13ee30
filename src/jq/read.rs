//! JSON texts read into jaq values, built here rather than by `jaq_json::read`.
//!
//! The values are what `jaq_json::read::parse_single` gives (numbers through its own
//! `parse_single_num`, key order kept, a duplicate key's last value at its first place),
//! built with fewer and smaller allocations, which is most of what `--jq` on a long list
//! costs: an unescaped string is a slice of one shared copy of the texts, not a copy of
//! its own; a key that repeats (every export has the same ones) is one shared `Bytes`;
//! an object's map is made at its exact size. A lone surrogate escape (valid JSON, what
//! a cut emoji gives, and which jaq refuses) reads as U+FFFD, as the other formats show it.

use std::borrow::Cow;

use bytes::Bytes;
use jaq_json::{Map, Val};

/// Deeper than this is an error, not a crash: the server's items are capped far below it
/// (`json::array_items`) and each level takes a little of the filter thread's stack.
const MAX_DEPTH: usize = 10_000;
/// How much item text is copied into one shared buffer: one allocation per batch, and a
/// batch stays alive while any string of it does.
const BATCH: usize = 1 << 20;
/// Distinct key texts kept to be shared; keys past these are sliced like other strings.
const MAX_KEYS: usize = 256;

/// One text, as jaq reads it.
pub fn text(text: &str) -> Result<(Val, bool), String> {
    let buf = Bytes::copy_from_slice(text.as_bytes());
    let mut builder = Builder::default();
    let v = builder.single(&buf, 0, buf.len())?;
    Ok((v, builder.escaped))
}

/// The array of these texts; `each` gets each item's value and text, and whether an
/// escape was decoded in it, and returns the value to keep. An item that is a slice of
/// `body` is read in place (its strings share the body's memory); the others are copied,
/// a batch at a time, into a buffer their strings share.
pub fn array(
    items: &[Cow<'_, str>],
    body: Option<&Bytes>,
    mut each: impl FnMut(Val, &str, bool) -> Val,
) -> Result<Val, String> {
    let within = |item: &str| body.and_then(|b| offset(b, item).map(|at| (b, at)));
    let mut builder = Builder::default();
    let mut out = Vec::with_capacity(items.len());
    let mut rest = items;
    // Text read so far, and when room was last made (0: not yet).
    let mut read = 0;
    let mut room = 0;
    while let Some(item) = rest.first() {
        if read >= room + ROOM_EVERY {
            make_room(room == 0);
            room = read;
        }
        if let Some((buf, at)) = within(item) {
            read += item.len();
            out.push(builder.item(buf, at, item, &mut each)?);
            rest = &rest[1..];
            continue;
        }
        let mut size = 0;
        let n = rest
            .iter()
            .take_while(|item| {
                let take = within(item).is_none() && (size == 0 || size + item.len() <= BATCH);
                size += item.len();
                take
            })
            .count();
        let (batch, after) = rest.split_at(n);
        rest = after;
        let size = batch.iter().map(|i| i.len()).sum();
        read += size;
        let mut buf = Vec::with_capacity(size);
        for item in batch {
            buf.extend_from_slice(item.as_bytes());
        }
        let buf = Bytes::from(buf);
        let mut at = 0;
        for item in batch {
            out.push(builder.item(&buf, at, item, &mut each)?);
            at += item.len();
        }
    }
    if room > 0 {
        // And for what the filter builds.
        make_room(false);
    }
    Ok(Val::Arr(out.into()))
}

/// Every this much text read, room is made for its values (some five times its size, in
/// blocks larger than that: a block that fits in what is left makes no call).
const ROOM_EVERY: usize = 1 << 18;

/// Takes a large block from the allocator and gives it back at once, so that the values
/// then built fill its room. glibc grows a thread's heap (`--jq` runs on its own thread)
/// one `mprotect` call at a time as small allocations need it: some 80,000 calls, a tenth
/// of the run, for a list of 100,000 exports. A block taken and freed leaves its room in
/// the heap, to be filled with no call (its pages cost memory only once written). The
/// first block is mapped on its own (too large for the heap), and freeing it raises
/// glibc's threshold for that: hence two blocks the `first` time. Elsewhere: a malloc and a free.
fn make_room(first: bool) {
    for _ in 0..if first { 2 } else { 1 } {
        drop(std::hint::black_box(Vec::<u8>::with_capacity(8 << 20)));
    }
}

/// Where `item` starts in `body`, when it is a slice of it.
fn offset(body: &Bytes, item: &str) -> Option<usize> {
    let at = (item.as_ptr() as usize).checked_sub(body.as_ptr() as usize)?;
    (at.checked_add(item.len())? <= body.len()).then_some(at)
}

#[derive(Default)]
struct Builder {
    /// Shared key texts, in the order first seen; `next` is where the key after the
    /// last one found was (objects of a list have their keys in the same order).
    keys: Vec<Bytes>,
    next: usize,
    /// Items of the arrays and objects being read, innermost last.
    vals: Vec<Val>,
    pairs: Vec<(Val, Val)>,
    /// An escape was decoded (so a string may hold what its text does not show).
    escaped: bool,
    /// Holds the hasher every map is made with (its type is foldhash's, not ours to name).
    hasher: Map,
}

/// Where a value is read from: `buf[pos..end]`.
struct Src<'a> {
    buf: &'a Bytes,
    end: usize,
    pos: usize,
}

impl Src<'_> {
    fn peek(&self) -> Option<u8> {
        (self.pos < self.end).then(|| self.buf[self.pos])
    }

    fn ws(&mut self) -> Option<u8> {
        while let Some(c) = self.peek() {
            if !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(c);
            }
            self.pos += 1;
        }
        None
    }

    fn fail<T>(&self, what: &str) -> Result<T, String> {
        let found = match self.peek() {
            Some(c) if c.is_ascii_graphic() => format!("'{}'", c as char),
            Some(c) => format!("byte {c:#04x}"),
            None => "the end".into(),
        };
        Err(format!(
            "expected {what} at byte {}, found {found}",
            self.pos
        ))
    }

    fn word(&mut self, word: &[u8], v: Val) -> Result<Val, String> {
        if self.buf[self.pos..self.end].starts_with(word) {
            self.pos += word.len();
            Ok(v)
        } else {
            self.fail("a value")
        }
    }
}

impl Builder {
    /// The item whose text is `buf[at..]`, given to `each`.
    fn item(
        &mut self,
        buf: &Bytes,
        at: usize,
        text: &str,
        each: &mut impl FnMut(Val, &str, bool) -> Val,
    ) -> Result<Val, String> {
        self.escaped = false;
        let v = self.single(buf, at, at + text.len())?;
        Ok(each(v, text, self.escaped))
    }

    fn single(&mut self, buf: &Bytes, start: usize, end: usize) -> Result<Val, String> {
        let mut src = Src {
            buf,
            end,
            pos: start,
        };
        let v = self.value(&mut src, 0)?;
        match src.ws() {
            None => Ok(v),
            Some(_) => src.fail("the end"),
        }
    }

    fn value(&mut self, src: &mut Src, depth: usize) -> Result<Val, String> {
        match src.ws() {
            Some(b'"') => self.string(src).map(|s| Val::TStr(Box::new(s))),
            Some(b'{') => self.object(src, depth + 1),
            Some(b'[') => self.array(src, depth + 1),
            Some(b'n') => src.word(b"null", Val::Null),
            Some(b't') => src.word(b"true", Val::Bool(true)),
            Some(b'f') => src.word(b"false", Val::Bool(false)),
            Some(b'-' | b'0'..=b'9') => number(src),
            _ => src.fail("a value"),
        }
    }

    fn array(&mut self, src: &mut Src, depth: usize) -> Result<Val, String> {
        if depth > MAX_DEPTH {
            return src.fail("a value less deeply nested");
        }
        src.pos += 1;
        let first = self.vals.len();
        if src.ws() == Some(b']') {
            src.pos += 1;
        } else {
            loop {
                let v = self.value(src, depth)?;
                self.vals.push(v);
                match src.ws() {
                    Some(b',') => src.pos += 1,
                    Some(b']') => {
                        src.pos += 1;
                        break;
                    }
                    _ => return src.fail("',' or ']'"),
                }
            }
        }
        let items: Vec<Val> = self.vals.drain(first..).collect();
        Ok(Val::Arr(items.into()))
    }

    fn object(&mut self, src: &mut Src, depth: usize) -> Result<Val, String> {
        if depth > MAX_DEPTH {
            return src.fail("a value less deeply nested");
        }
        src.pos += 1;
        let first = self.pairs.len();
        if src.ws() == Some(b'}') {
            src.pos += 1;
        } else {
            loop {
                if src.ws() != Some(b'"') {
                    return src.fail("a string key");
                }
                let k = self.key(src)?;
                if src.ws() != Some(b':') {
                    return src.fail("':'");
                }
                src.pos += 1;
                let v = self.value(src, depth)?;
                self.pairs.push((Val::TStr(Box::new(k)), v));
                match src.ws() {
                    Some(b',') => src.pos += 1,
                    Some(b'}') => {
                        src.pos += 1;
                        break;
                    }
                    _ => return src.fail("',' or '}'"),
                }
            }
        }
        // Exact size: jaq's reader grows a map of 11 keys 4, 8, then 16 entries wide.
        let n = self.pairs.len() - first;
        let mut map = Map::with_capacity_and_hasher(n, *self.hasher.hasher());
        for (k, v) in self.pairs.drain(first..) {
            // A duplicate key keeps its first place and takes the last value, as in jaq.
            map.insert(k, v);
        }
        Ok(Val::obj(map))
    }

    /// A key: shared with the same key seen before, when it has no escapes.
    fn key(&mut self, src: &mut Src) -> Result<Bytes, String> {
        let start = src.pos + 1;
        let Some(len) = plain_len(&src.buf[start..src.end]) else {
            return self.string(src);
        };
        let text = &src.buf[start..start + len];
        let found = self
            .keys
            .get(self.next)
            .filter(|k| **k == text)
            .map(|_| self.next)
            .or_else(|| self.keys.iter().position(|k| *k == text));
        src.pos = start + len + 1;
        if let Some(i) = found {
            self.next = i + 1;
            return Ok(self.keys[i].clone());
        }
        let key = src.buf.slice(start..start + len);
        if self.keys.len() < MAX_KEYS {
            self.keys.push(key.clone());
            self.next = self.keys.len();
        }
        Ok(key)
    }

    /// A string (`src` at its opening quote): a slice of the buffer unless it has escapes.
    fn string(&mut self, src: &mut Src) -> Result<Bytes, String> {
        let start = src.pos + 1;
        if let Some(len) = plain_len(&src.buf[start..src.end]) {
            src.pos = start + len + 1;
            return Ok(src.buf.slice(start..start + len));
        }
        self.escaped = true;
        let s = &src.buf[..src.end];
        let mut out = Vec::new();
        let mut i = start;
        loop {
            let run = s[i..]
                .iter()
                .position(|&c| c == b'"' || c == b'\\')
                .map(|n| i + n);
            let Some(at) = run else {
                src.pos = src.end;
                return src.fail("'\"'");
            };
            out.extend_from_slice(&s[i..at]);
            if s[at] == b'"' {
                src.pos = at + 1;
                return Ok(Bytes::from(out.into_boxed_slice()));
            }
            let c = match s.get(at + 1) {
                Some(b'"') => '"',
                Some(b'\\') => '\\',
                Some(b'/') => '/',
                Some(b'b') => '\u{8}',
                Some(b'f') => '\u{c}',
                Some(b'n') => '\n',
                Some(b'r') => '\r',
                Some(b't') => '\t',
                Some(b'u') => {
                    let Some(unit) = hex4(s, at + 2) else {
                        src.pos = at;
                        return src.fail("a \\u escape of four hex digits");
                    };
                    let low = (s.get(at + 6..at + 8) == Some(b"\\u"))
                        .then(|| hex4(s, at + 8))
                        .flatten()
                        .filter(|low| (0xdc00..0xe000).contains(low));
                    i = at + 6;
                    let c = match (unit, low) {
                        (0xd800..0xdc00, Some(low)) => {
                            i += 6;
                            char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00))
                        }
                        _ => char::from_u32(unit),
                    };
                    // A lone surrogate is no character: U+FFFD stands for it.
                    out.extend_from_slice(
                        c.unwrap_or('\u{fffd}').encode_utf8(&mut [0; 4]).as_bytes(),
                    );
                    continue;
                }
                _ => {
                    src.pos = at;
                    return src.fail("an escape");
                }
            };
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            i = at + 2;
        }
    }
}

/// The length of a string's text up to its closing quote, when it has no escapes.
fn plain_len(s: &[u8]) -> Option<usize> {
    let n = s.iter().position(|&c| c == b'"' || c == b'\\')?;
    (s[n] == b'"').then_some(n)
}

fn hex4(s: &[u8], at: usize) -> Option<u32> {
    let digits = s.get(at..at + 4)?;
    let text = std::str::from_utf8(digits).ok()?;
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u32::from_str_radix(text, 16).ok()
}

/// A number, read by jaq's own rules (its digits kept where jaq keeps them).
fn number(src: &mut Src) -> Result<Val, String> {
    let start = src.pos;
    let len = src.buf[start..src.end]
        .iter()
        .position(|c| !matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
        .unwrap_or(src.end - start);
    match jaq_json::read::parse_single_num(&src.buf[start..start + len]) {
        Some(n) => {
            src.pos = start + len;
            Ok(Val::Num(n))
        }
        None => src.fail("a number"),
    }
}
