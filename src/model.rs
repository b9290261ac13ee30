//! References to projects and exports, and the Export object the API returns.

use std::borrow::Cow;
use std::fmt;

use reqwest::Url;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::exit::{Code, fail};
use crate::text::{sanitize, snippet};

/// Checks one ID: 1-128 characters of `A-Z a-z 0-9 . _ ~ -`, not `.` or `..`.
pub fn parse_id(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Err("an ID cannot be empty".into());
    }
    if s.len() > 128 {
        return Err(format!(
            "an ID has at most 128 characters, this one has {}",
            s.len()
        ));
    }
    if s == "." || s == ".." {
        return Err(format!("'{s}' is not an ID"));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '~' | '-')))
    {
        return Err(format!(
            "{c:?} is not allowed in an ID (only A-Z a-z 0-9 . _ ~ -)"
        ));
    }
    Ok(s.to_string())
}

fn split_ids(s: &str, max: usize, forms: &str) -> Result<Vec<String>, String> {
    let parts: Vec<&str> = s.split('/').collect();
    if parts.len() > max {
        return Err(format!("too many parts in '{s}': expected {forms}"));
    }
    parts.into_iter().map(parse_id).collect()
}

/// `PROJECT_ID` or `FOLDER_ID/PROJECT_ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRef {
    pub folder: Option<String>,
    pub project: String,
}

impl ProjectRef {
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut ids = split_ids(s, 2, "PROJECT_ID or FOLDER_ID/PROJECT_ID")?;
        let project = ids.pop().unwrap_or_default();
        Ok(Self {
            folder: ids.pop(),
            project,
        })
    }

    /// The API path segments of this project.
    pub fn segments(&self) -> Vec<&str> {
        let mut segs = vec!["projects"];
        segs.extend(self.folder.as_deref());
        segs.push(&self.project);
        segs
    }
}

impl fmt::Display for ProjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(folder) = &self.folder {
            write!(f, "{folder}/")?;
        }
        f.write_str(&self.project)
    }
}

/// A bare `EXPORT_ID` (looked up in the list) or a path to one export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRef {
    pub project: Option<ProjectRef>,
    pub export: String,
}

impl ExportRef {
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut ids = split_ids(
            s,
            3,
            "EXPORT_ID, PROJECT_ID/EXPORT_ID or FOLDER_ID/PROJECT_ID/EXPORT_ID",
        )?;
        let export = ids.pop().unwrap_or_default();
        let project = ids.pop().map(|project| ProjectRef {
            folder: ids.pop(),
            project,
        });
        Ok(Self { project, export })
    }
}

impl fmt::Display for ExportRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.project {
            write!(f, "{p}/")?;
        }
        f.write_str(&self.export)
    }
}

/// What a status string means. Both of the vendor's spellings are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Processing,
    Ready,
    Failed,
}

impl State {
    /// The state a status text names; unknown text is still in progress.
    pub fn of(status: &str) -> State {
        match status.to_ascii_lowercase().as_str() {
            "ready" | "completed" => State::Ready,
            "error" | "failed" | "cancelled" | "canceled" => State::Failed,
            _ => State::Processing,
        }
    }

    /// For `list --status`: which state a filter word selects, if it names one.
    pub fn from_filter(word: &str) -> Option<State> {
        match word.to_ascii_lowercase().as_str() {
            "processing" | "pending" | "in_progress" => Some(State::Processing),
            "ready" | "completed" => Some(State::Ready),
            "error" | "failed" | "cancelled" | "canceled" => Some(State::Failed),
            _ => None,
        }
    }
}

/// The fields of an export this tool reads. Everything else stays in `raw`.
#[derive(Debug, Default, Deserialize)]
pub struct Fields<'a> {
    #[serde(borrow, default)]
    pub id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub status: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub src_url: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub project_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub folder_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub created_at: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub finished_at: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub name: Option<Cow<'a, str>>,
}

/// One export as the server sent it: its exact JSON text and the fields read from it.
#[derive(Debug)]
pub struct Export<'a> {
    pub raw: &'a RawValue,
    pub fields: Fields<'a>,
}

impl<'a> Export<'a> {
    pub fn from_raw(raw: &'a RawValue) -> Result<Self, serde_json::Error> {
        Ok(Export {
            raw,
            fields: serde_json::from_str(raw.get())?,
        })
    }

    pub fn status(&self) -> Option<&str> {
        self.fields.status.as_deref()
    }

    /// Ready means a ready status **and** a file to fetch.
    pub fn state(&self) -> Option<State> {
        let state = State::of(self.status()?);
        if state == State::Ready && self.fields.src_url.is_none() {
            return Some(State::Processing);
        }
        Some(state)
    }

    /// The file to download: `src_url`, which must be an http(s) URL.
    pub fn file_url(&self) -> anyhow::Result<Url> {
        let src = self.fields.src_url.as_deref().unwrap_or_default();
        Url::parse(src)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                fail(
                    Code::Error,
                    format!(
                        "unexpected response: src_url is not an http(s) URL: {}",
                        sanitize(src)
                    ),
                )
            })
    }

    /// The long reference the API gives, `FOLDER/PROJECT/EXPORT` or shorter.
    pub fn reference(&self) -> Option<ExportRef> {
        let f = &self.fields;
        let project = f.project_id.as_ref().map(|p| ProjectRef {
            folder: f.folder_id.as_ref().map(ToString::to_string),
            project: p.to_string(),
        });
        Some(ExportRef {
            project,
            export: f.id.as_ref()?.to_string(),
        })
    }

    /// The reference to print: the long form when the server gave its parts,
    /// else what the user typed.
    pub fn display_ref(&self, asked: Option<&ExportRef>) -> String {
        match (self.reference(), asked) {
            (Some(r), Some(a)) if r.project.is_none() => a.to_string(),
            (Some(r), _) => r.to_string(),
            (None, Some(a)) => a.to_string(),
            (None, None) => String::new(),
        }
    }
}

fn malformed(expected: &str, why: impl fmt::Display, body: &str) -> anyhow::Error {
    fail(
        Code::Error,
        format!(
            "unexpected response: expected {expected} ({why}); got: {}",
            snippet(body)
        ),
    )
}

fn object<'a>(raw: &'a RawValue, body: &str) -> anyhow::Result<Export<'a>> {
    const EXPECTED: &str = "an export object";
    if !raw.get().starts_with('{') {
        return Err(malformed(EXPECTED, "not a JSON object", body));
    }
    Export::from_raw(raw).map_err(|e| malformed(EXPECTED, e, body))
}

/// The body of a create: `{}`, or a watermark with the fields that were given.
#[derive(Debug, Default, Serialize)]
pub struct CreateBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watermark: Option<Watermark>,
}

#[derive(Debug, Serialize)]
pub struct Watermark {
    pub src_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pos_x: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pos_y: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<f64>,
}

/// One export object (create and status).
pub fn parse_export(body: &str) -> anyhow::Result<Export<'_>> {
    let raw: &RawValue =
        serde_json::from_str(body.trim()).map_err(|e| malformed("an export object", e, body))?;
    object(raw, body)
}

/// The current state of one export (status, wait, download): an object with a `status`.
pub fn parse_current(body: &str) -> anyhow::Result<Export<'_>> {
    let export = parse_export(body)?;
    if export.status().is_none() {
        return Err(malformed("an export object", "it has no status", body));
    }
    Ok(export)
}

/// The list: a bare array, or one wrapped as `{"exports": [...]}` or `{"data": [...]}`.
pub fn parse_list(body: &str) -> anyhow::Result<Vec<Export<'_>>> {
    #[derive(Deserialize)]
    struct Wrapped<'a> {
        #[serde(borrow)]
        exports: Option<Vec<&'a RawValue>>,
        #[serde(borrow)]
        data: Option<Vec<&'a RawValue>>,
    }
    const EXPECTED: &str = "a JSON array of exports";
    let trimmed = body.trim_start();
    let items: Vec<&RawValue> = if trimmed.starts_with('{') {
        let w: Wrapped = serde_json::from_str(trimmed).map_err(|e| malformed(EXPECTED, e, body))?;
        w.exports
            .or(w.data)
            .ok_or_else(|| malformed(EXPECTED, "an object without exports", body))?
    } else {
        serde_json::from_str(trimmed).map_err(|e| malformed(EXPECTED, e, body))?
    };
    items
        .into_iter()
        .map(|raw| object(raw, raw.get()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_parse_in_api_order() {
        let r = ExportRef::parse("f/p/e").unwrap();
        assert_eq!(r.project.as_ref().unwrap().folder.as_deref(), Some("f"));
        assert_eq!(r.project.as_ref().unwrap().project, "p");
        assert_eq!(r.export, "e");
        assert_eq!(ExportRef::parse("p/e").unwrap().to_string(), "p/e");
        assert!(ExportRef::parse("e").unwrap().project.is_none());
        assert_eq!(
            ProjectRef::parse("f/p").unwrap().segments(),
            ["projects", "f", "p"]
        );
    }

    #[test]
    fn bad_refs_are_rejected() {
        let long = "x".repeat(129);
        for bad in [
            "", "a//b", "a/b/c/d", ".", "a/..", "a b", "a%2f", "é", "a/", &long,
        ] {
            assert!(ExportRef::parse(bad).is_err(), "{bad:?}");
        }
        assert!(ProjectRef::parse("a/b/c").is_err());
        assert!(ExportRef::parse(&"x".repeat(128)).is_ok());
    }

    #[test]
    fn ready_needs_a_file() {
        let raw: &RawValue =
            serde_json::from_str(r#"{"id":"e","status":"ready","src_url":null}"#).unwrap();
        assert_eq!(
            Export::from_raw(raw).unwrap().state(),
            Some(State::Processing)
        );
        let raw: &RawValue =
            serde_json::from_str(r#"{"id":"e","status":"COMPLETED","src_url":"u"}"#).unwrap();
        assert_eq!(Export::from_raw(raw).unwrap().state(), Some(State::Ready));
        assert_eq!(State::of("in_progress"), State::Processing);
        assert_eq!(State::of("canceled"), State::Failed);
    }

    proptest::proptest! {
        /// Any string parses to IDs that print back as the same string, or is refused.
        #[test]
        fn export_refs_round_trip_or_are_refused(s in "\\PC{0,40}|[a-z./%~_-]{0,20}") {
            if let Ok(r) = ExportRef::parse(&s) {
                proptest::prop_assert_eq!(r.to_string(), s.clone());
                let parts: Vec<&str> = s.split('/').collect();
                proptest::prop_assert!(parts.len() <= 3);
                proptest::prop_assert!(parts.iter().all(|p| parse_id(p).is_ok()));
            }
            if let Ok(p) = ProjectRef::parse(&s) {
                proptest::prop_assert_eq!(p.to_string(), s);
            }
        }
    }
}
