//! Server and user text made safe for a terminal, and stderr writes that never fail.

use std::borrow::Cow;
use std::ffi::OsString;
use std::fmt;
use std::io::Write;

/// Characters that could drive a terminal or hide text: controls (C0, DEL, C1), the
/// soft hyphen, bidi overrides and isolates, zero-width and other invisible format
/// characters, line/paragraph separators, BOM, interlinear annotations and tag characters
/// (fd's sanitiser's list). The one list: `sanitize` turns them into spaces, the JSON
/// printer (`json.rs`) into `\uXXXX` escapes.
pub fn is_unsafe(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c.is_control()
        || matches!(c,
            '\u{AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}')
}

/// Replaces unsafe characters (tabs, newlines, escape sequences, bidi controls)
/// with spaces, so nothing the server sends can drive the terminal or break a TSV row.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if is_safe(s) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(
            s.chars()
                .map(|c| if is_unsafe(c) { ' ' } else { c })
                .collect(),
        )
    }
}

/// Whether `s` has no unsafe character; printable ASCII (most server text) is checked
/// without decoding.
pub fn is_safe(s: &str) -> bool {
    printable_ascii(s.as_bytes()) || !s.chars().any(is_unsafe)
}

/// Whether every byte is printable ASCII (0x20 to 0x7e), eight bytes at a time.
fn printable_ascii(s: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    let (words, rest) = s.as_chunks::<8>();
    words.iter().all(|w| {
        let x = u64::from_le_bytes(*w);
        let del = x ^ (ONES * 0x7f);
        // The high bit of a byte below 0x20, of a DEL, or of a byte of 0x80 and above;
        // a borrow can only set more after a byte that was one of them.
        let bad = (x.wrapping_sub(ONES * 0x20) & !x) | (del.wrapping_sub(ONES) & !del) | x;
        bad & (ONES * 0x80) == 0
    }) && rest.iter().all(|b| (0x20..0x7f).contains(b))
}

/// URL text with its userinfo (a password, a token) as `***@`: for text that may not
/// parse as a URL, so cannot be cleaned as one.
pub fn without_userinfo(s: &str) -> Cow<'_, str> {
    let start = s.find("://").map_or(0, |i| i + 3);
    let end = s[start..]
        .find(['/', '?', '#'])
        .map_or(s.len(), |i| start + i);
    match s[start..end].rfind('@') {
        Some(at) => Cow::Owned(format!("{}***{}", &s[..start], &s[start + at..])),
        None => Cow::Borrowed(s),
    }
}

/// The start of a server's text for an error message: at most 200 characters, no control codes.
pub fn snippet(text: &str) -> String {
    sanitize(text).trim().chars().take(200).collect()
}

/// The API key, once known, so that no stderr line or stdout output can show it, even
/// when a server echoes it back in an error or a field.
static SECRET: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Registers the key to hide. Short keys are not registered: hiding every `x` in the
/// output would destroy it, and a key that short is no secret anyway.
pub fn hide(secret: &str) {
    if secret.len() >= 8 {
        let _ = SECRET.set(secret.to_string());
    }
}

/// `text` with the key, if any, replaced by `***`.
pub fn redact(text: &str) -> Cow<'_, str> {
    match SECRET.get() {
        Some(secret) if text.contains(secret.as_str()) => {
            Cow::Owned(text.replace(secret.as_str(), "***"))
        }
        _ => Cow::Borrowed(text),
    }
}

/// [`redact`] for output that is UTF-8 text or nearly (where it is not, the key is looked
/// for in its lossy text); not even read when no key is to be hidden.
pub fn redact_bytes(bytes: &[u8]) -> Cow<'_, [u8]> {
    if SECRET.get().is_none() {
        return Cow::Borrowed(bytes);
    }
    match redact(&String::from_utf8_lossy(bytes)) {
        Cow::Owned(hidden) => Cow::Owned(hidden.into_bytes()),
        Cow::Borrowed(_) => Cow::Borrowed(bytes),
    }
}

/// Where stderr lines go while a progress display owns the terminal (above its bars).
type Writer = Box<dyn Fn(&str) + Send + Sync>;
static WRITER: std::sync::Mutex<Option<Writer>> = std::sync::Mutex::new(None);

pub fn set_stderr_writer(writer: Option<Writer>) {
    *WRITER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = writer;
}

/// Writes one line to stderr (the key hidden); a closed or full stderr is ignored, never
/// a panic.
pub fn stderr_line(args: fmt::Arguments) {
    let line = args.to_string();
    let line = redact(&line);
    let writer = WRITER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match writer.as_ref() {
        Some(write) => write(&line),
        None => {
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
    }
}

/// `eprintln!` that never panics.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => { $crate::text::stderr_line(format_args!($($arg)*)) };
}

/// The value of the last `--color WHEN` or `--color=WHEN` before `--`, read from the raw
/// arguments (without the program name) so that clap's own errors, which come before
/// anything is parsed, and the `error:` prefix follow it too.
pub fn color_arg(args: impl IntoIterator<Item = OsString>) -> Option<String> {
    let mut args = args.into_iter();
    let mut found = None;
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--") => break,
            Some("--color") => found = args.next().and_then(|v| v.into_string().ok()),
            Some(arg) => {
                if let Some(value) = arg.strip_prefix("--color=") {
                    found = Some(value.to_string());
                }
            }
            None => {}
        }
    }
    found
}

/// Whether a stream gets colour: `always` and `never` decide; otherwise NO_COLOR turns
/// it off, CLICOLOR_FORCE (not `0`) turns it on, and else a terminal gets colour (not
/// `TERM=dumb`).
pub fn color_wanted(choice: Option<&str>, tty: bool) -> bool {
    let set = |name| std::env::var_os(name).filter(|v| !v.is_empty());
    match choice {
        Some("always") => true,
        Some("never") => false,
        _ => {
            set("NO_COLOR").is_none()
                && ((tty && !dumb_terminal()) || set("CLICOLOR_FORCE").is_some_and(|v| v != "0"))
        }
    }
}

/// `TERM=dumb`: a terminal without colour or cursor movement (Emacs shells, some IDE
/// consoles). It gets plain progress lines, as CI does.
pub fn dumb_terminal() -> bool {
    std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_become_spaces() {
        assert_eq!(sanitize("a\tb\x1b[1mc"), "a b [1mc");
        assert_eq!(
            sanitize("x\u{202E}y\u{2066}z\u{200B}\u{FEFF}\u{85}\u{7f}"),
            "x y z    "
        );
        assert!(matches!(sanitize("plain é"), Cow::Borrowed(_)));
        // The ASCII fast paths agree with the general rule.
        for c in (0..0x80u8).map(char::from) {
            assert_eq!(is_unsafe(c), c.is_control(), "{c:?}");
            let want = if c.is_control() { ' ' } else { c };
            assert_eq!(sanitize(&c.to_string()), want.to_string(), "{c:?}");
        }
    }

    #[test]
    fn the_printable_ascii_check_is_exact_at_every_place_in_a_word() {
        for len in 0..20 {
            let line = "a~ ".repeat(7)[..len].to_string();
            assert!(printable_ascii(line.as_bytes()), "{len}");
            for at in 0..len {
                for bad in [0u8, 0x1f, 0x7f, 0x80, 0xff] {
                    let mut bytes = line.clone().into_bytes();
                    bytes[at] = bad;
                    assert!(!printable_ascii(&bytes), "{len} {at} {bad:#x}");
                }
            }
        }
    }

    #[test]
    fn invisible_format_characters_are_unsafe() {
        // Added from fd's list: each range's ends, and the neighbours that stay.
        for c in [
            '\u{AD}',
            '\u{180E}',
            '\u{2060}',
            '\u{2064}',
            '\u{206A}',
            '\u{206F}',
            '\u{FFF9}',
            '\u{FFFB}',
            '\u{E0000}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{E007F}',
        ] {
            assert!(is_unsafe(c), "{c:?}");
            assert_eq!(sanitize(&format!("a{c}b")), "a b", "{c:?}");
        }
        for c in [
            '\u{AC}',
            '\u{AE}',
            '\u{180D}',
            '\u{180F}',
            '\u{205F}',
            '\u{2070}',
            '\u{FFF8}',
            '\u{FFFC}',
            '\u{DFFFF}',
            '\u{E0080}',
            'é',
            '😀',
        ] {
            assert!(!is_unsafe(c), "{c:?}");
        }
    }

    #[test]
    fn userinfo_is_hidden_in_url_text() {
        assert_eq!(
            without_userinfo("https://u:pw@h:99999/x?y@z"),
            "https://***@h:99999/x?y@z"
        );
        assert_eq!(without_userinfo("h/x@y"), "h/x@y");
    }

    #[test]
    fn the_last_color_flag_before_a_double_dash_counts() {
        let args = |line: &str| line.split(' ').map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            color_arg(args("list --color never")).as_deref(),
            Some("never")
        );
        assert_eq!(
            color_arg(args("--color=always list --color=never")).as_deref(),
            Some("never")
        );
        assert_eq!(color_arg(args("list -- --color always")), None);
        assert_eq!(color_arg(args("list --color")), None);
        assert_eq!(color_arg(args("list --colour never")), None);
    }
}
