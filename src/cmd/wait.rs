//! `wait`: poll exports until they are ready, failed, or the deadline passes.

use crate::cli::WaitCmdArgs;
use crate::config::Ctx;
use crate::watch;

pub fn run(a: &WaitCmdArgs, ctx: &Ctx) -> anyhow::Result<()> {
    watch::run(ctx, &a.refs, &a.wait.plan())
}
