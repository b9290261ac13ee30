//! `create`: start exports of projects (or, with `--reuse`, take the newest one that has
//! not failed), then optionally wait and download.

use std::collections::BTreeMap;

use crate::cli::{CreateArgs, Global};
use crate::config::Ctx;
use crate::download::Exists;
use crate::exit::{Code, Fail, Tally, code_of, fail};
use crate::interrupt;
use crate::model::{
    CreateBody, Export, ExportRef, ProjectRef, State, Watermark, parse_export, parse_id, parse_list,
};
use crate::output::Report;
use crate::say;
use crate::text::sanitize;
use crate::watch;

pub fn run(a: &CreateArgs, ctx: &Ctx, g: &Global) -> anyhow::Result<()> {
    let mut plan = super::wait::plan(&a.wait_args, ctx, g)?;
    let projects = super::refs(&a.projects, ProjectRef::parse)?;
    plan.array = super::from_stdin(&a.projects);
    if let Some(dest) = plan.download.as_mut() {
        // Run again, a reused export's file is already there: keep it (unless --force),
        // so the pipeline re-runs with nothing created and nothing fetched.
        if a.reuse && dest.exists == Exists::Refuse {
            dest.exists = Exists::Skip;
        }
        dest.check(None, projects.len() > 1, false, ctx.ui.stdout_tty)?;
        super::wait::check_writable(dest)?;
    }
    let mut tally = Tally::default();
    let lists = if a.reuse {
        lookup(ctx, &projects)?
    } else {
        BTreeMap::new()
    };
    let body = body(a);
    let mut bodies: Vec<String> = Vec::new();
    let mut refs: Vec<ExportRef> = Vec::new();
    let mut denied = false;
    // With --reuse, a project given twice takes what this run made for it the first time.
    let mut made: BTreeMap<String, usize> = BTreeMap::new();
    for p in &projects {
        if a.reuse
            && let Some(&i) = made.get(&p.to_string())
        {
            say!("klap-export: reusing {} (created just now)", refs[i]);
            bodies.push(bodies[i].clone());
            refs.push(refs[i].clone());
            continue;
        }
        if a.reuse {
            match lists.get(&scope(p)) {
                Some(Ok(list)) => {
                    if let Some((text, r, status)) = newest_alive(list, p)? {
                        if a.dry_run {
                            say!("klap-export: would reuse {r} ({})", sanitize(&status));
                            continue;
                        }
                        say!("klap-export: reusing {r} ({})", sanitize(&status));
                        bodies.push(text);
                        refs.push(r);
                        continue;
                    }
                }
                // Without the list we cannot know: creating might make a duplicate.
                Some(Err(e)) => {
                    tally.error(&fail(code_of(e), format!("{p}: {e:#}")));
                    continue;
                }
                None => {}
            }
        }
        // Each export costs money: this is how a batch is checked before paying for it.
        if a.dry_run {
            say!("klap-export: would create {p}");
            continue;
        }
        interrupt::set_note(Some(format!(
            "the export of {p} may have been created; check with: {}",
            check_command(p)
        )));
        let created = ctx.api.create(p, &body);
        interrupt::set_note(None);
        let created = created.map_err(|e| {
            let error = e.error.context(format!("create {p}"));
            if e.ambiguous {
                may_have_created(p, &error)
            } else {
                error
            }
        });
        match created.and_then(|text| created_ref(&text, p).map(|r| (text, r))) {
            Ok((text, r)) => {
                made.insert(p.to_string(), refs.len());
                bodies.push(text);
                refs.push(r);
            }
            // Stop at once, but still print what was created: its refs are needed to
            // pick it up again without creating it twice.
            Err(e) if code_of(&e) == Code::Auth => {
                tally.error(&e);
                denied = true;
                break;
            }
            Err(e) => tally.error(&e),
        }
    }
    if a.dry_run {
        return tally.finish();
    }
    if denied || !(a.wait || plan.download.is_some()) {
        let exports = bodies
            .iter()
            .map(|b| parse_export(b))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let one = projects.len() == 1 && !super::from_stdin(&a.projects);
        Report::of_refs(&exports, &refs, one).print(ctx.ui)?;
        return tally.finish();
    }
    if refs.is_empty() {
        return tally.finish();
    }
    watch::run(&ctx.api, ctx.ui, &refs, &plan, tally)
}

/// What a create sends: the watermark, if any.
fn body(a: &CreateArgs) -> CreateBody {
    CreateBody {
        watermark: a.watermark.clone().map(|src_url| Watermark {
            src_url,
            pos_x: a.watermark_x,
            pos_y: a.watermark_y,
            scale: a.watermark_scale,
        }),
    }
}

/// The created export's ref. Its ID names the downloaded file, so it must pass the user's
/// ID rule; the API may leave out the project, which we know.
fn created_ref(text: &str, p: &ProjectRef) -> anyhow::Result<ExportRef> {
    let export = parse_export(text).map_err(|e| may_have_created(p, &e))?;
    let id = parse_id(&export.id().unwrap_or_default()).map_err(|e| {
        let error = fail(
            Code::Error,
            format!("unexpected response: the created export's id: {e}"),
        );
        may_have_created(p, &error)
    })?;
    Ok(ExportRef {
        project: export
            .reference()
            .and_then(|r| r.project)
            .filter(|got| got.project == p.project)
            .or(Some(p.clone())),
        export: id,
    })
}

/// What one `GET /exports` covers: a folder, or a direct project.
fn scope(p: &ProjectRef) -> (Option<String>, Option<String>) {
    match &p.folder {
        Some(f) => (Some(f.clone()), None),
        None => (None, Some(p.project.clone())),
    }
}

type Lists = BTreeMap<(Option<String>, Option<String>), Result<String, anyhow::Error>>;

/// One `GET /exports` per distinct folder or direct project. 401/403 stop at once.
fn lookup(ctx: &Ctx, projects: &[ProjectRef]) -> anyhow::Result<Lists> {
    let mut lists = Lists::new();
    for p in projects {
        let key = scope(p);
        if lists.contains_key(&key) {
            continue;
        }
        let url = ctx.api.list_url(key.0.as_deref(), key.1.as_deref());
        let list = ctx.api.get(&url);
        if let Err(e) = &list
            && code_of(e) == Code::Auth
        {
            return Err(list.unwrap_err());
        }
        lists.insert(key, list);
    }
    Ok(lists)
}

/// The project's newest export that has not failed: its JSON, ref and status.
fn newest_alive(list: &str, p: &ProjectRef) -> anyhow::Result<Option<(String, ExportRef, String)>> {
    let exports = parse_list(list)?;
    let mine = |e: &&Export| {
        e.reference().is_some_and(|r| {
            r.project.is_some_and(|rp| {
                rp.project == p.project && (p.folder.is_none() || rp.folder == p.folder)
            })
        }) && matches!(e.state(), Some(State::Ready | State::Processing))
    };
    let best = exports.iter().filter(mine).min_by_key(|e| e.created());
    Ok(best.and_then(|e| {
        let r = e.reference()?;
        Some((e.raw.to_string(), r, e.status()?.to_string()))
    }))
}

/// A create that failed after it may have reached the server: say how to check.
fn may_have_created(project: &ProjectRef, error: &anyhow::Error) -> anyhow::Error {
    Fail::new(
        Code::Error,
        format!("{error:#}; the export may have been created"),
    )
    .hint(format!(
        "check before creating again (or use --reuse): {}",
        check_command(project)
    ))
    .into()
}

/// The command that shows whether a create reached the server.
fn check_command(project: &ProjectRef) -> String {
    match &project.folder {
        Some(folder) => format!(
            "klap-export list --project {} --folder {folder}",
            project.project
        ),
        None => format!("klap-export list --project {}", project.project),
    }
}
