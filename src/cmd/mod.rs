//! One module per subcommand, each with `run(args, &Ctx)`: it turns its clap arguments
//! into the values the engine takes (as ripgrep turns its low args into high args).
//! Here: what several commands share in doing so.

pub mod auth;
pub mod completions;
pub mod create;
pub mod download;
pub mod list;
pub mod manpage;
pub mod projects;
pub mod sandbox;
pub mod shorts;
pub mod status;
pub mod task;
pub mod wait;

use std::io::Read;

use crate::cli::{Global, RefArg};
use crate::config::Flags;
use crate::exit::{Code, fail};
use crate::text::sanitize;

/// The global options, for the settings to complete.
pub fn flags(g: &Global) -> Flags {
    Flags {
        base_url: g.base_url.clone(),
        api_key_file: g.api_key_file.clone(),
        format: g.format,
        json: g.json,
        quiet: g.quiet,
        color: g.color,
        no_progress: g.no_progress,
        verbose: g.verbose,
        http_timeout: g.http_timeout,
        retries: g.retries,
        sandbox: g.sandbox,
        profile: g.profile.clone(),
        jq: g.jq.clone(),
    }
}

/// The refs given: the arguments, or the lines of stdin for a lone `-` (trimmed; blank
/// lines and `#` comments skipped). A bad line is a usage error naming its number.
pub fn refs<T: Clone>(
    args: &[RefArg<T>],
    parse: fn(&str) -> Result<T, String>,
) -> anyhow::Result<Vec<T>> {
    let given: Vec<T> = args
        .iter()
        .filter_map(|a| match a {
            RefArg::Ref(r) => Some(r.clone()),
            RefArg::Stdin => None,
        })
        .collect();
    if given.len() == args.len() {
        return Ok(given);
    }
    if args.len() > 1 {
        return Err(fail(
            Code::Usage,
            "'-' (refs from stdin) must be the only ref",
        ));
    }
    let mut text = String::new();
    std::io::stdin()
        .lock()
        .take(MAX_STDIN + 1)
        .read_to_string(&mut text)
        .map_err(|e| fail(Code::Usage, format!("cannot read refs from stdin: {e}")))?;
    if text.len() as u64 > MAX_STDIN {
        return Err(fail(
            Code::Usage,
            format!("more than {} MiB of refs on stdin", MAX_STDIN >> 20),
        ));
    }
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        out.push(parse(line).map_err(|e| {
            fail(
                Code::Usage,
                format!("stdin line {}: '{}': {e}", n + 1, sanitize(line)),
            )
        })?);
    }
    if out.is_empty() {
        // Nothing to do, as `xargs -r`: `list --status processing -q | wait -` passes in CI
        // when nothing is processing. An error of code 0 ends the command before any request.
        crate::say!("klap-export: no refs on stdin: nothing to do");
        return Err(fail(Code::Success, ""));
    }
    Ok(out)
}

/// Whether the refs come from stdin: then JSON is an array even of one, since its shape
/// follows what the command was asked, not how many lines came.
pub fn from_stdin<T>(args: &[RefArg<T>]) -> bool {
    matches!(args, [RefArg::Stdin])
}

/// Refs from stdin are read up to this many bytes (about a million refs).
const MAX_STDIN: u64 = 256 * 1024 * 1024;
