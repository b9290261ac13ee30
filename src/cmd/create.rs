//! `create`: start an export of a project, then optionally wait and download.

use crate::cli::CreateArgs;
use crate::config::Ctx;
use crate::exit::{Code, Fail, fail};
use crate::model::{ExportRef, ProjectRef, parse_export, parse_id};
use crate::output::Report;
use crate::watch;

pub fn run(a: &CreateArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let text = ctx.api.create(&a.project, &a.body()).map_err(|e| {
        if e.ambiguous {
            may_have_created(&a.project, &e.error)
        } else {
            e.error
        }
    })?;
    let export = parse_export(&text)?;
    // The ID names the downloaded file, so it must be one we would accept from the user.
    let id = export.fields.id.as_deref().unwrap_or_default();
    let id = parse_id(id).map_err(|e| {
        fail(
            Code::Error,
            format!("unexpected response: the created export's id: {e}"),
        )
    })?;
    // The API may leave out the project of the new export; we know it.
    let created = ExportRef {
        project: export
            .reference()
            .and_then(|r| r.project)
            .or(Some(a.project.clone())),
        export: id,
    };
    if !(a.wait || a.wait_args.download.is_some()) {
        Report::one(&export, Some(&created)).print(ctx.ui)?;
        return Ok(());
    }
    watch::run(ctx, &[created], &a.wait_args.plan())
}

/// A create that failed after it may have reached the server: say how to check.
fn may_have_created(project: &ProjectRef, error: &anyhow::Error) -> anyhow::Error {
    let check = match &project.folder {
        Some(folder) => format!(
            "klap-export list --project {} --folder {folder}",
            project.project
        ),
        None => format!("klap-export list --project {}", project.project),
    };
    Fail::new(
        Code::Error,
        format!("{error:#}; the export may have been created"),
    )
    .hint(format!("check before creating again: {check}"))
    .into()
}
