//! `wait`: poll exports until they are ready, failed, or the deadline passes.

use crate::cli::{self, WaitCmdArgs};
use crate::config::Ctx;
use crate::exit::Tally;
use crate::model::ExportRef;
use crate::watch;

pub fn run(a: &WaitCmdArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let plan = a.wait.plan()?;
    let refs = cli::refs(&a.refs, ExportRef::parse)?;
    watch::run(ctx, &refs, &plan, Tally::default())
}
