//! `projects FOLDER_ID`: the shorts Klap made from one video, best first.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::cli::ProjectsArgs;
use crate::config::Ctx;
use crate::exit::{Code, Tally, code_of, fail};
use crate::json;
use crate::model::{MAX_EXPORTS, parse_id, text};
use crate::output::{self, Rows, Text};
use crate::say;
use crate::table::{Cell, Color, PROJECT_COLUMNS};
use crate::text::snippet;
use crate::values::Mode;

/// Read leniently, as exports are: an odd field in one project fails nothing.
#[derive(Deserialize)]
pub struct Fields<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    pub id: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    pub name: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    created_at: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    pub virality_score: Option<&'a RawValue>,
    /// What `shorts` keeps in its manifest.
    #[serde(borrow, default)]
    pub publication_captions: Option<&'a RawValue>,
}

pub struct Project<'a> {
    folder: &'a str,
    raw: &'a str,
    pub fields: Fields<'a>,
    /// `virality_score` as a finite number, as the server wrote it.
    pub score: Option<f64>,
}

pub fn run(a: &ProjectsArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let folders = super::refs(&a.folders, parse_id)?;
    let mut tally = Tally::default();
    let mut bodies = Vec::with_capacity(folders.len());
    for folder in &folders {
        match ctx.api.get(&ctx.api.folder_url(folder)) {
            Ok(body) => bodies.push((folder.as_str(), body)),
            Err(e) if code_of(&e) == Code::Auth => return Err(e),
            Err(e) => tally.error(&e),
        }
    }
    let mut all = Vec::new();
    for (folder, body) in &bodies {
        // --top and --min-virality apply to each folder.
        match best(folder, body, a.top, a.min_virality) {
            Ok(projects) => {
                if projects.is_empty() && ctx.ui.progress == Mode::Terminal {
                    say!("klap-export: no projects in folder {folder}");
                }
                all.extend(projects);
            }
            Err(e) => tally.error(&e),
        }
    }
    output::print(
        ctx.ui,
        &mut ProjectRows {
            projects: &all,
            tally: &mut tally,
        },
    )?;
    tally.finish()
}

/// A folder's projects best first: `virality_score` descending, unknown scores last,
/// otherwise the API's order; then `min` and `top` applied (`shorts` chooses with it too).
pub fn best<'a>(
    folder: &'a str,
    body: &'a str,
    top: Option<usize>,
    min: Option<f64>,
) -> anyhow::Result<Vec<Project<'a>>> {
    let unexpected = |why: String| {
        fail(
            Code::Error,
            format!(
                "unexpected response: expected a JSON array of projects ({why}); got: {}",
                snippet(body)
            ),
        )
    };
    // Split with the list's element cap: memory stays bounded.
    let raws =
        json::array_items(body.trim(), MAX_EXPORTS).map_err(|e| unexpected(e.to_string()))?;
    let mut projects = raws
        .into_iter()
        .map(|raw| {
            let fields: Fields =
                serde_json::from_str(raw).map_err(|e| unexpected(format!("an element: {e}")))?;
            // Kept as the server wrote it (0..1, or 0..100 from the older API); never rescaled.
            let score = fields
                .virality_score
                .and_then(|v| v.get().parse::<f64>().ok())
                .filter(|v| v.is_finite());
            Ok(Project {
                folder,
                raw,
                fields,
                score,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    // The sort is stable: equal scores keep the API's order.
    projects.sort_by(|x, y| match (x.score, y.score) {
        (Some(a), Some(b)) => b.partial_cmp(&a).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    if let Some(min) = min {
        projects.retain(|p| p.score.is_some_and(|s| s >= min));
    }
    if let Some(top) = top {
        projects.truncate(top);
    }
    Ok(projects)
}

/// `FOLDER_ID/PROJECT_ID`, when the server's ID passes the rule for IDs: it goes on to
/// `create -`, which would refuse it (or worse, take it apart) otherwise.
fn reference(p: &Project, tally: &mut Tally) -> Option<String> {
    let folder = p.folder;
    let id = p.fields.id.as_deref().unwrap_or_default();
    match parse_id(id) {
        Ok(id) => Some(format!("{folder}/{id}")),
        Err(e) => {
            tally.error(&fail(
                Code::Error,
                format!(
                    "unexpected response: a project of {folder} has no usable id ({e}): {}",
                    snippet(p.raw)
                ),
            ));
            None
        }
    }
}

/// The projects as `output` prints them.
struct ProjectRows<'p, 'a> {
    projects: &'p [Project<'a>],
    /// A project without a usable ID is an error where its ref is printed (tsv, `-q`).
    tally: &'p mut Tally,
}

/// The score as the server wrote it; empty when missing or null.
fn score(p: &Project) -> String {
    match p.fields.virality_score.map(RawValue::get) {
        None | Some("null") => String::new(),
        Some(v) => v.to_string(),
    }
}

fn or_empty(v: Option<&str>) -> String {
    v.unwrap_or_default().to_string()
}

impl Rows for ProjectRows<'_, '_> {
    fn json(&self) -> Vec<Cow<'_, str>> {
        self.projects.iter().map(|p| Cow::Borrowed(p.raw)).collect()
    }

    fn table(&mut self) -> Text<'_> {
        let rows = self
            .projects
            .iter()
            .map(|p| {
                let s = score(p);
                let s = if s.is_empty() { "-".to_string() } else { s };
                let mut virality = Cell::new(s);
                if p.score.is_some() {
                    virality = virality.fg(Color::DarkCyan);
                }
                vec![
                    Cell::new(or_empty(p.fields.id.as_deref())),
                    Cell::new(or_empty(p.fields.name.as_deref())),
                    virality,
                    Cell::new(or_empty(p.fields.created_at.as_deref())),
                ]
            })
            .collect();
        Text::Table(&PROJECT_COLUMNS, rows)
    }

    fn tsv(&mut self) -> Text<'_> {
        let rows = self
            .projects
            .iter()
            .map(|p| {
                vec![
                    reference(p, self.tally).unwrap_or_default(),
                    or_empty(p.fields.name.as_deref()),
                    score(p),
                    or_empty(p.fields.created_at.as_deref()),
                ]
            })
            .collect();
        Text::Fields(rows)
    }

    fn refs(&mut self) -> Text<'_> {
        let rows = self
            .projects
            .iter()
            .filter_map(|p| reference(p, self.tally))
            .map(|r| vec![r])
            .collect();
        Text::Fields(rows)
    }
}
