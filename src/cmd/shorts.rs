//! `shorts VIDEO_URL --download DIR`: the whole job from a video to named MP4s, recorded
//! in `DIR/klap-export.json` after every step, so the same command run again picks up
//! where the job stands (no second task, exports reused, saved files kept).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::backoff;
use crate::cli::ShortsArgs;
use crate::config::Ctx;
use crate::download::{self, Batch, Dest, Exists, Saved};
use crate::exit::{Code, Fail, Tally, code_of, fail};
use crate::interrupt;
use crate::json;
use crate::manifest::{Clip, ClipStatus, FILE, Manifest, SENT, TaskRecord};
use crate::model::{Export, ProjectRef, State, parse_current, parse_id, parse_list};
use crate::names::{self, Template, Values};
use crate::output::{self, Rows, Text};
use crate::progress::{Bytes, Line, Progress};
use crate::say;
use crate::table::{Cell, Color, Column, Fit};
use crate::task::{self, Plan, Task};
use crate::text::sanitize;
use crate::values::Mode;

/// Tasks and renders take minutes: polling more often only costs requests.
const INTERVAL: Duration = Duration::from_secs(15);

/// One run of the job: what it was asked, and the manifest it keeps.
struct Run<'a> {
    ctx: &'a Ctx,
    a: &'a ShortsArgs,
    dir: &'a Path,
    template: Template,
    /// The task options given now: the body of a task sent by this run.
    options: serde_json::Map<String, Value>,
    interval: Duration,
    deadline: Option<Instant>,
    /// Written whole after every change; shared with the download workers.
    manifest: Mutex<Manifest>,
}

pub fn run(a: &ShortsArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let options = super::task::options(&a.options)?;
    let template = match &a.name {
        Some(t) => t.clone(),
        None => Template::parse(names::SHORTS_DEFAULT).map_err(|e| fail(Code::Error, e))?,
    };
    let dir = a.download.as_path();
    prepare_dir(dir, a.dry_run)?;
    let found = Manifest::load(dir)?;
    if let Some(m) = &found
        && m.source_video_url != a.url
    {
        return Err(Fail::new(
            Code::Usage,
            format!(
                "{} is the job of another video ({})",
                dir.join(FILE).display(),
                sanitize(&m.source_video_url)
            ),
        )
        .hint("give another --download directory for this video")
        .into());
    }
    let job = Run {
        ctx,
        a,
        dir,
        template,
        options: options.fields(),
        interval: ctx.interval(a.interval, INTERVAL),
        deadline: task::deadline(Instant::now(), a.timeout),
        manifest: Mutex::new(found.unwrap_or_else(|| Manifest::new(&a.url, options.fields()))),
    };
    if a.dry_run {
        return job.dry_run();
    }
    interrupt::set_note(Some(job.pick_up()));
    let result = job.steps();
    interrupt::set_note(None);
    result
}

/// DIR is the job's home: made when missing (its parent must exist), and checked for
/// being writable before anything is sent.
fn prepare_dir(dir: &Path, dry_run: bool) -> anyhow::Result<()> {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            return Err(fail(
                Code::Usage,
                format!("{}: not a directory", dir.display()),
            ));
        }
        Err(_) => {
            let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
            if parent.is_some_and(|p| !p.is_dir()) {
                return Err(fail(
                    Code::Usage,
                    format!(
                        "{}: no such directory",
                        parent.unwrap_or(Path::new(".")).display()
                    ),
                ));
            }
            if dry_run {
                return Ok(());
            }
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o755);
            builder
                .create(dir)
                .map_err(|e| fail(Code::Usage, format!("cannot create {}: {e}", dir.display())))?;
        }
    }
    if !dry_run {
        tempfile::Builder::new()
            .prefix(".klap-export-check.")
            .tempfile_in(dir)
            .map_err(|e| {
                fail(
                    Code::Usage,
                    format!("cannot write in {}: {e}", dir.display()),
                )
            })?;
    }
    Ok(())
}

impl Run<'_> {
    fn quiet(&self) -> bool {
        self.ctx.ui.quiet() || self.ctx.ui.progress == Mode::Off
    }

    /// A step's progress line (not with -q or --no-progress).
    fn step(&self, text: &str) {
        if !self.quiet() {
            say!("klap-export: {text}");
        }
    }

    /// Changes the manifest and writes it.
    fn update<T>(&self, change: impl FnOnce(&mut Manifest) -> T) -> anyhow::Result<T> {
        let mut m = self
            .manifest
            .lock()
            .map_err(|_| fail(Code::Error, "the manifest lock was poisoned"))?;
        let out = change(&mut m);
        m.save(self.dir)?;
        Ok(out)
    }

    fn read<T>(&self, f: impl FnOnce(&Manifest) -> T) -> T {
        match self.manifest.lock() {
            Ok(m) => f(&m),
            Err(poisoned) => f(&poisoned.into_inner()),
        }
    }

    fn steps(&self) -> anyhow::Result<()> {
        let mut task_id = self.task()?;
        if self.ctx.is_sandbox() && self.gone(&task_id)? {
            // Each --sandbox is a server of its own: the task an earlier one made is gone
            // with it, so a re-run (the README's command twice) starts over.
            self.step(&format!(
                "task {task_id} was made by an earlier --sandbox, gone with it: starting over"
            ));
            self.update(|m| {
                m.task = None;
                m.folder_id = None;
                m.clips.clear();
            })?;
            task_id = self.task()?;
        }
        let folder = self.wait_task(&task_id)?;
        self.projects(&folder)?;
        let mut tally = Tally::default();
        self.exports(&folder, &mut tally)?;
        let stale = self.wait_and_save(&folder, &mut tally)?;
        self.finish(stale.as_ref(), tally)
    }

    /// Step 1: the task of the manifest, or a new one. The manifest says `sent` before
    /// the POST goes, so an answer that never came is known to the next run.
    fn task(&self) -> anyhow::Result<String> {
        match self.read(|m| self.recorded_task(m)) {
            Some(TaskRecord {
                id: Some(id),
                status,
                ..
            }) => {
                self.step(&format!(
                    "task {id} ({}) from {}",
                    sanitize(&status),
                    self.dir.join(FILE).display()
                ));
                self.other_options(&id);
                return Ok(id);
            }
            Some(TaskRecord { id: None, .. }) => {
                return Err(Fail::new(
                    Code::Error,
                    format!(
                        "{} records a task that was sent for this video without an answer: it may exist, and no route lists tasks",
                        self.dir.join(FILE).display()
                    ),
                )
                .hint("check your Klap account; --new-task sends another (paid again)")
                .into());
            }
            _ => {}
        }
        // The options given now: no task was made with those recorded before.
        let body = task::body(&self.a.url, &self.options);
        self.update(|m| {
            m.task_options.clone_from(&self.options);
            m.task = Some(TaskRecord {
                id: None,
                kind: None,
                status: SENT.into(),
                output_id: None,
            });
            m.folder_id = None;
            m.clips.clear();
        })?;
        self.step("creating the shorts task");
        let sent = super::task::send(self.ctx, "video-to-shorts", body);
        interrupt::set_note(Some(self.pick_up()));
        let t = match sent {
            Ok(t) => t,
            Err(e) => {
                // Refused outright (4xx, nothing created): the next run may send again.
                if !e.may_exist {
                    self.update(|m| m.task = None)?;
                }
                return Err(e.error);
            }
        };
        let id = t.checked_id()?;
        self.update(|m| m.task = Some(record(&t, &id)))?;
        self.step(&format!("created task {id}"));
        Ok(id)
    }

    /// The task a run goes on with: none with `--new-task`, nor when the manifest records
    /// no task POST (one refused, or none sent yet).
    fn recorded_task(&self, m: &Manifest) -> Option<TaskRecord> {
        m.task
            .clone()
            .filter(|t| !self.a.new_task && (t.id.is_some() || t.status == SENT))
    }

    /// Task options given now that the recorded task was not made with: said, not sent.
    fn other_options(&self, id: &str) {
        let recorded = self.read(|m| m.task_options.clone());
        if !self.options.is_empty() && self.options != recorded {
            say!(
                "klap-export: warning: task {id} of {} goes on with the options it was made with, {}; those given now are not sent (--new-task sends another task, paid again)",
                self.dir.join(FILE).display(),
                sanitize(&Value::Object(recorded).to_string())
            );
        }
    }

    /// Whether the API says there is no such task (asked only when the task still runs).
    fn gone(&self, id: &str) -> anyhow::Result<bool> {
        let running = self.read(|m| {
            m.task
                .as_ref()
                .is_some_and(|t| State::of(&t.status) != State::Ready || t.output_id.is_none())
        });
        if !running {
            return Ok(false);
        }
        match self.ctx.api.get(&self.ctx.api.task_url(id)) {
            Ok(_) => Ok(false),
            Err(e) if code_of(&e) == Code::NotFound => Ok(true),
            Err(e) => Err(e),
        }
    }

    /// Step 2: wait for the task; its output is the folder.
    fn wait_task(&self, id: &str) -> anyhow::Result<String> {
        let done = self.read(|m| {
            m.task
                .as_ref()
                .filter(|t| State::of(&t.status) == State::Ready)
                .and_then(|t| t.output_id.clone())
        });
        if let Some(folder) = done {
            self.update(|m| m.folder_id = Some(folder.clone()))?;
            return Ok(folder);
        }
        let plan = Plan {
            interval: self.interval,
            timeout: self.a.timeout,
            fail_fast: false,
        };
        let progress = Progress::new(self.ctx.ui.progress, self.ctx.ui.color_stderr);
        let mut tally = Tally::default();
        let mut last = String::new();
        let outcome = task::wait(
            &self.ctx.api,
            &progress,
            &[id.to_string()],
            &plan,
            self.deadline,
            &mut tally,
            &mut |t: &Task| {
                if t.status != last {
                    last.clone_from(&t.status);
                    self.update(|m| m.task = Some(record(t, id)))?;
                }
                Ok(())
            },
        );
        drop(progress);
        let outcome = outcome?;
        let hint = |_: &[String]| self.pick_up();
        task::report(&outcome, &plan, &mut tally, &hint);
        let ended = outcome.tasks.first().and_then(|w| w.task.clone());
        match ended {
            Some(t) if t.state() == State::Ready => {
                if !t.makes_folder() {
                    return Err(fail(
                        Code::Error,
                        format!(
                            "task {id} made a {}, not a folder of shorts",
                            sanitize(t.output_type.as_deref().unwrap_or("project"))
                        ),
                    ));
                }
                let folder = t.output()?.unwrap_or_default();
                self.update(|m| {
                    m.task = Some(record(&t, id));
                    m.folder_id = Some(folder.clone());
                })?;
                Ok(folder)
            }
            Some(t) if t.state() == State::Failed => {
                // The failure itself is reported (by `task::report`); this is what to do.
                say!("hint: --new-task sends the video again (paid again)");
                tally.finish()?;
                Err(t.failure(id))
            }
            _ => {
                tally.finish()?;
                Err(fail(Code::Error, format!("task {id}: no answer")))
            }
        }
    }

    /// Step 3: the best projects of the folder, once: a re-run keeps the clips chosen.
    /// The folder's listing can be empty for a while after the task is ready.
    fn projects(&self, folder: &str) -> anyhow::Result<()> {
        if !self.read(|m| m.clips.is_empty()) {
            return Ok(());
        }
        let url = self.ctx.api.folder_url(folder);
        let mut said = false;
        let body = loop {
            let body = self.ctx.api.get(&url)?;
            if !json::array_items(body.trim(), 1).is_ok_and(|items| items.is_empty()) {
                break body;
            }
            let now = Instant::now();
            if self.deadline.is_some_and(|d| now + self.interval >= d) {
                return Err(Fail::new(
                    Code::Deadline,
                    format!(
                        "gave up after {}: folder {folder} still lists no projects",
                        humantime::format_duration(self.a.timeout)
                    ),
                )
                .hint(self.pick_up())
                .into());
            }
            if !said {
                self.step(&format!(
                    "folder {folder} lists no projects yet; asking again every {}",
                    humantime::format_duration(self.interval)
                ));
                said = true;
            }
            std::thread::sleep(self.interval);
        };
        let clips = self.choose(folder, &body)?;
        self.step(&format!(
            "folder {folder}: taking {} of its projects",
            clips.len()
        ));
        self.update(|m| m.clips = clips)?;
        Ok(())
    }

    /// The best `--top` (as `projects` sorts them), each with its file name.
    fn choose(&self, folder: &str, body: &str) -> anyhow::Result<Vec<Clip>> {
        let mut projects = super::projects::best(folder, body, None, None)?;
        if let Some(min) = self.a.min_virality {
            let listed = projects.len();
            projects.retain(|p| p.score.is_some_and(|s| s >= min));
            if projects.is_empty() && listed > 0 {
                say!(
                    "klap-export: warning: no project of folder {folder} has a virality score >= {min}"
                );
            }
        }
        projects.truncate(self.a.top);
        let mut clips = Vec::new();
        // The server's JSON of a field, when it is valid (it is: the body was checked).
        let value = |raw: Option<&RawValue>| raw.and_then(|r| serde_json::from_str(r.get()).ok());
        for (i, p) in projects.iter().enumerate() {
            let id = parse_id(p.fields.id.as_deref().unwrap_or_default()).map_err(|e| {
                fail(
                    Code::Error,
                    format!("unexpected response: a project of {folder} has no usable id ({e})"),
                )
            })?;
            let mut clip = Clip {
                rank: i + 1,
                project_id: id,
                name: p.fields.name.as_deref().map(str::to_string),
                virality_score: value(p.fields.virality_score).filter(Value::is_number),
                publication_captions: value(p.fields.publication_captions)
                    .filter(|v: &Value| !v.is_null()),
                export_id: None,
                file: String::new(),
                bytes: None,
                status: ClipStatus::Pending,
            };
            clip.file = self.file_name(folder, &clip);
            clips.push(clip);
        }
        check_clash(&clips)?;
        Ok(clips)
    }

    /// The clip's file name; `{id}` is its export (its project until it has one).
    fn file_name(&self, folder: &str, c: &Clip) -> String {
        let score = c.virality_score.as_ref().map(ToString::to_string);
        self.template.render(&Values {
            id: c.export_id.as_deref().unwrap_or(&c.project_id),
            project: Some(&c.project_id),
            folder: Some(folder),
            name: c.name.as_deref(),
            rank: c.rank,
            score: score.as_deref(),
        })
    }

    /// Step 4: an export for each clip not saved yet: the newest that has not failed
    /// (one `GET /exports?folder_id=` for all), else a new one.
    fn exports(&self, folder: &str, tally: &mut Tally) -> anyhow::Result<()> {
        self.check_files(folder)?;
        let todo: Vec<Clip> = self.read(|m| {
            m.clips
                .iter()
                .filter(|c| c.status != ClipStatus::Saved)
                .cloned()
                .collect()
        });
        if todo.is_empty() {
            return Ok(());
        }
        let list = self
            .ctx
            .api
            .get(&self.ctx.api.list_url(Some(folder), None))?;
        let exports = parse_list(&list)?;
        for c in &todo {
            let p = ProjectRef {
                folder: Some(folder.to_string()),
                project: c.project_id.clone(),
            };
            // The recorded export when it is listed and has not failed, else the newest
            // of the project that has not failed.
            let mine: Vec<_> = exports
                .iter()
                .filter(|e| {
                    e.project_id().as_deref() == Some(c.project_id.as_str())
                        && matches!(e.state(), Some(State::Ready | State::Processing))
                        && e.id().is_some_and(|id| parse_id(&id).is_ok())
                })
                .collect();
            let recorded = mine
                .iter()
                .find(|e| e.id().as_deref() == c.export_id.as_deref());
            let alive = recorded.or_else(|| mine.iter().min_by_key(|e| e.created()));
            if let Some(e) = alive {
                let id = e.id().as_deref().unwrap_or_default().to_string();
                let status = clip_status(e.state());
                if c.export_id.as_deref() != Some(id.as_str()) {
                    self.step(&format!(
                        "reusing {folder}/{}/{id} ({})",
                        c.project_id,
                        sanitize(&e.status().unwrap_or_default())
                    ));
                }
                self.set_export(c.rank, &id, status)?;
                continue;
            }
            interrupt::set_note(Some(format!(
                "the export of {p} may have been created: the same command finds it; {}",
                self.pick_up()
            )));
            let created = self
                .ctx
                .api
                .create(&p, &crate::model::CreateBody::default());
            interrupt::set_note(Some(self.pick_up()));
            let created = created
                .map_err(|e| {
                    let error = e.error.context(format!("create {p}"));
                    if e.ambiguous {
                        fail(
                            Code::Error,
                            format!("{error:#}; the export may have been created (the same command run again finds it)"),
                        )
                    } else {
                        error
                    }
                })
                .and_then(|text| {
                    let e = crate::model::parse_export(&text)?;
                    parse_id(e.id().as_deref().unwrap_or_default()).map_err(|why| {
                        fail(
                            Code::Error,
                            format!("unexpected response: the created export's id: {why}"),
                        )
                    })
                });
            match created {
                Ok(id) => {
                    self.step(&format!("created export {p}/{id}"));
                    self.set_export(c.rank, &id, ClipStatus::Processing)?;
                }
                Err(e) if code_of(&e) == Code::Auth => return Err(e),
                Err(e) => tally.error(&e),
            }
        }
        // `{id}` names a clip by its export: settled now, checked again.
        self.check_files(folder)
    }

    /// Before any export is paid for (and again once `{id}` is known): the clips not
    /// saved yet named by this run's `--name`, no two on one file, and every clip's path
    /// free or holding its own file. A saved clip whose file is gone is made again (its
    /// export reused when listed).
    fn check_files(&self, folder: &str) -> anyhow::Result<()> {
        self.update(|m| {
            for c in &mut m.clips {
                if c.status == ClipStatus::Saved && on_disk(self.dir, c) == OnDisk::Free {
                    c.status = ClipStatus::Pending;
                    c.bytes = None;
                }
                if c.status != ClipStatus::Saved {
                    c.file = self.file_name(folder, c);
                }
            }
        })?;
        self.read(|m| {
            check_clash(&m.clips)?;
            self.check_paths(&m.clips)
        })
    }

    /// Exit 2 when something is at the path of a clip that is not that clip's file as
    /// saved (a planted symlink, a user's file, one of another task): never adopted as the
    /// clip, never replaced.
    fn check_paths(&self, clips: &[Clip]) -> anyhow::Result<()> {
        let blocked: Vec<String> = clips
            .iter()
            .filter_map(|c| match on_disk(self.dir, c) {
                OnDisk::InTheWay(why) => Some(format!(
                    "{} (clip {:02}: {why})",
                    self.dir.join(&c.file).display(),
                    c.rank
                )),
                OnDisk::Free | OnDisk::Saved => None,
            })
            .collect();
        if blocked.is_empty() {
            return Ok(());
        }
        let hint = match blocked.len() {
            1 => "it is left as it is: move it away",
            _ => "they are left as they are: move them away",
        };
        Err(Fail::new(
            Code::Usage,
            format!(
                "in the way of the clips, and not saved by this job: {}",
                blocked.join(", ")
            ),
        )
        .hint(format!(
            "{hint} (or give another --download directory), then run the same command again"
        ))
        .into())
    }

    fn set_export(&self, rank: usize, id: &str, status: ClipStatus) -> anyhow::Result<()> {
        self.update(|m| {
            if let Some(c) = m.clips.iter_mut().find(|c| c.rank == rank) {
                c.export_id = Some(id.to_string());
                c.status = status;
                c.bytes = None;
            }
        })
    }

    /// Step 5: poll the exports (one request a round: the folder's list, or the status
    /// route of a lone export) and save each MP4 as soon as it is ready. Returns the
    /// error of the last round when it failed.
    fn wait_and_save(
        &self,
        folder: &str,
        tally: &mut Tally,
    ) -> anyhow::Result<Option<anyhow::Error>> {
        let clips: Vec<Clip> = self.read(|m| m.clips.clone());
        let progress = Progress::new(self.ctx.ui.progress, self.ctx.ui.color_stderr);
        let mut lines: Vec<Line> = clips
            .iter()
            .map(|c| progress.line(&format!("clip {:02}", c.rank)))
            .collect();
        // A clip ready but not saved (an earlier run stopped) is asked for again.
        let mut states: Vec<ClipStatus> = clips
            .iter()
            .map(|c| match c.status {
                ClipStatus::Ready => ClipStatus::Processing,
                s => s,
            })
            .collect();
        for (i, c) in clips.iter().enumerate() {
            if c.status == ClipStatus::Saved {
                lines[i]
                    .bytes()
                    .kept(&self.dir.join(&c.file), "saved before");
            } else if c.export_id.is_none() {
                lines[i].done();
            }
        }
        let dest = Dest {
            path: Some(self.dir.to_path_buf()),
            // Checked above; a file that appears meanwhile is refused, never adopted.
            exists: Exists::Refuse,
            jobs: self.a.jobs.unwrap_or(4),
        };
        let ids: Vec<&str> = clips
            .iter()
            .map(|c| c.export_id.as_deref().unwrap_or(&c.project_id))
            .collect();
        let errors: Mutex<Vec<anyhow::Error>> = Mutex::new(Vec::new());
        let on_done = |index: usize, result: &anyhow::Result<Saved>| {
            let rank = clips[index].rank;
            // Only a file this run wrote counts as saved, with the size it wrote.
            let saved = match result {
                Ok(Saved::Written { bytes, .. }) => Some(*bytes),
                _ => None,
            };
            let written = self.update(|m| {
                if let Some(c) = m.clips.iter_mut().find(|c| c.rank == rank)
                    && let Some(bytes) = saved
                {
                    c.status = ClipStatus::Saved;
                    c.bytes = Some(bytes);
                }
            });
            if let Err(e) = written
                && let Ok(mut all) = errors.lock()
            {
                all.push(e);
            }
        };
        let batch = Batch::new(&self.ctx.api, &dest, &ids).on_done(&on_done);
        let polled = batch.run(|tx| {
            self.poll(
                folder,
                &clips,
                &mut states,
                &mut lines,
                tally,
                &mut |i: usize, url, ui: Bytes| {
                    // Something that appeared at the path since the check is left alone.
                    if let OnDisk::InTheWay(why) = on_disk(self.dir, &clips[i]) {
                        ui.clear();
                        batch.keep(i, Err(self.appeared(&clips[i], &why)));
                        return Ok(());
                    }
                    let job = download::Job {
                        index: i,
                        url,
                        id: ids[i].to_string(),
                        name: Some(clips[i].file.clone()),
                        ui,
                    };
                    tx.send(job)
                        .map_err(|_| fail(Code::Error, "the download workers stopped"))
                },
            )
        });
        for line in &lines {
            line.done();
        }
        drop(progress);
        for (i, result) in batch.results().into_iter().enumerate() {
            if let Some(Err(e)) = result {
                tally.error(&e.context(format!("clip {:02} ({})", clips[i].rank, clips[i].file)));
            }
        }
        for e in errors.into_inner().unwrap_or_default() {
            tally.error(&e);
        }
        polled
    }

    fn appeared(&self, c: &Clip, why: &str) -> anyhow::Error {
        fail(
            Code::Usage,
            format!(
                "{} appeared meanwhile ({why}): it is left as it is",
                self.dir.join(&c.file).display()
            ),
        )
    }

    #[allow(clippy::too_many_lines, reason = "one poll loop, read top to bottom")]
    fn poll(
        &self,
        folder: &str,
        clips: &[Clip],
        clip_states: &mut [ClipStatus],
        lines: &mut [Line],
        tally: &mut Tally,
        queue: &mut dyn FnMut(usize, reqwest::Url, Bytes) -> anyhow::Result<()>,
    ) -> anyhow::Result<Option<anyhow::Error>> {
        let api = &self.ctx.api;
        let waiting = |clip_states: &[ClipStatus], i: usize| {
            matches!(clip_states[i], ClipStatus::Processing | ClipStatus::Pending)
                && clips[i].export_id.is_some()
        };
        let mut failures = 0;
        let mut said = String::new();
        let mut shown: Vec<String> = vec![String::new(); clips.len()];
        loop {
            let pending: Vec<usize> = (0..clips.len())
                .filter(|&i| waiting(clip_states, i))
                .collect();
            if pending.is_empty() {
                return Ok(None);
            }
            // One request a round: the folder's list, or a lone export's status route.
            let answer = match pending.as_slice() {
                [i] => {
                    let p = ProjectRef {
                        folder: Some(folder.to_string()),
                        project: clips[*i].project_id.clone(),
                    };
                    let id = clips[*i].export_id.as_deref().unwrap_or_default();
                    api.get_once_until(&api.export_url(&p, id), self.deadline)
                        .map(|body| format!("[{body}]"))
                }
                _ => api.get_once_until(&api.list_url(Some(folder), None), self.deadline),
            };
            let mut round_error = None;
            match answer {
                Ok(body) => {
                    failures = 0;
                    let exports = parse_list(&body)?;
                    // An export missing from its folder's list is asked for on its own
                    // route (a 404 there ends that clip: exit 3), as `wait` does.
                    let listed: Vec<Cow<str>> = exports.iter().filter_map(Export::id).collect();
                    let mut missing = Vec::new();
                    for &i in &pending {
                        let id = clips[i].export_id.as_deref().unwrap_or_default();
                        if listed.iter().any(|l| l == id) {
                            continue;
                        }
                        let p = ProjectRef {
                            folder: Some(folder.to_string()),
                            project: clips[i].project_id.clone(),
                        };
                        match api.get_once_until(&api.export_url(&p, id), self.deadline) {
                            Ok(body) => missing.push(body),
                            Err(e) if code_of(&e.error) == Code::NotFound => {
                                lines[i].done();
                                clip_states[i] = ClipStatus::Failed;
                                tally.error(&fail(
                                    Code::NotFound,
                                    format!("clip {:02}: {:#}", clips[i].rank, e.error),
                                ));
                                let rank = clips[i].rank;
                                self.update(|m| {
                                    if let Some(c) = m.clips.iter_mut().find(|c| c.rank == rank) {
                                        c.status = ClipStatus::Failed;
                                    }
                                })?;
                            }
                            Err(e) if e.transient => {}
                            Err(e) => return Err(e.error),
                        }
                    }
                    let missing: Vec<_> = missing
                        .iter()
                        .map(|b| parse_current(b))
                        .collect::<Result<_, _>>()?;
                    let by_id: HashMap<Cow<str>, &Export> = exports
                        .iter()
                        .rev()
                        .chain(&missing)
                        .filter_map(|e| Some((e.id()?, e)))
                        .collect();
                    for &i in &pending {
                        let id = clips[i].export_id.as_deref().unwrap_or_default();
                        let Some(e) = by_id.get(id) else { continue };
                        let status = sanitize(&e.status().unwrap_or_default()).into_owned();
                        if status != shown[i] {
                            lines[i].status(&status);
                            shown[i].clone_from(&status);
                        }
                        let state = clip_status(e.state());
                        if state == ClipStatus::Ready {
                            let url = parse_current(e.raw).and_then(|e| e.file_url());
                            match url {
                                Ok(url) => queue(i, url, lines[i].bytes())?,
                                Err(err) => tally.error(&err),
                            }
                        }
                        if state == ClipStatus::Failed {
                            lines[i].done();
                            let why = e.why();
                            tally.error(&fail(
                                Code::ExportFailed,
                                format!(
                                    "export {folder}/{}/{id} (clip {:02}, {}) failed ({status}){why}",
                                    clips[i].project_id, clips[i].rank, clips[i].file
                                ),
                            ));
                        }
                        if state != clip_states[i] {
                            clip_states[i] = state;
                            let rank = clips[i].rank;
                            self.update(|m| {
                                if let Some(c) = m.clips.iter_mut().find(|c| c.rank == rank)
                                    && c.status != ClipStatus::Saved
                                {
                                    c.status = state;
                                }
                            })?;
                        }
                    }
                    if self.a.fail_fast && clip_states.contains(&ClipStatus::Failed) {
                        return Ok(None);
                    }
                }
                Err(e) if e.transient => {
                    failures += 1;
                    let text = format!("{:#}", e.error);
                    if text != said {
                        say!("klap-export: {}; retrying", sanitize(&text));
                        said = text;
                    }
                    round_error = Some((e.error, e.retry_after));
                }
                Err(e) => return Err(e.error),
            }
            let pause = match &round_error {
                Some((_, retry_after)) => self.interval.max(backoff(failures - 1, *retry_after)),
                None => self.interval,
            };
            let margin = Duration::from_secs(1).min(self.a.timeout / 10);
            let last = self.deadline.map(|d| d.checked_sub(margin).unwrap_or(d));
            let now = Instant::now();
            if last.is_some_and(|l| now >= l) {
                return Ok(round_error.map(|(e, _)| e));
            }
            if (0..clips.len()).any(|i| waiting(clip_states, i)) {
                std::thread::sleep(last.map_or(pause, |l| pause.min(l - now)));
            }
            for &i in &pending {
                let status = shown[i].clone();
                lines[i].still_waiting(Some(&status));
            }
        }
    }

    /// The clips on stdout, what did not end well on stderr, and the summary line.
    fn finish(&self, stale: Option<&anyhow::Error>, mut tally: Tally) -> anyhow::Result<()> {
        let m = self.read(Clone::clone);
        let count = |s: ClipStatus| m.clips.iter().filter(|c| c.status == s).count();
        let pending: Vec<String> = m
            .clips
            .iter()
            // A clip whose create failed has no export: that error is reported already.
            .filter(|c| {
                matches!(c.status, ClipStatus::Processing | ClipStatus::Pending)
                    && c.export_id.is_some()
            })
            .map(|c| {
                let export = c.export_id.as_deref().unwrap_or("not created");
                format!("{} ({export})", c.file)
            })
            .collect();
        if !pending.is_empty() {
            let stopped = self.a.fail_fast && count(ClipStatus::Failed) > 0;
            let (code, why) = match (stale, stopped) {
                (_, true) => (
                    Code::ExportFailed,
                    "stopped at the first failed export (--fail-fast)".to_string(),
                ),
                (Some(e), false) => (
                    Code::Error,
                    format!(
                        "gave up after {}: the latest poll failed: {e:#}",
                        humantime::format_duration(self.a.timeout)
                    ),
                ),
                (None, false) => (
                    Code::Deadline,
                    format!(
                        "gave up after {}",
                        humantime::format_duration(self.a.timeout)
                    ),
                ),
            };
            let shown: Vec<&str> = pending.iter().take(5).map(String::as_str).collect();
            let more = match pending.len() {
                n if n > 5 => format!(" and {} more", n - 5),
                _ => String::new(),
            };
            tally.error(
                &Fail::new(
                    code,
                    format!(
                        "{why}: {}: {}{more}",
                        task::unfinished(code),
                        shown.join(", ")
                    ),
                )
                .hint(self.pick_up())
                .into(),
            );
        }
        self.print(&m)?;
        if !self.ctx.ui.quiet() {
            let bytes: u64 = m
                .clips
                .iter()
                .filter(|c| c.status == ClipStatus::Saved)
                .filter_map(|c| c.bytes)
                .sum();
            let mut line = format!(
                "klap-export: {} clips: {} ready, {} failed, {} in progress; {} saved ({})",
                m.clips.len(),
                count(ClipStatus::Ready) + count(ClipStatus::Saved),
                count(ClipStatus::Failed),
                pending.len(),
                count(ClipStatus::Saved),
                indicatif::HumanBytes(bytes)
            );
            let _ = write!(line, " in {}", self.dir.display());
            say!("{line}");
        }
        tally.finish()
    }

    fn print(&self, m: &Manifest) -> anyhow::Result<()> {
        output::print(
            self.ctx.ui,
            &mut ClipRows {
                clips: &m.clips,
                dir: self.dir,
            },
        )
    }

    /// The same command again: it picks up from the manifest.
    fn pick_up(&self) -> String {
        if self.ctx.is_sandbox() {
            return format!(
                "the job is recorded in {}; the sandbox is gone with this run, so there is nothing to pick up",
                self.dir.join(FILE).display()
            );
        }
        let a = self.a;
        // The global options that chose the server and the key, as they were given.
        let mut globals = String::new();
        for flag in ["--base-url", "--profile", "--api-key-file"] {
            if let Some(v) = arg_value(flag) {
                let _ = write!(globals, " {flag} {}", quote(&v));
            }
        }
        let mut cmd = format!(
            "klap-export{globals} shorts {} --download {}",
            quote(&a.url),
            quote(&self.dir.display().to_string())
        );
        if a.top != 5 {
            let _ = write!(cmd, " --top {}", a.top);
        }
        if let Some(x) = a.min_virality {
            let _ = write!(cmd, " --min-virality {x}");
        }
        if let Some(i) = a.interval {
            let _ = write!(cmd, " --interval {}", humantime::format_duration(i));
        }
        if a.timeout != Duration::from_secs(7200) {
            let _ = write!(cmd, " --timeout {}", humantime::format_duration(a.timeout));
        }
        if let Some(j) = a.jobs {
            let _ = write!(cmd, " --jobs {j}");
        }
        if a.fail_fast {
            cmd.push_str(" --fail-fast");
        }
        if let Some(n) = self.name_arg() {
            let _ = write!(cmd, " --name {}", quote(&n));
        }
        format!(
            "the job goes on on the server and is recorded in {}; pick up again with: {cmd}",
            self.dir.join(FILE).display()
        )
    }

    fn name_arg(&self) -> Option<String> {
        self.a.name.as_ref()?;
        arg_value("--name")
    }

    /// `--dry-run`: what would be created and what reused; only GETs, nothing written.
    fn dry_run(&self) -> anyhow::Result<()> {
        let m = self.read(Clone::clone);
        let task = self.recorded_task(&m);
        let Some(TaskRecord { id: Some(id), .. }) = task else {
            if let Some(TaskRecord { id: None, .. }) = &task {
                say!(
                    "klap-export: {} records a task sent without an answer: a run stops there (--new-task sends another)",
                    self.dir.join(FILE).display()
                );
                return Ok(());
            }
            say!(
                "klap-export: would POST /tasks/video-to-shorts {}",
                task::body(&self.a.url, &self.options)
            );
            say!(
                "klap-export: then would export the best {} of its shorts into {}",
                self.a.top,
                self.dir.display()
            );
            return Ok(());
        };
        say!(
            "klap-export: would reuse task {id} from {}",
            self.dir.join(FILE).display()
        );
        self.other_options(&id);
        let folder = if let Some(f) = m.folder_id.clone() {
            f
        } else {
            let t = Task::parse(&self.ctx.api.get(&self.ctx.api.task_url(&id))?)?;
            let (State::Ready, Some(f)) = (t.state(), t.output()?) else {
                say!(
                    "klap-export: task {id} is {}: its shorts are not known yet",
                    sanitize(&t.status)
                );
                return Ok(());
            };
            f
        };
        let clips = if m.clips.is_empty() {
            let body = self.ctx.api.get(&self.ctx.api.folder_url(&folder))?;
            self.choose(&folder, &body)?
        } else {
            // Named as the run would name them: by this --name, unless kept.
            let mut clips = m.clips.clone();
            for c in &mut clips {
                if c.status != ClipStatus::Saved || on_disk(self.dir, c) == OnDisk::Free {
                    c.file = self.file_name(&folder, c);
                }
            }
            clips
        };
        if let Err(e) = check_clash(&clips) {
            say!("klap-export: would stop before any export: {e:#}");
        }
        let list = self
            .ctx
            .api
            .get(&self.ctx.api.list_url(Some(&folder), None))?;
        let exports = parse_list(&list)?;
        for c in &clips {
            match on_disk(self.dir, c) {
                OnDisk::Saved => {
                    say!(
                        "klap-export: would keep {}",
                        self.dir.join(&c.file).display()
                    );
                    continue;
                }
                OnDisk::InTheWay(why) => {
                    say!(
                        "klap-export: would stop before any export: {} is in the way of clip {:02} ({why})",
                        self.dir.join(&c.file).display(),
                        c.rank
                    );
                    continue;
                }
                OnDisk::Free => {}
            }
            let alive = exports
                .iter()
                .filter(|e| {
                    e.project_id().as_deref() == Some(c.project_id.as_str())
                        && matches!(e.state(), Some(State::Ready | State::Processing))
                })
                .min_by_key(|e| e.created());
            match alive {
                Some(e) => say!(
                    "klap-export: would reuse {folder}/{}/{} ({})",
                    c.project_id,
                    sanitize(e.id().as_deref().unwrap_or_default()),
                    sanitize(&e.status().unwrap_or_default())
                ),
                None => say!("klap-export: would create {folder}/{}", c.project_id),
            }
        }
        Ok(())
    }
}

const CLIP_COLUMNS: [Column; 5] = [
    Column::new("RANK", Fit::Whole, 0),
    Column::new("NAME", Fit::Cut, 1),
    Column::new("SCORE", Fit::Whole, 3),
    Column::new("EXPORT", Fit::Whole, 2),
    // The file is what a user looks for: NAME (most of it again) gives way first.
    Column::new("FILE", Fit::Whole, 0),
];

/// The clips as `output` prints them: json is the manifest's `clips`, `-q` the saved paths.
struct ClipRows<'m> {
    clips: &'m [Clip],
    dir: &'m Path,
}

impl Rows for ClipRows<'_> {
    fn json(&self) -> Vec<Cow<'_, str>> {
        self.clips
            .iter()
            .map(|c| Cow::Owned(serde_json::to_string(c).unwrap_or_default()))
            .collect()
    }

    fn table(&mut self) -> Text<'_> {
        let rows = self
            .clips
            .iter()
            .map(|c| {
                let [rank, name, score, export, file] = row(c);
                vec![
                    Cell::new(rank),
                    Cell::new(name),
                    Cell::new(score).fg(Color::DarkCyan),
                    Cell::new(export),
                    Cell::new(file),
                ]
            })
            .collect();
        Text::Table(&CLIP_COLUMNS, rows)
    }

    fn tsv(&mut self) -> Text<'_> {
        Text::Fields(self.clips.iter().map(|c| row(c).to_vec()).collect())
    }

    fn refs(&mut self) -> Text<'_> {
        Text::Lines(
            self.clips
                .iter()
                .filter(|c| c.status == ClipStatus::Saved)
                .map(|c| self.dir.join(&c.file).display().to_string())
                .collect(),
        )
    }
}

fn row(c: &Clip) -> [String; 5] {
    [
        format!("{:02}", c.rank),
        c.name.clone().unwrap_or_default(),
        c.virality_score
            .as_ref()
            .map_or_else(|| "-".into(), ToString::to_string),
        c.export_id.clone().unwrap_or_default(),
        if c.status == ClipStatus::Saved {
            c.file.clone()
        } else {
            format!("({})", status_word(c.status))
        },
    ]
}

fn status_word(s: ClipStatus) -> &'static str {
    match s {
        ClipStatus::Pending => "pending",
        ClipStatus::Processing => "processing",
        ClipStatus::Ready => "ready",
        ClipStatus::Saved => "saved",
        ClipStatus::Failed => "failed",
    }
}

fn clip_status(state: Option<State>) -> ClipStatus {
    match state {
        Some(State::Ready) => ClipStatus::Ready,
        Some(State::Failed) => ClipStatus::Failed,
        _ => ClipStatus::Processing,
    }
}

/// What is at a clip's path, looked at without following a symlink.
#[derive(Debug, PartialEq, Eq)]
enum OnDisk {
    Free,
    /// The clip's own file: the manifest says it was saved, with this size.
    Saved,
    /// Anything else, and why.
    InTheWay(String),
}

fn on_disk(dir: &Path, c: &Clip) -> OnDisk {
    let meta = match std::fs::symlink_metadata(dir.join(&c.file)) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return OnDisk::Free,
        Err(e) => return OnDisk::InTheWay(e.to_string()),
    };
    let kind = meta.file_type();
    let why = if kind.is_symlink() {
        "a symbolic link".to_string()
    } else if kind.is_dir() {
        "a directory".to_string()
    } else if !kind.is_file() {
        "not a regular file".to_string()
    } else if c.status != ClipStatus::Saved {
        "a file the manifest does not record as this clip's".to_string()
    } else if c.bytes != Some(meta.len()) {
        format!(
            "{} bytes, not the {} the manifest records",
            meta.len(),
            c.bytes
                .map_or_else(|| "size".to_string(), |b| b.to_string())
        )
    } else {
        return OnDisk::Saved;
    };
    OnDisk::InTheWay(why)
}

fn record(t: &Task, id: &str) -> TaskRecord {
    TaskRecord {
        id: Some(id.to_string()),
        kind: t.kind.clone(),
        status: t.status.clone(),
        output_id: t.output().ok().flatten(),
    }
}

/// Two clips on one file (names compared without case): exit 2 before any file.
fn check_clash(clips: &[Clip]) -> anyhow::Result<()> {
    let files: Vec<String> = clips.iter().map(|c| c.file.clone()).collect();
    match names::clash(&files) {
        Some((i, j)) => Err(fail(
            Code::Usage,
            format!(
                "clips {} and {} would both be saved as {}: give --name a placeholder that tells them apart, such as {{rank}}",
                clips[i].rank, clips[j].rank, clips[j].file
            ),
        )),
        None => Ok(()),
    }
}

/// The value given to `flag` on the command line (`--flag V` or `--flag=V`).
fn arg_value(flag: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    let prefix = format!("{flag}=");
    args.iter().enumerate().find_map(|(i, a)| {
        if a == flag {
            args.get(i + 1).cloned()
        } else {
            a.strip_prefix(&prefix).map(str::to_string)
        }
    })
}

/// A word for a POSIX shell: as it is when plain, else in single quotes.
fn quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
