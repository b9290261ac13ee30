//! `list`: exports, filtered by folder, project and state, newest first.

use std::borrow::Cow;

use anyhow::Context;

use crate::cli::ListArgs;
use crate::config::Ctx;
use crate::model::{Export, State, parse_list};
use crate::output::{self, Report};

pub fn run(a: &ListArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let api = &ctx.api;
    let body = api.get(&api.list_url(a.folder.as_deref(), a.project.as_deref()))?;
    if let Some(filter) = ctx.ui.jq {
        // The filter reads the exports' texts in place: its strings share the body's
        // memory, and only the texts are kept while it runs (a long list's values take
        // several times the body).
        let body = bytes::Bytes::from(body);
        let text = std::str::from_utf8(&body).context("the list is not UTF-8")?;
        let exports = chosen(a, parse_list(text)?);
        let items: Vec<Cow<str>> = exports.iter().map(|e| Cow::Borrowed(e.raw)).collect();
        drop(exports);
        return output::print_jq(ctx.ui, filter, crate::jq::Input::ArrayIn(&body, &items));
    }
    let exports = chosen(a, parse_list(&body)?);
    Report::many(&exports, None).print(ctx.ui)?;
    // An empty table on a terminal would leave the user with nothing at all.
    if exports.is_empty() && ctx.ui.stdout_tty && ctx.ui.format == crate::values::Format::Table {
        crate::say!("no exports");
    }
    Ok(())
}

/// The exports `--status` and `--limit` keep, newest first.
fn chosen<'a>(a: &ListArgs, mut exports: Vec<Export<'a>>) -> Vec<Export<'a>> {
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
    exports
}
