//! References to projects and exports, and the Export object the API returns.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::fmt::{self, Write as _};

use reqwest::Url;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::exit::{Code, fail};
use crate::json;
use crate::text::{sanitize, snippet};

/// Checks one ID, the user's or the server's: 1-128 characters of `A-Z a-z 0-9 . _ ~ -`,
/// not `.` or `..`, and no leading `-`, which would read as an option in `wait $(create -q)`.
pub fn parse_id(s: &str) -> Result<String, String> {
    check_id(s).map(|()| s.to_string())
}

/// [`parse_id`] without the copy.
fn check_id(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("an ID cannot be empty".into());
    }
    if s.starts_with('-') {
        return Err(format!(
            "'{}' starts with '-' (an ID may not: it would read as an option)",
            crate::text::sanitize(s)
        ));
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
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'-');
    if let Some(at) = s.bytes().position(|b| !allowed(b)) {
        let c = s[at..].chars().next().unwrap_or_default();
        return Err(format!(
            "{c:?} is not allowed in an ID (only A-Z a-z 0-9 . _ ~ -)"
        ));
    }
    Ok(())
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
        let is = |words: &[&str]| words.iter().any(|w| status.eq_ignore_ascii_case(w));
        if is(&["ready", "completed"]) {
            State::Ready
        } else if is(&["error", "failed", "cancelled", "canceled"]) {
            State::Failed
        } else {
            State::Processing
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

/// The fields of an export this tool reads, in the order of [`FIELD_NAMES`].
#[derive(Debug, Clone, Copy)]
enum Field {
    Id,
    Status,
    SrcUrl,
    ProjectId,
    FolderId,
    CreatedAt,
    FinishedAt,
    Name,
    /// What the server says about the export (why it failed, for one).
    Descriptions,
}

const FIELD_NAMES: [&str; 9] = [
    "id",
    "status",
    "src_url",
    "project_id",
    "folder_id",
    "created_at",
    "finished_at",
    "name",
    "descriptions",
];

/// A string as text (borrowed when it has no escapes); anything else as `None`. Read
/// from the raw token, not by serde_json's string decoder, which refuses a lone
/// surrogate escape (`"\ud83d"`, what a cut emoji gives): valid JSON, shown as U+FFFD.
pub fn text<'de: 'a, 'a, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'a, str>>, D::Error> {
    let raw: &'de RawValue = Deserialize::deserialize(d)?;
    Ok(json::str_value(raw.get()))
}

/// One export as the server sent it: its exact JSON text, and where in it the string
/// values of the fields this tool reads are. Each is read leniently: a value that is not
/// a string (a number, an object) counts as absent, so one odd field in one export never
/// fails a whole list. Only positions are kept (8 bytes a field), and a value is decoded
/// when asked for: a list of 100,000 exports holds little more than its body.
#[derive(Debug)]
pub struct Export<'a> {
    /// The object's exact JSON text.
    pub raw: &'a str,
    /// Where in `raw` each field's string value is.
    at: json::Spans<{ FIELD_NAMES.len() }>,
}

/// An export's valid IDs, as [`Export::reference`] takes them.
struct Ids<'a> {
    folder: Option<Cow<'a, str>>,
    project: Option<Cow<'a, str>>,
    export: Cow<'a, str>,
}

impl<'a> Export<'a> {
    /// The export whose JSON text is `raw`, which must be an object.
    pub fn from_raw(raw: &'a str) -> Result<Self, json::Error> {
        Ok(Export {
            raw,
            at: json::object_spans(raw, &FIELD_NAMES)?,
        })
    }

    /// A field's text, escapes decoded (borrowed when it has none).
    fn get(&self, field: Field) -> Option<Cow<'a, str>> {
        json::span_text(self.raw, self.at[field as usize])
    }

    pub fn id(&self) -> Option<Cow<'a, str>> {
        self.get(Field::Id)
    }

    pub fn src_url(&self) -> Option<Cow<'a, str>> {
        self.get(Field::SrcUrl)
    }

    pub fn project_id(&self) -> Option<Cow<'a, str>> {
        self.get(Field::ProjectId)
    }

    pub fn folder_id(&self) -> Option<Cow<'a, str>> {
        self.get(Field::FolderId)
    }

    pub fn created_at(&self) -> Option<Cow<'a, str>> {
        self.get(Field::CreatedAt)
    }

    pub fn finished_at(&self) -> Option<Cow<'a, str>> {
        self.get(Field::FinishedAt)
    }

    pub fn name(&self) -> Option<Cow<'a, str>> {
        self.get(Field::Name)
    }

    /// `status` as text, with any character that could hide (a NUL, a control, a bidi
    /// mark) written as a `\u0000` escape: `"ready\u0000"` is not ready, so it must not
    /// show as `ready` (a space for it would look the same). The JSON output keeps the
    /// server's text.
    pub fn status(&self) -> Option<Cow<'a, str>> {
        let s = self.get(Field::Status)?;
        if crate::text::is_safe(&s) {
            return Some(s);
        }
        Some(Cow::Owned(
            s.chars()
                .map(|c| {
                    if crate::text::is_unsafe(c) {
                        format!("\\u{:04x}", u32::from(c))
                    } else {
                        c.to_string()
                    }
                })
                .collect(),
        ))
    }

    /// What the server says of a failed export, as `: TEXT` for an error line (or nothing).
    pub fn why(&self) -> String {
        self.get(Field::Descriptions)
            .map(|d| format!(": {}", sanitize(&d)))
            .unwrap_or_default()
    }

    /// Ready means a ready status **and** a file to fetch.
    pub fn state(&self) -> Option<State> {
        // As sent: a status with a hidden character names no state, escaped or not.
        let state = State::of(&self.get(Field::Status)?);
        if state == State::Ready && self.src_url().is_none() {
            return Some(State::Processing);
        }
        Some(state)
    }

    /// The file to download: `src_url`, which must be an http(s) URL. The error says why
    /// it is not (an invalid port is not a wrong scheme), without its userinfo.
    pub fn file_url(&self) -> anyhow::Result<Url> {
        let src = self.src_url().unwrap_or_default();
        let why = match Url::parse(&src) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => return Ok(url),
            Ok(_) => "is not an http(s) URL".to_string(),
            Err(e) => format!("is not a valid URL ({e})"),
        };
        Err(fail(
            Code::Error,
            format!(
                "unexpected response: src_url {why}: {}",
                sanitize(&crate::text::without_userinfo(&src))
            ),
        ))
    }

    /// The long reference the API gives, `FOLDER/PROJECT/EXPORT` or shorter. The server's
    /// IDs go into paths, file names and printed refs, so each must pass the user's ID rule:
    /// an export without a valid ID has no reference, a bad folder or project ID is left out.
    pub fn reference(&self) -> Option<ExportRef> {
        let ids = self.ids()?;
        Some(ExportRef {
            project: ids.project.map(|project| ProjectRef {
                folder: ids.folder.map(Cow::into_owned),
                project: project.into_owned(),
            }),
            export: ids.export.into_owned(),
        })
    }

    /// The valid IDs of [`Export::reference`], not copied.
    fn ids(&self) -> Option<Ids<'a>> {
        let valid = |id: Option<Cow<'a, str>>| id.filter(|id| check_id(id).is_ok());
        let export = valid(self.id())?;
        // A folder ID that fails the rule makes the whole project part unknown.
        let (folder, project) = match (valid(self.project_id()), self.folder_id()) {
            (Some(project), None) => (None, Some(project)),
            (Some(project), Some(folder)) => match valid(Some(folder)) {
                Some(folder) => (Some(folder), Some(project)),
                None => (None, None),
            },
            (None, _) => (None, None),
        };
        Some(Ids {
            folder,
            project,
            export,
        })
    }

    /// When it was created, for "newest first".
    pub fn created(&self) -> When {
        When::of(self.created_at().as_deref())
    }

    /// The reference to print: the long form when the server gave its parts,
    /// else what the user typed.
    pub fn display_ref(&self, asked: Option<&ExportRef>) -> String {
        let mut text = String::new();
        self.push_ref(asked, &mut text);
        text
    }

    /// [`Export::display_ref`], written at the end of `text`.
    pub fn push_ref(&self, asked: Option<&ExportRef>, text: &mut String) {
        match (self.ids(), asked) {
            (Some(Ids { project: None, .. }) | None, Some(a)) => {
                // Writing to a String cannot fail.
                let _ = write!(text, "{a}");
            }
            (Some(ids), _) => {
                for id in [ids.folder, ids.project].into_iter().flatten() {
                    text.push_str(&id);
                    text.push('/');
                }
                text.push_str(&ids.export);
            }
            (None, None) => {}
        }
    }
}

/// The export `r` names among `listed`, the JSON of a list's exports with `r`'s ID, in
/// the list's order: the first whose project (and folder) fit `r`'s when it gives them.
/// A bare ID that more than one folder or project holds is ambiguous (exit 2, naming
/// the full refs to choose from); one ref listed twice is one export.
pub fn pick<'r>(listed: &[&'r str], r: &ExportRef) -> anyhow::Result<Option<&'r str>> {
    let fits = |full: Option<&ExportRef>| match (&r.project, full.and_then(|f| f.project.as_ref()))
    {
        (Some(want), Some(got)) => {
            want.project == got.project
                && (want.folder.is_none() || got.folder.is_none() || want.folder == got.folder)
        }
        _ => true,
    };
    let mut first = None;
    let mut places: Vec<String> = Vec::new();
    for raw in listed {
        let Ok(e) = Export::from_raw(raw) else {
            continue;
        };
        let full = e.reference();
        if !fits(full.as_ref()) {
            continue;
        }
        first = first.or(Some(*raw));
        if let Some(full) = full.filter(|f| f.project.is_some()) {
            let full = full.to_string();
            if !places.contains(&full) {
                places.push(full);
            }
        }
    }
    if r.project.is_none() && places.len() > 1 {
        return Err(crate::exit::Fail::new(
            Code::Usage,
            format!(
                "export ID '{}' is ambiguous: it is in {}",
                r.export,
                places.join(", ")
            ),
        )
        .hint("give the full ref of the one you mean")
        .into());
    }
    Ok(first)
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

fn object<'a>(raw: &'a str, body: &str) -> anyhow::Result<Export<'a>> {
    const EXPECTED: &str = "an export object";
    if !raw.starts_with('{') {
        return Err(not_an_object(body));
    }
    Export::from_raw(raw).map_err(|e| malformed(EXPECTED, e, body))
}

fn not_an_object(raw: &str) -> anyhow::Error {
    malformed("an export object", "not a JSON object", raw)
}

/// A timestamp as the server wrote it, ordered newest first as an instant: RFC 3339 in
/// any of its forms (`Z`, `+00:00`, 0-9 fractional digits) compares by time; text that does
/// not parse sorts after every instant, by text (descending); a missing one sorts last.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum When {
    Instant(Reverse<jiff::Timestamp>),
    Text(Reverse<String>),
    Missing,
}

impl When {
    pub fn of(text: Option<&str>) -> When {
        match text {
            None => When::Missing,
            Some(t) => t.parse().map_or_else(
                |_| When::Text(Reverse(t.to_string())),
                |at| When::Instant(Reverse(at)),
            ),
        }
    }
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
    object(raw.get(), body)
}

/// The current state of one export (status, wait, download): an object with a `status`.
pub fn parse_current(body: &str) -> anyhow::Result<Export<'_>> {
    let export = parse_export(body)?;
    if export.status().is_none() {
        return Err(malformed("an export object", "it has no status", body));
    }
    Ok(export)
}

/// Most exports read from one list. Each costs a few hundred bytes of memory whatever its
/// size in the body (`[{},{},...]` is 3 bytes an export), so this, not the body cap, is
/// what keeps memory under 1 GiB. A real list at the 256 MiB body cap holds about 880,000.
pub const MAX_EXPORTS: usize = 1_000_000;

/// The list: a bare array, or one wrapped as `{"exports": [...]}` or `{"data": [...]}`.
pub fn parse_list(body: &str) -> anyhow::Result<Vec<Export<'_>>> {
    const EXPECTED: &str = "a JSON array of exports";
    let trimmed = body.trim();
    let array = if trimmed.starts_with('{') {
        json::member(trimmed, &["exports", "data"])
            .map_err(|e| malformed(EXPECTED, e, body))?
            .ok_or_else(|| malformed(EXPECTED, "an object without exports", body))?
    } else {
        trimmed
    };
    // One pass over the body finds the exports and their fields.
    let items = json::array_objects(array, MAX_EXPORTS, &FIELD_NAMES)
        .map_err(|e| malformed(EXPECTED, e, body))?;
    if let Some((raw, _)) = items.iter().find(|(raw, _)| !raw.starts_with('{')) {
        return Err(not_an_object(raw));
    }
    // In place: an element and an export are laid out alike.
    Ok(items
        .into_iter()
        .map(|(raw, at)| Export { raw, at })
        .collect())
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
            Export::from_raw(raw.get()).unwrap().state(),
            Some(State::Processing)
        );
        let raw: &RawValue =
            serde_json::from_str(r#"{"id":"e","status":"COMPLETED","src_url":"u"}"#).unwrap();
        assert_eq!(
            Export::from_raw(raw.get()).unwrap().state(),
            Some(State::Ready)
        );
        assert_eq!(State::of("in_progress"), State::Processing);
        assert_eq!(State::of("canceled"), State::Failed);
    }

    #[test]
    fn a_key_with_a_lone_surrogate_is_valid_json_and_reads_like_any_other() {
        // serde's derive refused these ("lone leading surrogate"); values were already read.
        let list = r#"[{"id":"e1","\ud800":1,"na\udc00me":"x","status":"ready"}]"#;
        let exports = parse_list(list).unwrap();
        assert_eq!(exports[0].id().as_deref(), Some("e1"));
        assert_eq!(exports[0].status().as_deref(), Some("ready"));
        assert_eq!(exports[0].name(), None);
    }

    #[test]
    fn a_status_with_hidden_characters_shows_them_escaped_and_is_not_ready() {
        let raw: &RawValue = serde_json::from_str(
            r#"{"id":"e","status":"ready\u0000","src_url":"https://h/e.mp4"}"#,
        )
        .unwrap();
        let e = Export::from_raw(raw.get()).unwrap();
        assert_eq!(e.status().as_deref(), Some("ready\\u0000"));
        assert_eq!(e.state(), Some(State::Processing));
        let raw: &RawValue = serde_json::from_str(r#"{"status":"re\u202eady"}"#).unwrap();
        assert_eq!(
            Export::from_raw(raw.get()).unwrap().status().as_deref(),
            Some("re\\u202eady")
        );
    }

    #[test]
    fn a_bare_id_in_two_places_is_ambiguous_and_a_full_ref_picks_its_own() {
        let a = r#"{"id":"e1","status":"ready","folder_id":"F","project_id":"p1"}"#;
        let b = r#"{"id":"e1","status":"error","folder_id":"G","project_id":"p2"}"#;
        let bare = ExportRef::parse("e1").unwrap();
        let e = pick(&[a, b], &bare).unwrap_err();
        assert_eq!(crate::exit::code_of(&e), Code::Usage);
        assert!(format!("{e:#}").contains("F/p1/e1, G/p2/e1"), "{e:#}");
        assert_eq!(pick(&[a, a], &bare).unwrap(), Some(a));
        assert_eq!(
            pick(&[a, b], &ExportRef::parse("G/p2/e1").unwrap()).unwrap(),
            Some(b)
        );
        assert_eq!(
            pick(&[a, b], &ExportRef::parse("p1/e1").unwrap()).unwrap(),
            Some(a)
        );
        assert_eq!(
            pick(&[a], &ExportRef::parse("H/p3/e1").unwrap()).unwrap(),
            None
        );
    }

    #[test]
    fn timestamps_compare_as_instants() {
        use std::cmp::Ordering::{Equal, Greater, Less};
        let order = |a: &str, b: &str| When::of(Some(a)).cmp(&When::of(Some(b)));
        // As text "…20.5Z" sorts after "…20.55Z"; as instants it is older.
        assert_eq!(
            order("2023-12-08T05:03:20.5Z", "2023-12-08T05:03:20.55Z"),
            Greater
        );
        assert_eq!(
            order("2023-12-08T05:03:10.91362+00:00", "2023-12-08T05:03:10Z"),
            Less
        );
        assert_eq!(
            order("2023-12-08T06:00:00+01:00", "2023-12-08T05:00:00Z"),
            Equal
        );
        assert_eq!(order("not a time", "2001-01-01T00:00:00Z"), Greater);
        assert_eq!(order("b", "a"), Less);
        assert_eq!(When::Missing.cmp(&When::of(Some("x"))), Greater);
    }

    #[test]
    fn server_ids_that_fail_the_rule_are_not_used() {
        let raw: &RawValue = serde_json::from_str(
            r#"{"id":"e1","status":"ready","folder_id":"x --base-url=https://evil.example/v2 f","project_id":"p"}"#,
        )
        .unwrap();
        let r = Export::from_raw(raw.get()).unwrap().reference().unwrap();
        assert!(r.project.is_none());
        let raw: &RawValue =
            serde_json::from_str(r#"{"id":"..","status":"ready","project_id":"p"}"#).unwrap();
        assert!(Export::from_raw(raw.get()).unwrap().reference().is_none());
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
