//! `status`: the current state of exports. What is found is printed; the rest is reported.

use crate::cli::StatusArgs;
use crate::config::Ctx;
use crate::exit::{Code, Fail, Tally, code_of};
use crate::model::{ExportRef, parse_current, parse_list};
use crate::output::Report;

pub fn run(a: &StatusArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let refs = super::refs(&a.refs, ExportRef::parse)?;
    let mut tally = Tally::default();
    let mut list = None;
    let mut bodies = Vec::new();
    let mut found = Vec::new();
    for r in &refs {
        let body = ctx.api.export(r, &mut list).and_then(|b| {
            parse_current(&b)?;
            Ok(b)
        });
        match body {
            Ok(b) => {
                bodies.push(b);
                found.push(r.clone());
            }
            Err(e) if code_of(&e) == Code::Auth => {
                tally.error(&e);
                break;
            }
            Err(e) if code_of(&e) == Code::NotFound => tally.error(&with_hint(ctx, r, e)),
            Err(e) => tally.error(&e),
        }
    }
    let exports = bodies
        .iter()
        .map(|b| parse_current(b))
        .collect::<anyhow::Result<Vec<_>>>()?;
    // One ref not found prints nothing (not an empty array).
    let one = refs.len() == 1 && !super::from_stdin(&a.refs);
    if !(exports.is_empty() && one) {
        Report::of_refs(&exports, &found, one).print(ctx.ui)?;
    }
    tally.finish()
}

/// `PROJECT/EXPORT` is 404 when the project lives in a folder: look the export up in the
/// project's list and, when it is there, say its full ref; else say what two parts mean.
fn with_hint(ctx: &Ctx, r: &ExportRef, err: anyhow::Error) -> anyhow::Error {
    // A hint about the base URL says more: the ref is not the trouble.
    let hinted = err
        .chain()
        .find_map(|e| e.downcast_ref::<Fail>())
        .is_some_and(|f| f.hint.is_some());
    let Some(p) = r.project.as_ref().filter(|p| p.folder.is_none() && !hinted) else {
        return err;
    };
    let full = ctx
        .api
        .get(&ctx.api.list_url(None, Some(&p.project)))
        .ok()
        .and_then(|list| {
            parse_list(&list)
                .ok()?
                .iter()
                .find(|e| e.id().as_deref() == Some(r.export.as_str()))
                .and_then(super::super::model::Export::reference)
        })
        .filter(|full| full.project.as_ref().is_some_and(|fp| fp.folder.is_some()));
    let hint = match full {
        Some(full) => format!("the export is in a folder: use its full ref {full}"),
        // `demo/one` meant as FOLDER/PROJECT (a project ref) reads as PROJECT/EXPORT.
        None => format!(
            "two parts mean PROJECT/EXPORT; a project's exports are listed with: \
             klap-export list --project {b} (or --folder {a} --project {b})",
            a = p.project,
            b = r.export,
        ),
    };
    Fail::new(Code::NotFound, format!("{err:#}"))
        .hint(hint)
        .into()
}
