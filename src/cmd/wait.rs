//! `wait`: poll exports until they are ready, failed, or the deadline passes.

use std::path::Path;
use std::time::Duration;

use crate::cli::{Global, WaitArgs, WaitCmdArgs};
use crate::config::Ctx;
use crate::download::Dest;
use crate::exit::{Code, Tally, fail};
use crate::model::ExportRef;
use crate::watch::{self, Again, Plan};

pub fn run(a: &WaitCmdArgs, ctx: &Ctx, g: &Global) -> anyhow::Result<()> {
    let mut plan = plan(&a.wait, ctx, g)?;
    let refs = super::refs(&a.refs, ExportRef::parse)?;
    plan.array = super::from_stdin(&a.refs);
    if let Some(dest) = &plan.download {
        let ids: Vec<&str> = refs.iter().map(|r| r.export.as_str()).collect();
        // With --name the file names come with the exports: each is checked when known.
        let ids = plan.name.is_none().then_some(&ids[..]);
        dest.check(ids, refs.len() > 1, false, ctx.ui.stdout_tty)?;
        check_writable(dest)?;
    }
    watch::run(&ctx.api, ctx.ui, &refs, &plan, Tally::default())
}

/// How to wait (for `wait`, and `create --wait`), and where downloads go.
pub fn plan(a: &WaitArgs, ctx: &Ctx, g: &Global) -> anyhow::Result<Plan> {
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
        array: false,
        again: again(a, g),
    })
}

/// What a pasted pick-up command needs besides the refs: the global options that chose
/// the server and key, and the wait options given. Nothing after `--sandbox`: the server
/// is gone with this process.
fn again(a: &WaitArgs, g: &Global) -> Option<Again> {
    if g.sandbox {
        return None;
    }
    let mut globals = Vec::new();
    if let Some(url) = &g.base_url {
        // A password in the URL is never printed; the user puts it back.
        globals.push(format!(
            "--base-url {}",
            quote(&crate::text::without_userinfo(url))
        ));
    }
    if let Some(p) = &g.profile {
        globals.push(format!("--profile {}", quote(p)));
    }
    if let Some(f) = &g.api_key_file {
        globals.push(format!(
            "--api-key-file {}",
            quote(&f.display().to_string())
        ));
    }
    let mut options = Vec::new();
    if let Some(interval) = a.interval {
        options.push(format!(
            "--interval {}",
            humantime::format_duration(interval)
        ));
    }
    // The default need not be repeated (it is not told apart from being given).
    if a.timeout != Duration::from_secs(30 * 60) {
        options.push(format!(
            "--timeout {}",
            humantime::format_duration(a.timeout)
        ));
    }
    if a.fail_fast {
        options.push("--fail-fast".to_string());
    }
    if let Some(dir) = &a.download {
        // What is saved is kept, whatever was said first.
        options.push(format!(
            "--download {} --skip-existing",
            quote(&dir.display().to_string())
        ));
        if let Some(jobs) = a.files.jobs {
            options.push(format!("--jobs {jobs}"));
        }
        if let Some(name) = &a.files.name {
            options.push(format!("--name {}", quote(&name.source)));
        }
    }
    Some(Again {
        globals: globals.join(" "),
        options: options.join(" "),
    })
}

/// Quotes a word for a pasted command only when the shell would split or expand it.
pub fn quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,:@%=".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// A directory to download into must take new files: found out before anything is sent
/// (a create costs money), not after the render.
pub fn check_writable(dest: &Dest) -> anyhow::Result<()> {
    let Some(path) = dest
        .path
        .as_deref()
        .filter(|_| !dest.is_stdout() && !dest.is_discard())
    else {
        return Ok(());
    };
    let dir = if path.is_dir() {
        path
    } else {
        match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        }
    };
    tempfile::Builder::new()
        .prefix(".klap-export-check")
        .tempfile_in(dir)
        .map(drop)
        .map_err(|e| {
            fail(
                Code::Usage,
                format!("{}: cannot create files in it: {e}", dir.display()),
            )
        })
}
