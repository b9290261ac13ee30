//! `download`: fetch the MP4s of ready exports, several at once, to files or stdout.

use std::sync::Mutex;

use serde::Serialize;

use crate::cli::{self, DownloadArgs};
use crate::config::Ctx;
use crate::exit::{Code, Fail, Tally, code_of, fail};
use crate::model::{ExportRef, State, parse_current};
use crate::output::{self, Plain, Shape};
use crate::progress::{Bytes, Progress};
use crate::save::{self, Exists, Saved, Target};

struct Job {
    index: usize,
    url: reqwest::Url,
    id: String,
    ui: Bytes,
}

pub fn run(a: &DownloadArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let refs = cli::refs(&a.refs, ExportRef::parse)?;
    let dest = a.files.dest(a.output.clone());
    let ids: Vec<&str> = refs.iter().map(|r| r.export.as_str()).collect();
    dest.check(Some(&ids), refs.len() > 1, true, ctx.ui.stdout_tty)?;
    let mut tally = Tally::default();
    let progress = Progress::new(ctx.ui.progress, ctx.ui.color_stderr);
    let saved: Mutex<Vec<Option<Saved>>> = Mutex::new((0..refs.len()).map(|_| None).collect());
    let keep = |index: usize, s: Saved| {
        if let Ok(mut all) = saved.lock() {
            all[index] = Some(s);
        }
    };
    let errors: Mutex<Vec<(usize, anyhow::Error)>> = Mutex::new(Vec::new());
    let work = |job: Job| match save::save(
        &ctx.api,
        &job.url,
        &job.id,
        &dest,
        ctx.api.retries(),
        &job.ui,
    ) {
        Ok(s) => keep(job.index, s),
        Err(e) => {
            job.ui.clear();
            if let Ok(mut all) = errors.lock() {
                all.push((job.index, e));
            }
        }
    };
    save::pipeline(dest.jobs, work, |tx| {
        let mut list = None;
        // An export ID given twice (`E` and `F/P/E` alike) names one file: downloaded once.
        let mut given = std::collections::HashSet::new();
        for (index, r) in refs.iter().enumerate() {
            if !given.insert(r.export.as_str()) {
                continue;
            }
            let ui = progress.download(&r.to_string());
            // A file that is there already needs no request at all.
            if dest.exists == Exists::Skip
                && let Target::File(path) = dest.target(&r.export)
                && path.exists()
            {
                ui.skipped(&path);
                keep(index, Saved::Skipped(path));
                continue;
            }
            match ready_url(ctx, r, &mut list, a.output.as_deref()) {
                Ok(url) => {
                    let job = Job {
                        index,
                        url,
                        id: r.export.clone(),
                        ui,
                    };
                    if tx.send(job).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    ui.clear();
                    let auth = code_of(&e) == Code::Auth;
                    tally.error(&e);
                    if auth {
                        break;
                    }
                }
            }
        }
    });
    drop(progress);
    let mut errors = errors.into_inner().unwrap_or_default();
    errors.sort_by_key(|(i, _)| *i);
    for (i, e) in errors {
        tally.error(&e.context(refs[i].to_string()));
    }
    let saved = saved.into_inner().unwrap_or_default();
    print(ctx, &refs, &saved)?;
    tally.finish()
}

/// The file URL of a ready export; failed is exit 5, still processing exit 1 with a hint.
fn ready_url(
    ctx: &Ctx,
    r: &ExportRef,
    list: &mut crate::api::ListIndex,
    output: Option<&std::path::Path>,
) -> anyhow::Result<reqwest::Url> {
    let body = ctx.api.export(r, list)?;
    let export = parse_current(&body)?;
    match export.state() {
        Some(State::Ready) => export.file_url(),
        Some(State::Failed) => Err(fail(
            Code::ExportFailed,
            format!(
                "export {r} failed (status: {})",
                crate::text::sanitize(export.status().unwrap_or_default())
            ),
        )),
        Some(State::Processing) | None => Err(Fail::new(
            Code::Error,
            format!("export {r} is not ready yet"),
        )
        .hint(format!(
            "use `klap-export wait --download {} {r}` to wait for it",
            output.map_or(".".into(), |p| p.display().to_string())
        ))
        .into()),
    }
}

#[derive(Serialize)]
struct Written<'a> {
    #[serde(rename = "ref")]
    reference: String,
    path: &'a std::path::Path,
    bytes: u64,
    skipped: bool,
}

/// The written paths in the order given; with `--json`/`--ndjson`, an object per file.
fn print(ctx: &Ctx, refs: &[ExportRef], saved: &[Option<Saved>]) -> anyhow::Result<()> {
    let files: Vec<Written> = refs
        .iter()
        .zip(saved)
        .filter_map(|(r, s)| match s.as_ref()? {
            Saved::Written { path, bytes } => Some(Written {
                reference: r.to_string(),
                path,
                bytes: *bytes,
                skipped: false,
            }),
            Saved::Skipped(path) => Some(Written {
                reference: r.to_string(),
                path,
                bytes: 0,
                skipped: true,
            }),
            Saved::Stdout(_) => None,
        })
        .collect();
    // One ref gives an object in JSON; stdout (`-o -`) prints no file.
    let shape = if refs.len() == 1 {
        Shape::Object
    } else {
        Shape::Array
    };
    let json = files
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<_, _>>()?;
    let lines: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
    output::print(
        ctx.ui,
        &mut Plain {
            shape,
            json,
            refs: lines.clone(),
            lines,
        },
    )
}
