//! `list`: exports, filtered by folder, project and state, newest first.

use crate::cli::ListArgs;
use crate::config::Ctx;
use crate::model::{Export, State, parse_list};
use crate::output::Report;

pub fn run(a: &ListArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let api = &ctx.api;
    let body = api.get(&api.list_url(a.folder.as_deref(), a.project.as_deref()))?;
    let mut exports: Vec<Export> = parse_list(&body)?;
    if !a.status.is_empty() {
        exports.retain(|e| {
            e.status()
                .is_some_and(|st| a.status.contains(&State::of(&st)))
        });
    }
    // Newest first, as instants (not as text); missing ones go last.
    exports.sort_by_cached_key(Export::created);
    if let Some(limit) = a.limit {
        exports.truncate(limit);
    }
    Report::many(&exports, None).print(ctx.ui)?;
    // An empty table on a terminal would leave the user with nothing at all.
    if exports.is_empty() && ctx.ui.stdout_tty && ctx.ui.format == crate::values::Format::Table {
        crate::say!("no exports");
    }
    Ok(())
}
