//! `status`: the current state of exports.

use crate::cli::StatusArgs;
use crate::config::Ctx;
use crate::model::parse_current;
use crate::output::Report;

pub fn run(a: &StatusArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let mut list = None;
    let bodies = a
        .refs
        .iter()
        .map(|r| Ok(ctx.api.export(r, &mut list, true)?))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let exports = bodies
        .iter()
        .map(|b| parse_current(b))
        .collect::<anyhow::Result<Vec<_>>>()?;
    match exports.as_slice() {
        [one] => Report::one(one, a.refs.first()),
        all => Report::many(all, Some(&a.refs)),
    }
    .print(ctx.ui)?;
    Ok(())
}
