//! The wait engine: polls exports grouped by folder or project until each is ready or
//! failed (or the deadline passes), and downloads each one the moment it is ready, a
//! bounded number at once, while the rest are still polled.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::api::{Api, AttemptError, backoff, not_in_list};
use crate::download::{Batch, Dest, Job, Names, Saved};
use crate::exit::{Code, Fail, Tally, code_of, fail};
use crate::interrupt;
use crate::model::{Export, ExportRef, State, parse_current, parse_list, pick};
use crate::names::{Template, Values};
use crate::output::Report;
use crate::progress::{Line, Progress};
use crate::say;
use crate::text::sanitize;
use crate::values::{Mode, Ui};

/// How to wait, and what to do with ready exports.
#[derive(Debug, Clone)]
pub struct Plan {
    pub interval: Duration,
    /// Zero waits without a deadline.
    pub timeout: Duration,
    pub fail_fast: bool,
    pub download: Option<Dest>,
    /// `--name`: the file name of each download inside the directory.
    pub name: Option<Template>,
    /// The refs came from stdin: JSON is an array even of one.
    pub array: bool,
    /// How a pasted command picks the wait up again; `None`: nothing can (`--sandbox`).
    pub again: Option<Again>,
}

/// The parts of a pick-up command besides its refs, ready to paste (shell-quoted).
#[derive(Debug, Clone, Default)]
pub struct Again {
    /// Before `wait`: the options that chose the server and key.
    pub globals: String,
    /// After the refs: the wait options given.
    pub options: String,
}

/// Error and deadline lines name at most this many refs; a pick-up command with more
/// takes them on stdin.
const REFS_SHOWN: usize = 5;

struct Tracked {
    asked: ExportRef,
    /// The ref polled: the long form once the server told us the project.
    poll: ExportRef,
    body: Option<String>,
    status: Option<String>,
    state: State,
    /// Not found (404, or absent from the list): reported, no longer polled.
    gone: bool,
    queued: bool,
    line: Line,
}

impl Tracked {
    fn polling(&self) -> bool {
        self.state == State::Processing && !self.gone
    }
}

/// One poll request and the exports it answers for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Folder(String),
    Project(String),
    /// Bare export IDs: found in the unfiltered list until their project is known.
    Bare,
}

/// Waits for `refs` (and downloads them, as planned); `tally` carries what went wrong
/// before (a failed create) so the exit code follows the batch rule.
///
/// The destination is the caller's to check before anything is sent; here a file found
/// at download time fails that export's download only (the rest of the batch goes on).
pub fn run(
    api: &Api,
    ui: Ui,
    refs: &[ExportRef],
    plan: &Plan,
    mut tally: Tally,
) -> anyhow::Result<()> {
    let start = Instant::now();
    // No deadline for 0, nor for one too far off to represent.
    let deadline = (!plan.timeout.is_zero())
        .then(|| start.checked_add(plan.timeout))
        .flatten();
    let progress = Progress::new(ui.progress, ui.color_stderr).results(!ui.quiet());
    let all: Vec<String> = refs.iter().map(ToString::to_string).collect();
    interrupt::set_note(Some(pick_up(&all, plan)));
    let mut tracked: Vec<Tracked> = refs
        .iter()
        .map(|r| Tracked {
            asked: r.clone(),
            poll: r.clone(),
            body: None,
            status: None,
            state: State::Processing,
            gone: false,
            queued: false,
            line: progress.line(&r.to_string()),
        })
        .collect();
    let ids: Vec<&str> = refs.iter().map(|r| r.export.as_str()).collect();
    let names = plan.name.clone().map(Names::new);
    let batch = plan
        .download
        .as_ref()
        .map(|dest| Batch::new(api, dest, &ids));
    let mut poll = |queue: &mut dyn FnMut(&mut Tracked, usize) -> anyhow::Result<()>| {
        poll_until_done(api, ui, &mut tracked, plan, deadline, &mut tally, queue)
    };
    let polled = match &batch {
        None => poll(&mut |_, _| Ok(())),
        Some(batch) => batch.run(|tx| {
            poll(&mut |t: &mut Tracked, index: usize| {
                if t.queued || t.state != State::Ready || batch.repeats(index) {
                    return Ok(());
                }
                t.queued = true;
                // A bad src_url (or a name another export has) fails this export's
                // download, not the whole batch.
                let url = match parse_current(t.body.as_deref().unwrap_or_default())
                    .and_then(|e| Ok((e.file_url()?, file_name(names.as_ref(), &e, t, index)?)))
                {
                    Ok(url) => url,
                    Err(e) => {
                        batch.keep(index, Err(e));
                        return Ok(());
                    }
                };
                let (url, name) = url;
                let job = Job {
                    index,
                    url,
                    name,
                    id: t.asked.export.clone(),
                    ui: t.line.bytes(),
                };
                tx.send(job)
                    .map_err(|_| fail(Code::Error, "the download workers stopped"))
            })
        }),
    };
    interrupt::set_note(None);
    for t in &tracked {
        t.line.done();
    }
    drop(progress);
    let last_error = polled?;
    let saved = batch.map_or_else(|| (0..refs.len()).map(|_| None).collect(), Batch::results);
    finish(ui, &tracked, plan, saved, tally, last_error.as_deref())
}

/// The file name `--name` gives a ready export (rank: its place among the refs given).
fn file_name(
    names: Option<&Names>,
    e: &Export,
    t: &Tracked,
    index: usize,
) -> anyhow::Result<Option<String>> {
    let Some(names) = names else {
        return Ok(None);
    };
    let r = e.reference();
    let project = r.as_ref().and_then(|r| r.project.clone());
    let name = e.name();
    let values = Values {
        id: &t.asked.export,
        project: project.as_ref().map(|p| p.project.as_str()),
        folder: project.as_ref().and_then(|p| p.folder.as_deref()),
        name: name.as_deref(),
        rank: index + 1,
        score: None,
    };
    names.take(&values).map(Some)
}

/// Polls until every export is ready or failed (or gone), the deadline passes, or, with
/// `--fail-fast`, one fails. Transient failures back off; 401/403 end the wait. Returns
/// the error of the latest round when it failed (the deadline then names it).
///
/// A wait must have heard from the API: while no round was answered at all (refused,
/// DNS, timeouts), `--retries` rounds in a row end the wait with that error, so a
/// wrong port does not hang CI until the deadline.
fn poll_until_done(
    api: &Api,
    ui: Ui,
    tracked: &mut [Tracked],
    plan: &Plan,
    deadline: Option<Instant>,
    tally: &mut Tally,
    queue: &mut dyn FnMut(&mut Tracked, usize) -> anyhow::Result<()>,
) -> anyhow::Result<Option<String>> {
    let mut failures = 0;
    let mut heard = false;
    let mut said = String::new();
    // The error of the latest round that failed on its own, not cut short by the deadline.
    let mut latest: Option<String> = None;
    loop {
        let outcome = poll_round(api, tracked, deadline, tally)?;
        heard |= outcome.answered;
        if deadline.is_none_or(|d| Instant::now() < d) || !heard {
            latest.clone_from(&outcome.error);
        }
        if let Some(error) = &outcome.error {
            if !heard && failures >= api.retries() {
                return Err(fail(Code::Error, error.clone()).context("no answer from the API"));
            }
            // Errors are not progress: said with -q and --no-progress too, once each
            // (plain progress says them on each export's line already).
            if heard && *error != said && ui.progress != Mode::Plain {
                say!("klap-export: polling failed: {error}; retrying");
            }
            said.clone_from(error);
        }
        for (i, t) in tracked.iter_mut().enumerate() {
            queue(t, i)?;
        }
        let failed = tracked.iter().any(|t| t.state == State::Failed);
        if !tracked.iter().any(Tracked::polling) || (plan.fail_fast && failed) {
            return Ok(latest);
        }
        failures = if outcome.transient { failures + 1 } else { 0 };
        let pause = if outcome.transient && !heard {
            // Retries of the first round, as any request's: not a poll interval apart.
            backoff(failures - 1, outcome.retry_after)
        } else if outcome.transient {
            plan.interval
                .max(backoff(failures - 1, outcome.retry_after))
        } else {
            plan.interval
        };
        // The last poll leaves early enough to be answered before the deadline (a poll
        // sent at the deadline itself could not be, and would miss an export just ready).
        let margin = Duration::from_secs(1).min(plan.timeout / 10);
        let last = deadline.map(|d| d.checked_sub(margin).unwrap_or(d));
        let now = Instant::now();
        if last.is_some_and(|l| now >= l) {
            return Ok(latest);
        }
        std::thread::sleep(last.map_or(pause, |l| pause.min(l - now)));
        for t in tracked.iter_mut().filter(|t| t.polling()) {
            t.line.still_waiting(t.status.as_deref());
        }
    }
}

#[derive(Default)]
struct Round {
    transient: bool,
    retry_after: Option<Duration>,
    /// Some request got an answer from the server (an HTTP status counts, even 503).
    answered: bool,
    /// The last transient error of the round, if any.
    error: Option<String>,
}

/// One round: at most one request per folder, per direct project, and for all bare IDs;
/// a group of one uses its export's status route.
fn poll_round(
    api: &Api,
    tracked: &mut [Tracked],
    deadline: Option<Instant>,
    tally: &mut Tally,
) -> anyhow::Result<Round> {
    let mut groups: BTreeMap<Group, Vec<usize>> = BTreeMap::new();
    for (i, t) in tracked.iter().enumerate().filter(|(_, t)| t.polling()) {
        let group = match &t.poll.project {
            Some(p) => match &p.folder {
                Some(f) => Group::Folder(f.clone()),
                None => Group::Project(p.project.clone()),
            },
            None => Group::Bare,
        };
        groups.entry(group).or_default().push(i);
    }
    let mut round = Round::default();
    for (group, members) in groups {
        let list_url = match (&group, members.as_slice()) {
            (Group::Bare, _) => Some(api.list_url(None, None)),
            (_, [_]) => None,
            (Group::Folder(f), _) => Some(api.list_url(Some(f), None)),
            (Group::Project(p), _) => Some(api.list_url(None, Some(p))),
        };
        let listed = match list_url {
            Some(url) => match api.get_once_until(&url, deadline) {
                Ok(body) => {
                    round.answered = true;
                    Some(body)
                }
                Err(e) => {
                    for &i in &members {
                        note_failure(&mut tracked[i], &e, &mut round, tally)?;
                    }
                    continue;
                }
            },
            None => None,
        };
        // Parsed once for the group, not once per member (a list can be long); each
        // ref takes the export of its own project (`model::pick`).
        let mut by_id: HashMap<String, Vec<&str>> = HashMap::new();
        if let Some(list) = &listed {
            for e in parse_list(list)? {
                if let Some(id) = e.id() {
                    by_id.entry(id.into_owned()).or_default().push(e.raw);
                }
            }
        }
        for i in members {
            let t = &mut tracked[i];
            let listed = by_id
                .get(t.poll.export.as_str())
                .map_or(&[][..], Vec::as_slice);
            let found = pick(listed, &t.poll)?.map(str::to_string);
            let answer = match (found, &t.poll.project) {
                (Some(body), _) => Ok(body),
                // Missing from its group's list (or a group of one): ask its status route.
                (None, Some(p)) => api.get_once_until(&api.export_url(p, &t.poll.export), deadline),
                (None, None) => Err(AttemptError::fatal(not_in_list(&t.poll.export))),
            };
            if answer.is_ok() {
                round.answered = true;
            }
            match answer.map(|body| update(t, body)) {
                Ok(Ok(())) => {}
                // A body that is no export fails this export, not the whole wait.
                Ok(Err(e)) => {
                    t.gone = true;
                    t.line.done();
                    tally.error(&e);
                }
                Err(e) => note_failure(t, &e, &mut round, tally)?,
            }
        }
    }
    Ok(round)
}

/// A failed request for one export: transient ones are retried next round, a 404 takes
/// the export out (reported now), anything else ends the wait.
fn note_failure(
    t: &mut Tracked,
    e: &AttemptError,
    round: &mut Round,
    tally: &mut Tally,
) -> anyhow::Result<()> {
    if e.answered {
        round.answered = true;
    }
    if e.transient {
        round.transient = true;
        round.retry_after = round.retry_after.max(e.retry_after);
        round.error = Some(format!("{:#}", e.error));
        t.line.retrying(t.status.as_deref(), &e.error);
        return Ok(());
    }
    if code_of(&e.error) == Code::NotFound {
        t.gone = true;
        t.line.done();
        tally.error(&fail(Code::NotFound, format!("{}: {:#}", t.asked, e.error)));
        return Ok(());
    }
    Err(fail(code_of(&e.error), format!("{:#}", e.error)))
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

/// Prints the final exports and the summary, and picks the exit code by the batch rule.
fn finish(
    ui: Ui,
    tracked: &[Tracked],
    plan: &Plan,
    saved: Vec<Option<anyhow::Result<Saved>>>,
    mut tally: Tally,
    last_error: Option<&str>,
) -> anyhow::Result<()> {
    let seen: Vec<&Tracked> = tracked.iter().filter(|t| t.body.is_some()).collect();
    let exports = seen
        .iter()
        .map(|t| parse_current(t.body.as_deref().unwrap_or_default()))
        .collect::<anyhow::Result<Vec<_>>>()?;
    // -q prints what a next step can use: the exports that ended ready.
    let printed: Vec<&Tracked> = seen
        .iter()
        .copied()
        .filter(|t| !ui.quiet() || t.state == State::Ready)
        .collect();
    let printed_exports = printed
        .iter()
        .map(|t| parse_current(t.body.as_deref().unwrap_or_default()))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let asked: Vec<ExportRef> = printed.iter().map(|t| t.asked.clone()).collect();
    Report::of_refs(&printed_exports, &asked, tracked.len() == 1 && !plan.array).print(ui)?;

    let (mut files, mut bytes, mut kept) = (0, 0, 0);
    for (t, result) in tracked.iter().zip(saved) {
        match result {
            Some(Ok(Saved::Skipped(_))) => kept += 1,
            Some(Ok(s)) => {
                files += 1;
                bytes += s.bytes();
            }
            Some(Err(e)) => tally.error(&e.context(format!("{}", t.asked))),
            None => {}
        }
    }
    for (t, export) in seen.iter().zip(&exports) {
        if t.state == State::Failed {
            let why = export.why();
            tally.error(&fail(
                Code::ExportFailed,
                format!(
                    "export {} failed ({}){why}",
                    t.asked,
                    sanitize(t.status.as_deref().unwrap_or_default())
                ),
            ));
        }
    }
    let count = |state| {
        tracked
            .iter()
            .filter(|t| !t.gone && t.state == state)
            .count()
    };
    let (ready, failed, pending) = (
        count(State::Ready),
        count(State::Failed),
        count(State::Processing),
    );
    if pending > 0 {
        let refs: Vec<String> = tracked
            .iter()
            .filter(|t| t.polling())
            .map(|t| t.poll.to_string())
            .collect();
        let stopped = plan.fail_fast && failed > 0;
        let why = if stopped {
            "stopped at the first failed export (--fail-fast)".to_string()
        } else {
            format!("gave up after {}", humantime::format_duration(plan.timeout))
        };
        // "Still in progress" is said only of what the API said: when the latest round
        // failed, the deadline names that error (exit 1), not 6.
        let (code, message) = match &last_error {
            Some(error) if !stopped => (
                Code::Error,
                format!(
                    "{why}: the latest poll failed: {error}; not known to be done: {}",
                    shown(&refs)
                ),
            ),
            _ if failed > 0 => (
                Code::ExportFailed,
                format!("{why}: still in progress: {}", shown(&refs)),
            ),
            _ => (
                Code::Deadline,
                format!("{why}: still in progress: {}", shown(&refs)),
            ),
        };
        tally.error(&Fail::new(code, message).hint(pick_up(&refs, plan)).into());
    }
    // Last, after every error, so it is the one line to look at.
    // Not progress but the batch's outcome: only -q leaves it out.
    if tracked.len() > 1 && !ui.quiet() {
        summary(
            tracked,
            [ready, failed, pending],
            plan.download.is_some().then_some((files, bytes, kept)),
        );
    }
    tally.finish()
}

/// The last line of a batch: how many ready, failed, in progress, not found, downloaded
/// and kept.
fn summary(
    tracked: &[Tracked],
    [ready, failed, pending]: [usize; 3],
    downloaded: Option<(usize, u64, usize)>,
) {
    let gone = tracked.iter().filter(|t| t.gone).count();
    let mut line = format!("klap-export: {ready} ready, {failed} failed, {pending} in progress");
    if gone > 0 {
        let _ = write!(line, ", {gone} not found");
    }
    if let Some((files, bytes, kept)) = downloaded {
        let _ = write!(
            line,
            "; {files} downloaded ({})",
            indicatif::HumanBytes(bytes)
        );
        // Files already there (--skip-existing) count as done, but nothing was fetched.
        if kept > 0 {
            let _ = write!(line, ", {kept} kept");
        }
    }
    say!("{line}");
}

/// At most `REFS_SHOWN` refs, then how many more.
fn shown(refs: &[String]) -> String {
    match refs.len().checked_sub(REFS_SHOWN) {
        Some(more) if more > 0 => format!("{} and {more} more", refs[..REFS_SHOWN].join(", ")),
        _ => refs.join(", "),
    }
}

/// How to go on waiting for `refs` later, downloads included (keeping what is done): a
/// command that works pasted (the same server, key and options); more than a few refs
/// go on its stdin.
fn pick_up(refs: &[String], plan: &Plan) -> String {
    let Some(again) = &plan.again else {
        return "the sandbox ended with this command: there is nothing to pick up".to_string();
    };
    let them = if refs.len() == 1 {
        "the export goes on"
    } else {
        "the exports go on"
    };
    let words = |refs: &str| {
        ["klap-export", &again.globals, "wait", refs, &again.options]
            .into_iter()
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if refs.len() <= REFS_SHOWN {
        return format!(
            "{them} on the server; pick up again with: {}",
            words(&refs.join(" "))
        );
    }
    format!(
        "{them} on the server; pick up again with:\n{} <<'EOF'\n{}\nEOF",
        words("-"),
        refs.join("\n")
    )
}
