//! Server and user text made safe for a terminal, and stderr writes that never fail.

use std::borrow::Cow;
use std::fmt;
use std::io::Write;

/// Characters that could drive a terminal or hide text: controls (C0, DEL, C1),
/// bidi overrides and isolates, zero-width characters, line/paragraph separators, BOM.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'
            | '\u{2028}' | '\u{2029}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}')
}

/// Replaces unsafe characters (tabs, newlines, escape sequences, bidi controls)
/// with spaces, so nothing the server sends can drive the terminal or break a TSV row.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if s.chars().any(is_unsafe) {
        Cow::Owned(
            s.chars()
                .map(|c| if is_unsafe(c) { ' ' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// The start of a server's text for an error message: at most 200 characters, no control codes.
pub fn snippet(text: &str) -> String {
    sanitize(text).trim().chars().take(200).collect()
}

/// Writes one line to stderr; a closed or full stderr is ignored, never a panic.
pub fn stderr_line(args: fmt::Arguments) {
    let _ = writeln!(std::io::stderr().lock(), "{args}");
}

/// `eprintln!` that never panics.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => { $crate::text::stderr_line(format_args!($($arg)*)) };
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
    }
}
