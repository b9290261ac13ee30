//! `download`: fetch the MP4s of ready exports, several at once, to files or stdout.

use std::collections::HashSet;
use std::path::PathBuf;

use serde::Serialize;

use crate::cli::{DownloadArgs, FileArgs};
use crate::config::Ctx;
use crate::download::{Batch, Dest, Exists, Job, Names, Saved, Target};
use crate::exit::{Code, Fail, Tally, code_of, fail};
use crate::model::{ExportRef, State, parse_current};
use crate::names::Values;
use crate::output::{self, Plain, Shape};
use crate::progress::Progress;

pub fn run(a: &DownloadArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let refs = super::refs(&a.refs, ExportRef::parse)?;
    let dest = dest(&a.files, a.output.clone());
    let ids: Vec<&str> = refs.iter().map(|r| r.export.as_str()).collect();
    // With --name the file names come with the exports: `names` checks them, before
    // anything is fetched.
    let known = a.files.name.is_none().then_some(&ids[..]);
    dest.check(known, refs.len() > 1, true, ctx.ui.stdout_tty)?;
    let mut tally = Tally::default();
    let batch = Batch::new(&ctx.api, &dest, &ids);
    let mut list = None;
    // With --name, every export is looked up first: its name may hold the export's own
    // fields, and two exports on one path are a usage error before anything is fetched.
    let mut named = match &a.files.name {
        Some(template) => Some(names(ctx, &refs, template, &mut list, a)?),
        None => None,
    };
    let progress = Progress::new(ctx.ui.progress, ctx.ui.color_stderr).results(!ctx.ui.quiet());
    batch.run(|tx| {
        // Export IDs whose file is asked for already (or kept): one file each. Refs that
        // share an ID through other folders or projects are still each checked, and the
        // first that is ready fetches it, whatever the order.
        let mut fetched: HashSet<&str> = HashSet::new();
        // Those found on disk under --skip-existing: no request at all, for any ref.
        let mut kept: HashSet<&str> = HashSet::new();
        for (index, r) in refs.iter().enumerate() {
            let id = r.export.as_str();
            if kept.contains(id) {
                continue;
            }
            let repeat = fetched.contains(id);
            let ui = progress.download(&r.to_string());
            let ready = named.as_mut().map(|named| {
                named[index]
                    .take()
                    .unwrap_or_else(|| Err(fail(Code::Error, "no file to fetch")))
            });
            let name = match &ready {
                Some(Ok((_, name))) => name.clone(),
                _ => None,
            };
            // A file that is there already needs no request (without --name, none at
            // all; looked for only before its first download: after, it may be ours).
            if !repeat
                && dest.exists == Exists::Skip
                && matches!(ready, None | Some(Ok(_)))
                && let Target::File(path) = dest.target_named(id, name.as_deref())
                && path.exists()
            {
                ui.skipped(&path);
                batch.keep(index, Ok(Saved::Skipped(path)));
                kept.insert(id);
                continue;
            }
            let ready = ready.unwrap_or_else(|| {
                ready_url(ctx, r, &mut list, a.output.as_deref()).map(|(url, _)| (url, None))
            });
            match ready {
                Ok(_) if repeat => ui.clear(),
                Ok((url, name)) => {
                    fetched.insert(id);
                    let job = Job {
                        index,
                        url,
                        id: r.export.clone(),
                        name,
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
    let mut saved = Vec::with_capacity(refs.len());
    for (r, result) in refs.iter().zip(batch.results()) {
        saved.push(match result {
            Some(Ok(s)) => Some(s),
            Some(Err(e)) => {
                tally.error(&e.context(r.to_string()));
                None
            }
            None => None,
        });
    }
    print(
        ctx,
        &refs,
        &saved,
        refs.len() == 1 && !super::from_stdin(&a.refs),
    )?;
    tally.finish()
}

/// Where the files go (`-o`, or `--download` of `wait` and `create`), and what to do
/// about files already there.
pub fn dest(a: &FileArgs, path: Option<PathBuf>) -> Dest {
    Dest {
        path,
        exists: if a.force {
            Exists::Replace
        } else if a.skip_existing {
            Exists::Skip
        } else {
            Exists::Refuse
        },
        jobs: a.jobs.unwrap_or(4),
    }
}

type Ready = anyhow::Result<(reqwest::Url, Option<String>)>;

/// Each ref's file URL and `--name` file name, looked up before any download. Two exports with one name are a usage error (exit 2); 401/403 stop.
fn names(
    ctx: &Ctx,
    refs: &[ExportRef],
    template: &crate::names::Template,
    list: &mut crate::api::ListIndex,
    a: &DownloadArgs,
) -> anyhow::Result<Vec<Option<Ready>>> {
    let names = Names::new(template.clone());
    let mut out = Vec::with_capacity(refs.len());
    for (index, r) in refs.iter().enumerate() {
        let ready = ready_url(ctx, r, list, a.output.as_deref());
        if let Err(e) = &ready
            && code_of(e) == Code::Auth
        {
            return Err(ready.unwrap_err());
        }
        let ready = match ready {
            Ok((url, body)) => {
                let export = parse_current(&body)?;
                let project = export
                    .reference()
                    .and_then(|x| x.project)
                    .or(r.project.clone());
                let name = export.name();
                let values = Values {
                    id: &r.export,
                    project: project.as_ref().map(|p| p.project.as_str()),
                    folder: project.as_ref().and_then(|p| p.folder.as_deref()),
                    name: name.as_deref(),
                    rank: index + 1,
                    score: None,
                };
                Ok((url, Some(names.take(&values)?)))
            }
            Err(e) => Err(e),
        };
        out.push(Some(ready));
    }
    Ok(out)
}

/// The file URL of a ready export (and its JSON); failed is exit 5, still processing exit 1
/// with a hint.
fn ready_url(
    ctx: &Ctx,
    r: &ExportRef,
    list: &mut crate::api::ListIndex,
    output: Option<&std::path::Path>,
) -> anyhow::Result<(reqwest::Url, String)> {
    let body = ctx.api.export(r, list)?;
    let export = parse_current(&body)?;
    match export.state() {
        Some(State::Ready) => Ok((export.file_url()?, body.clone())),
        Some(State::Failed) => Err(fail(
            Code::ExportFailed,
            format!(
                "export {r} failed (status: {})",
                crate::text::sanitize(&export.status().unwrap_or_default())
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
fn print(ctx: &Ctx, refs: &[ExportRef], saved: &[Option<Saved>], one: bool) -> anyhow::Result<()> {
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
                // The kept file's real size: it is what the user has.
                bytes: std::fs::metadata(path).map_or(0, |m| m.len()),
                skipped: true,
            }),
            Saved::Stdout(_) => None,
        })
        .collect();
    // One ref gives an object in JSON; stdout (`-o -`) prints no file.
    let shape = if one { Shape::Object } else { Shape::Array };
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
