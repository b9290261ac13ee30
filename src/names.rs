//! `--name TEMPLATE`: file names for downloads, made safe for every common file system.

use std::fmt::Write as _;

use crate::text::is_unsafe;

/// The template when `--name` is not given (the engine's own `<id>.mp4`).
#[allow(
    dead_code,
    reason = "documents the default; the engine names files so without --name"
)]
pub const DEFAULT: &str = "{id}.mp4";
/// The template of `shorts` when `--name` is not given.
pub const SHORTS_DEFAULT: &str = "{rank:02}-{name}.mp4";
/// The longest file name written, in characters, the extension included.
pub const MAX_CHARS: usize = 120;

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Id,
    Project,
    Folder,
    Name,
    /// `{rank}`, or `{rank:0N}` padded with zeros to N digits.
    Rank(usize),
    Score,
}

/// A parsed `--name` template: checked once, before anything is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
    /// The extension the template itself ends with (`.mp4`), else `.mp4` is added.
    ext: String,
    /// As the user wrote it (for a pick-up command to paste).
    pub source: String,
}

/// What one export puts into a template. Missing values render empty.
#[derive(Debug, Default, Clone, Copy)]
pub struct Values<'a> {
    pub id: &'a str,
    pub project: Option<&'a str>,
    pub folder: Option<&'a str>,
    pub name: Option<&'a str>,
    /// 1-based position: in the order given, or best first under `shorts`.
    pub rank: usize,
    /// The virality score as the server wrote it.
    pub score: Option<&'a str>,
}

impl Template {
    /// Parses a template. `{{` and `}}` are literal braces.
    pub fn parse(s: &str) -> Result<Template, String> {
        if s.contains(['/', '\\']) {
            return Err(format!(
                "{s:?} holds a path separator: --name is one file name inside the directory"
            ));
        }
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.as_str().starts_with('{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.as_str().starts_with('}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let rest = chars.as_str();
                    let Some(end) = rest.find('}') else {
                        return Err(format!("{s:?} has a `{{` without its `}}`"));
                    };
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(placeholder(&rest[..end])?);
                    chars = rest[end + 1..].chars();
                }
                '}' => return Err(format!("{s:?} has a `}}` without its `{{`")),
                c => text.push(c),
            }
        }
        let ext = extension(&text).unwrap_or(".mp4").to_string();
        if let Some(stem) = text.strip_suffix(ext.as_str()) {
            text.truncate(stem.len());
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template {
            parts,
            ext,
            source: s.to_string(),
        })
    }

    /// The file name for one export: values made safe, leading `.`/`-` and trailing dots
    /// and spaces removed, at most [`MAX_CHARS`], `{id}` when nothing is left.
    pub fn render(&self, v: &Values) -> String {
        let mut stem = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => stem.push_str(&safe(t)),
                Part::Id => stem.push_str(&safe(v.id)),
                Part::Project => stem.push_str(&safe(v.project.unwrap_or(""))),
                Part::Folder => stem.push_str(&safe(v.folder.unwrap_or(""))),
                Part::Name => stem.push_str(&safe(v.name.unwrap_or(""))),
                Part::Rank(width) => {
                    let _ = write!(stem, "{:0width$}", v.rank);
                }
                Part::Score => stem.push_str(&safe(v.score.unwrap_or(""))),
            }
        }
        let room = MAX_CHARS - self.ext.chars().count();
        let mut stem = tidy(&stem, room);
        if stem.is_empty() {
            stem = tidy(&safe(v.id), room);
        }
        if stem.is_empty() {
            stem = "export".to_string();
        }
        stem + &self.ext
    }
}

fn placeholder(inner: &str) -> Result<Part, String> {
    Ok(match inner {
        "id" => Part::Id,
        "project" => Part::Project,
        "folder" => Part::Folder,
        "name" => Part::Name,
        "rank" => Part::Rank(0),
        "score" => Part::Score,
        _ => match inner.strip_prefix("rank:0").map(str::parse::<usize>) {
            Some(Ok(width @ 1..=9)) => Part::Rank(width),
            _ => {
                return Err(format!(
                    "unknown placeholder {{{}}} (known: {{id}}, {{project}}, {{folder}}, \
                     {{name}}, {{rank}}, {{rank:02}}, {{score}})",
                    crate::text::sanitize(inner)
                ));
            }
        },
    })
}

/// The extension a template's last text ends with: a dot and 1-8 letters or digits.
fn extension(text: &str) -> Option<&str> {
    let dot = text.rfind('.')?;
    let ext = &text[dot + 1..];
    ((1..=8).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(&text[dot..])
}

/// A value with every character that some file system refuses or that could hide text
/// replaced by `_`.
pub fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if is_unsafe(c) || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// No leading `.`/`-` (hidden files, options), no trailing dots or spaces (Windows drops
/// them), at most `room` characters.
fn tidy(stem: &str, room: usize) -> String {
    let stem = stem.trim_start_matches(['.', '-']);
    let cut: String = stem.chars().take(room).collect();
    cut.trim_end_matches(['.', ' ']).to_string()
}

/// The first two positions whose names are one file (compared without case, as on
/// macOS and Windows).
pub fn clash(names: &[String]) -> Option<(usize, usize)> {
    let mut seen = std::collections::HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if let Some(&j) = seen.get(&name.to_lowercase()) {
            return Some((j, i));
        }
        seen.insert(name.to_lowercase(), i);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values<'static> {
        Values {
            id: "exp_1",
            project: Some("p1"),
            folder: Some("f1"),
            name: Some("The best 40 seconds"),
            rank: 3,
            score: Some("0.85"),
        }
    }

    fn render(template: &str, v: &Values) -> String {
        Template::parse(template).unwrap().render(v)
    }

    #[test]
    fn default_names_by_id() {
        assert_eq!(render(DEFAULT, &values()), "exp_1.mp4");
        assert_eq!(
            render(SHORTS_DEFAULT, &values()),
            "03-The best 40 seconds.mp4"
        );
    }

    #[test]
    fn every_placeholder() {
        let t = "{folder}_{project}_{id}_{rank}_{rank:03}_{score}_{name}";
        assert_eq!(
            render(t, &values()),
            "f1_p1_exp_1_3_003_0.85_The best 40 seconds.mp4"
        );
        assert_eq!(render("{{x}}-{id}", &values()), "{x}-exp_1.mp4");
    }

    #[test]
    fn extension_added_only_when_missing() {
        assert_eq!(render("{id}", &values()), "exp_1.mp4");
        assert_eq!(render("{id}.mov", &values()), "exp_1.mov");
        // A dot inside a value is not the template's extension.
        let v = Values {
            name: Some("Mr. Smith"),
            ..values()
        };
        assert_eq!(render("{name}", &v), "Mr. Smith.mp4");
    }

    #[test]
    fn unknown_placeholders_and_separators_are_refused() {
        for bad in [
            "{nope}",
            "{rank:2}",
            "{rank:00}",
            "{id",
            "id}",
            "a/{id}",
            "a\\b",
            "{}",
        ] {
            assert!(Template::parse(bad).is_err(), "{bad}");
        }
        let err = Template::parse("{nme}").unwrap_err();
        assert!(err.contains("{nme}") && err.contains("{name}"), "{err}");
    }

    #[test]
    fn hostile_values_become_one_safe_name() {
        let v = Values {
            name: Some("../../etc/passwd\u{202E}\u{1b}[31m:*?\"<>|\\"),
            ..values()
        };
        let name = render("{name}", &v);
        assert_eq!(name, "_.._etc_passwd__[31m________.mp4");
        assert!(!name.contains('/') && !name.chars().any(is_unsafe));
    }

    #[test]
    fn leading_dots_dashes_trailing_dots_spaces_go() {
        let v = Values {
            name: Some("..-hidden. . "),
            ..values()
        };
        assert_eq!(render("{name}", &v), "hidden.mp4");
        let v = Values {
            name: Some("--rm -rf"),
            ..values()
        };
        assert_eq!(render("{name}", &v), "rm -rf.mp4");
    }

    #[test]
    fn empty_falls_back_to_the_id() {
        let v = Values {
            name: None,
            ..values()
        };
        assert_eq!(render("{name}", &v), "exp_1.mp4");
        let v = Values {
            name: Some("..."),
            ..values()
        };
        assert_eq!(render("{name}", &v), "exp_1.mp4");
    }

    #[test]
    fn at_most_120_characters_with_the_extension() {
        let long = "é".repeat(300);
        let v = Values {
            name: Some(&long),
            ..values()
        };
        let name = render("{rank:02}-{name}.mp4", &v);
        assert_eq!(name.chars().count(), MAX_CHARS);
        assert!(name.starts_with("03-é") && name.ends_with("é.mp4"));
    }

    #[test]
    fn clashes_ignore_case() {
        let names = ["a.mp4", "B.mp4", "b.mp4"].map(String::from);
        assert_eq!(clash(&names), Some((1, 2)));
        assert_eq!(clash(&names[..2]), None);
    }
}
