//! `projects FOLDER_ID`: the shorts Klap made from one video, best first.

use std::cmp::Ordering;
use std::io::Write;

use anstyle::AnsiColor;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::cli::ProjectsArgs;
use crate::config::Ctx;
use crate::exit::{Code, Tally, code_of, fail};
use crate::json;
use crate::model::{MAX_EXPORTS, parse_id, server_id, text};
use crate::output;
use crate::say;
use crate::table::{self, Cell, PROJECT_COLUMNS};
use crate::text::{sanitize, snippet};
use crate::values::{Format, Mode};

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
    folder: &'a str,
    raw: &'a str,
    fields: Fields<'a>,
    score: Option<f64>,
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
    print(ctx, &all, &mut tally)?;
    tally.finish()
}

/// A folder's projects best first: `virality_score` descending, unknown scores last,
/// otherwise the API's order; then `min` and `top` applied.
fn best<'a>(
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

fn print(ctx: &Ctx, projects: &[Project], tally: &mut Tally) -> anyhow::Result<()> {
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
                if let Some(r) = reference(p, tally) {
                    writeln!(out, "{r}")?;
                }
            }
        }
        Format::Tsv => {
            for p in projects {
                let cols = [
                    reference(p, tally).unwrap_or_default(),
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
                        virality = virality.fg(AnsiColor::Cyan);
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
