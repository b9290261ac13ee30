//! `projects FOLDER_ID`: the shorts Klap made from one video, best first.

use std::cmp::Ordering;
use std::io::Write;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::cli::{Format, ProjectsArgs};
use crate::config::Ctx;
use crate::exit::{Code, Tally, fail};
use crate::json;
use crate::model::{MAX_EXPORTS, server_id, text};
use crate::output;
use crate::table::{self, Cell, Color, PROJECT_COLUMNS};
use crate::text::{sanitize, snippet};

/// Read leniently, as exports are: an odd field in one project fails nothing.
#[derive(Deserialize)]
struct Fields<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    id: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    name: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    created_at: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    virality_score: Option<&'a RawValue>,
}

struct Project<'a> {
    raw: &'a str,
    fields: Fields<'a>,
    score: Option<f64>,
}

pub fn run(a: &ProjectsArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let api = &ctx.api;
    let body = api.get(&api.folder_url(&a.folder))?;
    let unexpected = |why: String| {
        fail(
            Code::Error,
            format!(
                "unexpected response: expected a JSON array of projects ({why}); got: {}",
                snippet(&body)
            ),
        )
    };
    // Split by the scanner with the list's element cap: memory stays bounded.
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
            Ok(Project { raw, fields, score })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    // Best first; unknown scores last; otherwise the API's order (the sort is stable).
    projects.sort_by(|x, y| match (x.score, y.score) {
        (Some(a), Some(b)) => b.partial_cmp(&a).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    if let Some(min) = a.min_virality {
        projects.retain(|p| p.score.is_some_and(|s| s >= min));
    }
    if let Some(top) = a.top {
        projects.truncate(top);
    }
    let mut tally = Tally::default();
    print(ctx, &a.folder, &projects, &mut tally)?;
    tally.finish()
}

/// `FOLDER_ID/PROJECT_ID`, when the server's ID passes the rule for IDs: it goes on to
/// `create -`, which would refuse it (or worse, take it apart) otherwise.
fn reference(folder: &str, p: &Project, tally: &mut Tally) -> Option<String> {
    let id = p.fields.id.as_deref().unwrap_or_default();
    match server_id(id) {
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

fn print(ctx: &Ctx, folder: &str, projects: &[Project], tally: &mut Tally) -> anyhow::Result<()> {
    let mut out = Vec::with_capacity(64 * 1024);
    let text = |v: &Option<std::borrow::Cow<str>>| v.as_deref().unwrap_or("").to_string();
    let score = |p: &Project| match p.fields.virality_score.map(RawValue::get) {
        None | Some("null") => String::new(),
        Some(v) => v.to_string(),
    };
    match ctx.ui.format {
        Format::Json => output::json_array(&mut out, projects.iter().map(|p| p.raw))?,
        Format::Ndjson => {
            for p in projects {
                output::json_line(&mut out, p.raw)?;
            }
        }
        Format::Refs => {
            for p in projects {
                if let Some(r) = reference(folder, p, tally) {
                    writeln!(out, "{r}")?;
                }
            }
        }
        Format::Tsv => {
            for p in projects {
                let cols = [
                    reference(folder, p, tally).unwrap_or_default(),
                    text(&p.fields.name),
                    score(p),
                    text(&p.fields.created_at),
                ];
                let cols: Vec<String> = cols.iter().map(|c| sanitize(c).into_owned()).collect();
                writeln!(out, "{}", cols.join("\t"))?;
            }
        }
        Format::Table => {
            let rows: Vec<Vec<Cell>> = projects
                .iter()
                .map(|p| {
                    let s = score(p);
                    let s = if s.is_empty() { "-".to_string() } else { s };
                    let mut virality = Cell::new(s);
                    if p.score.is_some() {
                        virality = virality.fg(Color::DarkCyan);
                    }
                    vec![
                        Cell::new(text(&p.fields.id)),
                        Cell::new(text(&p.fields.name)),
                        virality,
                        Cell::new(text(&p.fields.created_at)),
                    ]
                })
                .collect();
            if !rows.is_empty() {
                let width = if ctx.ui.stdout_tty {
                    table::stdout_width()
                } else {
                    None
                };
                for line in table::render(&PROJECT_COLUMNS, &rows, width, ctx.ui.color) {
                    writeln!(out, "{line}")?;
                }
            }
        }
    }
    output::emit(ctx.ui, out)
}
