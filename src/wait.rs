//! `wait`: poll exports until each is ready or failed, or the deadline passes.

use std::path::Path;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::api::{Api, AttemptError, backoff};
use crate::cli::WaitArgs;
use crate::config::{Progress, Settings};
use crate::exit::{Code, Fail, fail};
use crate::model::{ExportRef, State, parse_export};
use crate::output::{self, Report, sanitize};
use crate::{download, find_in_list, interrupt};

/// Plain progress repeats itself at least this often, so CI sees the job alive
/// (CI systems kill jobs silent for 10 minutes). Tests shorten it.
fn still_waiting_every() -> Duration {
    std::env::var("KLAP_TEST_STILL_WAITING")
        .ok()
        .and_then(|v| crate::cli::parse_duration(&v).ok())
        .unwrap_or(Duration::from_secs(60))
}

struct Tracked {
    asked: ExportRef,
    /// The ref polled: the long form once the server told us the project.
    poll: ExportRef,
    body: Option<String>,
    status: Option<String>,
    state: State,
    bar: Option<ProgressBar>,
    said_at: Instant,
}

pub fn run(s: &Settings, api: &Api, refs: &[ExportRef], a: &WaitArgs) -> anyhow::Result<Code> {
    if let Some(dir) = &a.download
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
    let deadline = (!a.timeout.is_zero())
        .then(|| start.checked_add(a.timeout))
        .flatten();
    let multi = (s.progress == Progress::Terminal)
        .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
    interrupt::set_progress(multi.clone());
    let mut tracked: Vec<Tracked> = refs
        .iter()
        .map(|r| Tracked {
            asked: r.clone(),
            poll: r.clone(),
            body: None,
            status: None,
            state: State::Processing,
            bar: multi.as_ref().map(|m| spinner(m, r, s.color_stderr)),
            said_at: start,
        })
        .collect();

    let polled = poll_until_done(s, api, &mut tracked, a, start, deadline);
    if let Some(m) = &multi {
        for t in &tracked {
            if let Some(bar) = &t.bar {
                bar.finish();
            }
        }
        let _ = m.clear();
    }
    interrupt::set_progress(None);
    polled?;
    finish(s, api, &tracked, a.download.as_deref(), a.timeout)
}

/// Polls until every export is ready or failed, or the deadline passes.
/// Transient failures back off; any other error ends the wait.
fn poll_until_done(
    s: &Settings,
    api: &Api,
    tracked: &mut [Tracked],
    a: &WaitArgs,
    start: Instant,
    deadline: Option<Instant>,
) -> anyhow::Result<()> {
    let every = still_waiting_every();
    let mut failures = 0;
    loop {
        let mut retry_after = None;
        let mut transient = false;
        for t in tracked.iter_mut().filter(|t| t.state == State::Processing) {
            match poll(api, &t.poll) {
                Ok(body) => update(s, t, body, start)?,
                Err(e) if e.transient => {
                    transient = true;
                    retry_after = retry_after.max(e.retry_after);
                    if s.progress == Progress::Plain {
                        eprintln!("klap-export: {}: {:#}; retrying", t.asked, e.error);
                    }
                    if let Some(bar) = &t.bar {
                        bar.set_message(format!(
                            "{} (retrying: {})",
                            t.status.as_deref().unwrap_or("waiting"),
                            short(&e.error)
                        ));
                    }
                }
                Err(e) => return Err(e.error),
            }
        }
        if tracked.iter().all(|t| t.state != State::Processing) {
            return Ok(());
        }
        failures = if transient { failures + 1 } else { 0 };
        let pause = if transient {
            a.interval.max(backoff(failures - 1, retry_after))
        } else {
            a.interval
        };
        let now = Instant::now();
        if deadline.is_some_and(|d| now >= d) {
            return Ok(());
        }
        std::thread::sleep(deadline.map_or(pause, |d| pause.min(d - now)));
        if s.progress == Progress::Plain {
            for t in tracked.iter_mut().filter(|t| t.state == State::Processing) {
                if t.said_at.elapsed() >= every {
                    eprintln!(
                        "klap-export: {}: still waiting ({}, {} elapsed)",
                        t.asked,
                        t.status.as_deref().map(sanitize).unwrap_or_default(),
                        elapsed(start)
                    );
                    t.said_at = Instant::now();
                }
            }
        }
    }
}

fn spinner(m: &MultiProgress, r: &ExportRef, color: bool) -> ProgressBar {
    let bar = m.add(ProgressBar::new_spinner());
    let template = if color {
        "{spinner:.cyan} {prefix} {msg} [{elapsed}]"
    } else {
        "{spinner} {prefix} {msg} [{elapsed}]"
    };
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_prefix(r.to_string());
    bar.set_message("waiting");
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// One poll. A bare export ID is found in the list until we learn its project.
fn poll(api: &Api, r: &ExportRef) -> Result<String, AttemptError> {
    match &r.project {
        Some(p) => api.get_once(&api.export_url(p, &r.export)),
        None => {
            let list = api.get_once(&api.list_url(None, None))?;
            find_in_list(&list, &r.export).map_err(AttemptError::fatal)
        }
    }
}

fn update(s: &Settings, t: &mut Tracked, body: String, start: Instant) -> anyhow::Result<()> {
    let export = parse_export(&body)?;
    let status = export
        .status()
        .ok_or_else(|| {
            fail(
                Code::Error,
                format!(
                    "unexpected response for {}: the export object has no status",
                    t.asked
                ),
            )
        })?
        .to_string();
    let state = export.state().unwrap_or(State::Processing);
    if t.poll.project.is_none()
        && let Some(long) = export
            .reference()
            .filter(|r| r.project.is_some() && r.export == t.poll.export)
    {
        t.poll = long;
    }
    let changed = t.status.as_deref() != Some(status.as_str()) || state != t.state;
    if changed {
        let shown = match (State::of(&status), state) {
            (State::Ready, State::Processing) => format!("{} (no file yet)", sanitize(&status)),
            _ => sanitize(&status).into_owned(),
        };
        if s.progress == Progress::Plain {
            eprintln!(
                "klap-export: {}: {} ({} elapsed)",
                t.asked,
                shown,
                elapsed(start)
            );
            t.said_at = Instant::now();
        }
        if let Some(bar) = &t.bar {
            bar.set_message(shown);
        }
    }
    t.status = Some(status);
    t.state = state;
    t.body = Some(body);
    Ok(())
}

/// Prints the final exports, downloads the ready ones, and picks the exit code.
fn finish(
    s: &Settings,
    api: &Api,
    tracked: &[Tracked],
    download: Option<&Path>,
    timeout: Duration,
) -> anyhow::Result<Code> {
    let seen: Vec<&Tracked> = tracked.iter().filter(|t| t.body.is_some()).collect();
    let exports = seen
        .iter()
        .map(|t| parse_export(t.body.as_deref().unwrap_or_default()))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let asked: Vec<ExportRef> = seen.iter().map(|t| t.asked.clone()).collect();
    output::print(
        s,
        &Report {
            exports: &exports,
            asked: Some(&asked),
            single: tracked.len() == 1,
        },
    )?;

    if let Some(path) = download {
        for (export, r) in exports.iter().zip(&asked) {
            if export.state() == Some(State::Ready) {
                download::save(s, api, export, &r.export, Some(path), false, false)?;
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
                humantime::format_duration(timeout)
            ),
        )
        .hint("the export goes on on the server; run `klap-export wait` again later")
        .into());
    }
    Ok(Code::Success)
}

fn elapsed(start: Instant) -> humantime::FormattedDuration {
    humantime::format_duration(Duration::from_secs(start.elapsed().as_secs()))
}

fn short(e: &anyhow::Error) -> String {
    sanitize(&format!("{e:#}")).chars().take(60).collect()
}
