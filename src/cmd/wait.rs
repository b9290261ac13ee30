//! `wait`: poll exports until they are ready, failed, or the deadline passes.

use crate::cli::{self, WaitCmdArgs};
use crate::config::Ctx;
use crate::exit::Tally;
use crate::model::ExportRef;
use crate::watch;

pub fn run(a: &WaitCmdArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let plan = a.wait.plan()?;
    let refs = cli::refs(&a.refs, ExportRef::parse)?;
    if let Some(dest) = &plan.download {
        let ids: Vec<&str> = refs.iter().map(|r| r.export.as_str()).collect();
        dest.check(Some(&ids), refs.len() > 1, false, ctx.ui.stdout_tty)?;
    }
    watch::run(ctx, &refs, &plan, Tally::default())
}
