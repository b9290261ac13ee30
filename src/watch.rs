//! Waiting: poll exports until each is ready or failed, or the deadline passes.

use std::time::{Duration, Instant};

use crate::api::backoff;
use crate::config::Ctx;
use crate::exit::{Code, Fail, fail};
use crate::model::{ExportRef, State, parse_current};
use crate::output::Report;
use crate::progress::{Line, Progress};
use crate::save::{self, Dest};
use crate::say;
use crate::text::sanitize;

/// How to wait, and what to do with ready exports.
#[derive(Debug, Clone)]
pub struct Plan {
    pub interval: Duration,
    /// Zero waits without a deadline.
    pub timeout: Duration,
    pub download: Option<Dest>,
}

struct Tracked {
    asked: ExportRef,
    /// The ref polled: the long form once the server told us the project.
    poll: ExportRef,
    body: Option<String>,
    status: Option<String>,
    state: State,
    line: Line,
}

pub fn run(ctx: &Ctx, refs: &[ExportRef], plan: &Plan) -> anyhow::Result<()> {
    if let Some(Dest {
        path: Some(dir), ..
    }) = &plan.download
        && refs.len() > 1
        && !dir.is_dir()
    {
        return Err(fail(
            Code::Usage,
            format!(
                "--download {}: must be an existing directory when waiting for several exports",
                dir.display()
            ),
        ));
    }
    let start = Instant::now();
    // No deadline for 0, nor for one too far off to represent.
    let deadline = (!plan.timeout.is_zero())
        .then(|| start.checked_add(plan.timeout))
        .flatten();
    let progress = Progress::new(ctx.ui.progress, ctx.ui.color_stderr);
    let mut tracked: Vec<Tracked> = refs
        .iter()
        .map(|r| Tracked {
            asked: r.clone(),
            poll: r.clone(),
            body: None,
            status: None,
            state: State::Processing,
            line: progress.line(&r.to_string()),
        })
        .collect();
    let polled = poll_until_done(ctx, &mut tracked, plan.interval, deadline);
    for t in &tracked {
        t.line.finish();
    }
    drop(progress);
    polled?;
    finish(ctx, &tracked, plan)
}

/// Polls until every export is ready or failed, or the deadline passes.
/// Transient failures back off; any other error ends the wait.
fn poll_until_done(
    ctx: &Ctx,
    tracked: &mut [Tracked],
    interval: Duration,
    deadline: Option<Instant>,
) -> anyhow::Result<()> {
    let mut failures = 0;
    loop {
        let mut retry_after = None;
        let mut transient = false;
        for t in tracked.iter_mut().filter(|t| t.state == State::Processing) {
            // Each round asks afresh, so a bare ID's list is never reused.
            match ctx.api.export(&t.poll, &mut None, false) {
                Ok(body) => update(t, body)?,
                Err(e) if e.transient => {
                    transient = true;
                    retry_after = retry_after.max(e.retry_after);
                    t.line.retrying(t.status.as_deref(), &e.error);
                }
                Err(e) => return Err(e.error),
            }
        }
        if tracked.iter().all(|t| t.state != State::Processing) {
            return Ok(());
        }
        failures = if transient { failures + 1 } else { 0 };
        let pause = if transient {
            interval.max(backoff(failures - 1, retry_after))
        } else {
            interval
        };
        let now = Instant::now();
        if deadline.is_some_and(|d| now >= d) {
            return Ok(());
        }
        std::thread::sleep(deadline.map_or(pause, |d| pause.min(d - now)));
        for t in tracked.iter_mut().filter(|t| t.state == State::Processing) {
            t.line.still_waiting(t.status.as_deref());
        }
    }
}

fn update(t: &mut Tracked, body: String) -> anyhow::Result<()> {
    let export = parse_current(&body)
        .map_err(|e| e.context(format!("unexpected response for {}", t.asked)))?;
    let status = export.status().unwrap_or_default().to_string();
    let state = export.state().unwrap_or(State::Processing);
    if t.poll.project.is_none()
        && let Some(long) = export
            .reference()
            .filter(|r| r.project.is_some() && r.export == t.poll.export)
    {
        t.poll = long;
    }
    if t.status.as_deref() != Some(status.as_str()) || state != t.state {
        let shown = match (State::of(&status), state) {
            (State::Ready, State::Processing) => format!("{} (no file yet)", sanitize(&status)),
            _ => sanitize(&status).into_owned(),
        };
        t.line.status(&shown);
    }
    t.status = Some(status);
    t.state = state;
    t.body = Some(body);
    Ok(())
}

/// Prints the final exports, downloads the ready ones, and picks the exit code.
fn finish(ctx: &Ctx, tracked: &[Tracked], plan: &Plan) -> anyhow::Result<()> {
    let seen: Vec<&Tracked> = tracked.iter().filter(|t| t.body.is_some()).collect();
    let exports = seen
        .iter()
        .map(|t| parse_current(t.body.as_deref().unwrap_or_default()))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let asked: Vec<ExportRef> = seen.iter().map(|t| t.asked.clone()).collect();
    match exports.as_slice() {
        [one] if tracked.len() == 1 => Report::one(one, asked.first()),
        all => Report::many(all, Some(&asked)),
    }
    .print(ctx.ui)?;

    if let Some(dest) = &plan.download {
        let progress = Progress::new(ctx.ui.progress, ctx.ui.color_stderr);
        for (export, r) in exports.iter().zip(&asked) {
            if export.state() == Some(State::Ready) {
                let saved = save::save(&ctx.api, export, &r.export, dest, &progress.bytes(None))?;
                if let Some(path) = saved
                    && ctx.ui.progress != crate::progress::Mode::Off
                {
                    say!("klap-export: saved {}", path.display());
                }
            }
        }
    }
    let refs_in = |state| {
        tracked
            .iter()
            .filter(|t| t.state == state)
            .map(|t| t.asked.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let failed = refs_in(State::Failed);
    if !failed.is_empty() {
        return Err(fail(Code::ExportFailed, format!("export failed: {failed}")));
    }
    let pending = refs_in(State::Processing);
    if !pending.is_empty() {
        return Err(Fail::new(
            Code::Deadline,
            format!(
                "gave up after {}: still in progress: {pending}",
                humantime::format_duration(plan.timeout)
            ),
        )
        .hint("the export goes on on the server; run `klap-export wait` again later")
        .into());
    }
    Ok(())
}
