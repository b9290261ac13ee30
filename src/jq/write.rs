//! JSON text for jaq values, as jq prints it: `nan` is `null`, infinities are the
//! largest double, a float prints in `%.17g` style, and an object key that is not a
//! string is an error (jq cannot build one; jaq can).

#![allow(clippy::cast_sign_loss)] // exponents are checked for sign before each cast

use jaq_json::{Num, Val};

/// Deeper values are refused rather than printed (jq skips them).
pub const MAX_DEPTH: usize = 10_000;

/// How strings are escaped: `Stdout` also escapes what could drive a terminal
/// (DEL, C1, bidi and zero-width characters), as `--json` does.
#[derive(Clone, Copy, PartialEq)]
pub enum Escape {
    Json,
    Stdout,
}

pub fn json(out: &mut Vec<u8>, v: &Val, escape: Escape) -> Result<(), String> {
    value(out, v, escape, 0)
}

pub fn to_string(v: &Val) -> Result<String, String> {
    let mut out = Vec::new();
    json(&mut out, v, Escape::Json)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn value(out: &mut Vec<u8>, v: &Val, escape: Escape, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!("value nested deeper than {MAX_DEPTH} levels"));
    }
    match v {
        Val::Null => out.extend_from_slice(b"null"),
        Val::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Val::Num(n) => number(out, n),
        Val::TStr(s) | Val::BStr(s) => string(out, &String::from_utf8_lossy(s), escape),
        Val::Arr(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                value(out, x, escape, depth + 1)?;
            }
            out.push(b']');
        }
        Val::Obj(o) => {
            out.push(b'{');
            for (i, (k, x)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                match k {
                    Val::TStr(s) | Val::BStr(s) => {
                        string(out, &String::from_utf8_lossy(s), escape);
                    }
                    _ => return Err("Object keys must be strings".into()),
                }
                out.push(b':');
                value(out, x, escape, depth + 1)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

fn number(out: &mut Vec<u8>, n: &Num) {
    match n {
        Num::Float(x) => out.extend_from_slice(float(*x).as_bytes()),
        other => out.extend_from_slice(other.to_string().as_bytes()),
    }
}

/// A double as jq prints it: shortest digits that read back the same, in `%.17g` form.
pub fn float(x: f64) -> String {
    if x.is_nan() {
        return "null".into();
    }
    let x = x.clamp(f64::MIN, f64::MAX);
    if x == 0.0 {
        return if x.is_sign_negative() { "-0" } else { "0" }.into();
    }
    // `{:e}` gives the shortest round-trip digits: "1.2345e-7".
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if !(-4..17).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{dot}{rest}e{esign}{:02}", exp.abs());
    }
    if exp < 0 {
        let zeros = "0".repeat((-exp - 1) as usize);
        return format!("{sign}0.{zeros}{digits}");
    }
    let int_len = exp as usize + 1;
    if digits.len() <= int_len {
        format!("{sign}{digits}{}", "0".repeat(int_len - digits.len()))
    } else {
        let (int, frac) = digits.split_at(int_len);
        format!("{sign}{int}.{frac}")
    }
}

fn string(out: &mut Vec<u8>, s: &str, escape: Escape) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
            }
            c if escape == Escape::Stdout && crate::text::is_unsafe(c) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.extend_from_slice(format!("\\u{unit:04x}").as_bytes());
                }
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

/// A value for an error message, cut as jq cuts it (about 30 bytes, on a character
/// boundary, "..." at the end).
pub fn dump_short(v: &Val) -> String {
    let text = to_string(v).unwrap_or_else(|_| v.to_string());
    if text.len() <= 29 {
        return text;
    }
    // A string keeps its quotes: at most 24 bytes of it, then `..."`.
    let (body, limit, close) = match v {
        Val::TStr(_) | Val::BStr(_) => (&text[1..], 24, "\""),
        _ => (&text[..], 26, ""),
    };
    let mut end = limit;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let open = if close.is_empty() { "" } else { "\"" };
    format!("{open}{}...{close}", &body[..end])
}

/// At most 200 characters of a value, for an error that reaches the user.
pub fn dump_for_message(v: &Val) -> String {
    let text = to_string(v).unwrap_or_else(|_| v.to_string());
    cut(&text, 200)
}

pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let short: String = text.chars().take(max).collect();
    format!("{short}...")
}

pub fn type_name(v: &Val) -> &'static str {
    match v {
        Val::Null => "null",
        Val::Bool(_) => "boolean",
        Val::Num(_) => "number",
        Val::TStr(_) | Val::BStr(_) => "string",
        Val::Arr(_) => "array",
        Val::Obj(_) => "object",
    }
}
