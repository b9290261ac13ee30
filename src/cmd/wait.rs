//! `wait`: poll exports until they are ready, failed, or the deadline passes.

use std::time::Duration;

use crate::cli::{WaitArgs, WaitCmdArgs};
use crate::config::Ctx;
use crate::exit::{Code, Tally, fail};
use crate::model::ExportRef;
use crate::watch::{self, Plan};

pub fn run(a: &WaitCmdArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let plan = plan(&a.wait, ctx)?;
    let refs = super::refs(&a.refs, ExportRef::parse)?;
    if let Some(dest) = &plan.download {
        let ids: Vec<&str> = refs.iter().map(|r| r.export.as_str()).collect();
        dest.check(Some(&ids), refs.len() > 1, false, ctx.ui.stdout_tty)?;
    }
    watch::run(&ctx.api, ctx.ui, &refs, &plan, Tally::default())
}

/// How to wait (for `wait`, and `create --wait`), and where downloads go.
pub fn plan(a: &WaitArgs, ctx: &Ctx) -> anyhow::Result<Plan> {
    if a.download.is_none() && (a.files.force || a.files.skip_existing || a.files.jobs.is_some()) {
        return Err(fail(
            Code::Usage,
            "--force, --skip-existing and --jobs go with --download",
        ));
    }
    if a.download.is_none() && a.files.name.is_some() {
        return Err(fail(Code::Usage, "--name goes with --download"));
    }
    Ok(Plan {
        interval: ctx.interval(a.interval, Duration::from_secs(5)),
        timeout: a.timeout,
        fail_fast: a.fail_fast,
        download: a
            .download
            .clone()
            .map(|p| super::download::dest(&a.files, Some(p))),
        name: a.files.name.clone(),
    })
}
