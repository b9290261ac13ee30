//! JSON texts read into jaq values, built here rather than by `jaq_json::read`.
//!
//! The values are what `jaq_json::read::parse_single` gives (numbers through its own
//! `parse_single_num`, key order kept, a duplicate key's last value at its first place),
//! built with fewer and smaller allocations, which is most of what `--jq` on a long list
//! costs: a string's bytes are copied into a shared buffer, not a `Vec` of their own
//! (or, for an item of a shared body, not copied at all); a key that repeats (every
//! export has the same ones) is one shared `Bytes`, and so is a value the same as its
//! key's last one; an object's map is made at its exact size. A lone surrogate escape
//! (valid JSON, what a cut emoji gives, and which jaq refuses) reads as U+FFFD, as the
//! other formats show it.

use std::borrow::Cow;

use bytes::{Bytes, BytesMut};
use jaq_json::{Map, Val};

/// Deeper than this is an error, not a crash: the server's items are capped far below it
/// (`json::array_items`) and each level takes a little of the filter thread's stack.
const MAX_DEPTH: usize = 10_000;
/// The size of a buffer strings are copied into: one allocation for many strings, alive
/// while any of them is.
const ARENA: usize = 1 << 20;
/// Distinct key texts kept to be shared; keys past these are sliced like other strings.
const MAX_KEYS: usize = 256;

/// One text, as jaq reads it.
pub fn text(text: &str) -> Result<(Val, bool), String> {
    let mut builder = Builder {
        size: text.len(),
        ..Builder::default()
    };
    let v = builder.single(Src::new(text.as_bytes(), None, 0, text.len()))?;
    Ok((v, builder.escaped))
}

/// The array of these texts; `each` gets each item's value and text, and whether an
/// escape was decoded in it, and returns the value to keep. An item that is a slice of
/// `body` is read in place: its strings share the body's memory.
pub fn array(
    items: &[Cow<'_, str>],
    body: Option<&Bytes>,
    mut each: impl FnMut(Val, &str, bool) -> Val,
) -> Result<Val, String> {
    let mut builder = Builder {
        size: items.iter().map(|i| i.len()).sum(),
        ..Builder::default()
    };
    let mut out = Vec::with_capacity(items.len());
    // Text read so far, and when room was last made (0: not yet).
    let mut read = 0;
    let mut room = 0;
    for item in items {
        if read >= room + ROOM_EVERY {
            make_room(room == 0);
            room = read;
        }
        read += item.len();
        let src = match body.and_then(|b| offset(b, item).map(|at| (b, at))) {
            Some((b, at)) => Src::new(b, Some(b), at, item.len()),
            None => Src::new(item.as_bytes(), None, 0, item.len()),
        };
        builder.escaped = false;
        let v = builder.single(src)?;
        out.push(each(v, item, builder.escaped));
    }
    if room > 0 {
        // And for what the filter builds.
        make_room(false);
    }
    Ok(Val::Arr(out.into()))
}

/// Every this much text read, room is made for the values to come (they take some five
/// times the text's size; the block is larger, and costs no call when it fits in what is
/// left).
const ROOM_EVERY: usize = 1 << 18;

/// Takes a large block from the allocator and gives it back at once, so that the values
/// then built fill its room. glibc grows a thread's heap (`--jq` runs on its own thread)
/// one `mprotect` call at a time as small allocations need it: 40,000 calls, a tenth of
/// the run, for a list of 100,000 exports (under 1,000 with this; `strace -c -f`). A block
/// taken and freed leaves its room in the heap, to be filled with no call (its pages cost
/// memory only once written). The first block is mapped on its own (too large for the
/// heap), and freeing it raises glibc's threshold for that: hence two blocks the `first`
/// time. Other allocators: a malloc and a free.
fn make_room(first: bool) {
    for _ in 0..if first { 2 } else { 1 } {
        // Not to be had (a low `ulimit -v`) is no failure: the values may still fit.
        let mut block = Vec::<u8>::new();
        let _ = block.try_reserve_exact(8 << 20);
        drop(std::hint::black_box(block));
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
    /// The last string value of each of these keys.
    last: Vec<Bytes>,
    /// Items of the arrays and objects being read, innermost last.
    vals: Vec<Val>,
    pairs: Vec<(Val, Val)>,
    /// An escape was decoded (so a string may hold what its text does not show).
    escaped: bool,
    /// Holds the hasher every map is made with (its type is foldhash's, not ours to name).
    hasher: Map,
    /// Where strings are copied to: each is split off as it is complete.
    arena: BytesMut,
    /// The size of the text to read (no arena need be larger).
    size: usize,
}

/// Where a value is read from: `buf[pos..end]`, and `buf` as shared `Bytes` when it is.
struct Src<'a> {
    buf: &'a [u8],
    shared: Option<&'a Bytes>,
    start: usize,
    end: usize,
    pos: usize,
}

impl<'a> Src<'a> {
    fn new(buf: &'a [u8], shared: Option<&'a Bytes>, at: usize, len: usize) -> Self {
        Src {
            buf,
            shared,
            start: at,
            end: at + len,
            pos: at,
        }
    }

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
            self.pos - self.start
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
    fn single(&mut self, mut src: Src) -> Result<Val, String> {
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
                let (k, known) = self.key(src)?;
                if src.ws() != Some(b':') {
                    return src.fail("':'");
                }
                src.pos += 1;
                let v = match (known, src.ws()) {
                    (Some(i), Some(b'"')) if src.shared.is_none() => self.value_of(i, src)?,
                    _ => self.value(src, depth)?,
                };
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

    /// A string value of the key `keys[i]`: the same `Bytes` as that key's last one when
    /// it is the same text (a list's status, author, message), not another copy.
    fn value_of(&mut self, i: usize, src: &mut Src) -> Result<Val, String> {
        let start = src.pos + 1;
        // Only an unescaped text can be compared, as written, with the last one.
        let Some(len) = plain_len(&src.buf[start..src.end]) else {
            return Ok(Val::TStr(Box::new(self.string(src)?)));
        };
        let text = &src.buf[start..start + len];
        let s = if let Some(last) = self.last.get(i).filter(|last| **last == text) {
            last.clone()
        } else {
            let s = self.store(src, start, len);
            if let Some(last) = self.last.get_mut(i) {
                *last = s.clone();
            }
            s
        };
        src.pos = start + len + 1;
        Ok(Val::TStr(Box::new(s)))
    }

    /// A key, and its place in `keys`: shared with the same key seen before, when it has
    /// no escapes.
    fn key(&mut self, src: &mut Src) -> Result<(Bytes, Option<usize>), String> {
        let start = src.pos + 1;
        let Some(len) = plain_len(&src.buf[start..src.end]) else {
            return Ok((self.string(src)?, None));
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
            return Ok((self.keys[i].clone(), Some(i)));
        }
        let key = self.store(src, start, len);
        if self.keys.len() >= MAX_KEYS {
            return Ok((key, None));
        }
        self.keys.push(key.clone());
        self.last.push(Bytes::new());
        self.next = self.keys.len();
        Ok((key, Some(self.keys.len() - 1)))
    }

    /// `src.buf[start..start + len]` as `Bytes`: a slice of it when it is shared, else a
    /// copy in the arena.
    fn store(&mut self, src: &Src, start: usize, len: usize) -> Bytes {
        match src.shared {
            Some(shared) => shared.slice(start..start + len),
            None if len == 0 => Bytes::new(),
            None => {
                self.reserve(len);
                self.arena.extend_from_slice(&src.buf[start..start + len]);
                self.arena.split().freeze()
            }
        }
    }

    /// Room for `n` more bytes in the arena: a new one when it has less (the old one lives
    /// on in the strings split off it).
    fn reserve(&mut self, n: usize) {
        if self.arena.capacity() - self.arena.len() < n {
            self.arena = BytesMut::with_capacity(n.max(ARENA.min(self.size)));
        }
    }

    /// A string (`src` at its opening quote).
    fn string(&mut self, src: &mut Src) -> Result<Bytes, String> {
        let start = src.pos + 1;
        if let Some(len) = plain_len(&src.buf[start..src.end]) {
            src.pos = start + len + 1;
            return Ok(self.store(src, start, len));
        }
        self.escaped = true;
        let s = &src.buf[..src.end];
        // Decoded, a text is never longer than it is written.
        self.reserve(src.end - start);
        let out = &mut self.arena;
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
                return Ok(out.split().freeze());
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
