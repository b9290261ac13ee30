//! Klap tasks (a video made into shorts, or into one captioned video): the body a task
//! create sends, the Task object, and the wait engine for tasks, with the rules of `wait`
//! (states, deadline, "must have heard from the API", exit codes).

use std::borrow::Cow;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::api::{Api, backoff};
use crate::exit::{Code, Fail, Tally, code_of, fail};
use crate::model::{State, parse_id};
use crate::output::{self, Rows, Shape, Text};
use crate::progress::{Line, Progress};
use crate::say;
use crate::table::{Cell, Column, Fit};
use crate::text::{sanitize, snippet};
use crate::values::Ui;

/// The fields of a task create besides `source_video_url`, each only when given (the
/// server's defaults apply to the rest), in the order of the vendor's docs.
#[derive(Debug, Clone, Default, PartialEq)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "one field per flag of the command line"
)]
pub struct Options {
    pub language: Option<String>,
    pub translate_to: Option<String>,
    pub title: Option<String>,
    pub clips: Option<u32>,
    pub max_clips: Option<u32>,
    pub min_duration: Option<u32>,
    pub max_duration: Option<u32>,
    pub target_duration: Option<u32>,
    pub no_captions: bool,
    pub no_reframe: bool,
    pub no_emojis: bool,
    pub no_intro_title: bool,
    pub remove_silences: bool,
    pub size: Option<(u32, u32)>,
    pub style_preset: Option<String>,
}

impl Options {
    /// The body fields besides the URL (the manifest's `task_options`).
    pub fn fields(&self) -> Map<String, Value> {
        let mut m = Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                m.insert(k.to_string(), v);
            }
        };
        put("language", self.language.clone().map(Value::from));
        put("translate_to", self.translate_to.clone().map(Value::from));
        put("name", self.title.clone().map(Value::from));
        put("target_clip_count", self.clips.map(Value::from));
        put("max_clip_count", self.max_clips.map(Value::from));
        put("min_duration", self.min_duration.map(Value::from));
        put("max_duration", self.max_duration.map(Value::from));
        put("target_duration", self.target_duration.map(Value::from));
        let mut editing = Map::new();
        for (name, off) in [
            ("captions", self.no_captions),
            ("reframe", self.no_reframe),
            ("emojis", self.no_emojis),
            ("intro_title", self.no_intro_title),
        ] {
            if off {
                editing.insert(name.into(), Value::Bool(false));
            }
        }
        if self.remove_silences {
            editing.insert("remove_silences".into(), Value::Bool(true));
        }
        put(
            "editing_options",
            (!editing.is_empty()).then_some(Value::Object(editing)),
        );
        put(
            "dimensions",
            self.size
                .map(|(w, h)| serde_json::json!({"width": w, "height": h})),
        );
        put(
            "style_preset_id",
            self.style_preset.clone().map(Value::from),
        );
        m
    }

    /// The options only a shorts task takes (given ones, as flags), for `--video-to-video`.
    pub fn shorts_only(&self) -> Vec<&'static str> {
        let given = [
            ("--translate-to", self.translate_to.is_some()),
            ("--title", self.title.is_some()),
            ("--clips", self.clips.is_some()),
            ("--max-clips", self.max_clips.is_some()),
            ("--min-duration", self.min_duration.is_some()),
            ("--max-duration", self.max_duration.is_some()),
            ("--target-duration", self.target_duration.is_some()),
            ("--style-preset", self.style_preset.is_some()),
        ];
        given
            .iter()
            .filter(|(_, on)| *on)
            .map(|(f, _)| *f)
            .collect()
    }

    /// Rules across options: min <= target <= max (each range is clap's to check).
    pub fn check(&self) -> Result<(), String> {
        let pairs = [
            (
                "--min-duration",
                self.min_duration,
                "--max-duration",
                self.max_duration,
            ),
            (
                "--min-duration",
                self.min_duration,
                "--target-duration",
                self.target_duration,
            ),
            (
                "--target-duration",
                self.target_duration,
                "--max-duration",
                self.max_duration,
            ),
            ("--clips", self.clips, "--max-clips", self.max_clips),
        ];
        for (a, x, b, y) in pairs {
            if let (Some(x), Some(y)) = (x, y)
                && x > y
            {
                return Err(format!("{a} {x} is more than {b} {y}"));
            }
        }
        Ok(())
    }
}

/// The whole body of a task create: the URL first, then the options given.
pub fn body(url: &str, fields: &Map<String, Value>) -> String {
    let mut m = Map::new();
    m.insert("source_video_url".into(), Value::from(url));
    m.extend(fields.clone());
    Value::Object(m).to_string()
}

/// A Task object as the server sent it, with the fields this tool reads (strings only;
/// anything else counts as absent).
#[derive(Debug, Clone)]
pub struct Task {
    pub raw: String,
    pub id: Option<String>,
    pub kind: Option<String>,
    pub status: String,
    pub output_type: Option<String>,
    pub output_id: Option<String>,
    pub created_at: Option<String>,
    /// The server's `error`, `error_message`, `error_code` or `message`.
    pub error: Option<String>,
}

impl Task {
    /// A task object: a JSON object with a `status` (else an unexpected response, exit 1).
    pub fn parse(body: &str) -> anyhow::Result<Task> {
        let unexpected = |why: &str| {
            fail(
                Code::Error,
                format!(
                    "unexpected response: expected a task object ({why}); got: {}",
                    snippet(body)
                ),
            )
        };
        let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(body.trim()) else {
            return Err(unexpected("not a JSON object"));
        };
        let text = |k: &str| match obj.get(k) {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        let status = text("status").ok_or_else(|| unexpected("it has no status"))?;
        let error = ["error", "error_message", "error_code", "message"]
            .iter()
            .find_map(|k| match obj.get(*k) {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(v @ Value::Object(_)) => Some(v.to_string()),
                _ => None,
            });
        Ok(Task {
            raw: body.trim().to_string(),
            id: text("id"),
            kind: text("type"),
            status,
            output_type: text("output_type"),
            output_id: text("output_id"),
            created_at: text("created_at"),
            error,
        })
    }

    /// Ready means a ready status **and** an output to go on with.
    pub fn state(&self) -> State {
        match State::of(&self.status) {
            State::Ready if self.output_id.is_none() => State::Processing,
            s => s,
        }
    }

    /// The task's ID, checked as every ID the server sends.
    pub fn checked_id(&self) -> anyhow::Result<String> {
        parse_id(self.id.as_deref().unwrap_or_default()).map_err(|e| {
            fail(
                Code::Error,
                format!("unexpected response: the task's id: {e}"),
            )
        })
    }

    /// The output ID (a folder, or a direct project), checked before it goes into a path.
    pub fn output(&self) -> anyhow::Result<Option<String>> {
        self.output_id
            .as_deref()
            .map(|id| {
                parse_id(id).map_err(|e| {
                    fail(
                        Code::Error,
                        format!("unexpected response: the task's output_id: {e}"),
                    )
                })
            })
            .transpose()
    }

    /// Whether the output is a folder of shorts (by `output_type`, else by `type`).
    pub fn makes_folder(&self) -> bool {
        match self.output_type.as_deref() {
            Some(t) => t == "folder",
            None => self.kind.as_deref().is_none_or(|k| k.contains("shorts")),
        }
    }

    /// "failed (error): video_too_long"
    pub fn failure(&self, id: &str) -> anyhow::Error {
        let why = self
            .error
            .as_deref()
            .map(|e| format!(": {}", sanitize(e)))
            .unwrap_or_default();
        fail(
            Code::ExportFailed,
            format!("task {id} failed ({}){why}", sanitize(&self.status)),
        )
    }
}

/// How to wait for tasks.
#[derive(Debug, Clone)]
pub struct Plan {
    pub interval: Duration,
    /// Zero waits without a deadline.
    pub timeout: Duration,
    pub fail_fast: bool,
}

/// One task waited for.
pub struct Waited {
    pub id: String,
    pub task: Option<Task>,
    /// Not found (404): reported, no longer polled.
    pub gone: bool,
    line: Line,
}

impl Waited {
    pub fn state(&self) -> State {
        self.task.as_ref().map_or(State::Processing, Task::state)
    }

    fn polling(&self) -> bool {
        !self.gone && self.state() == State::Processing
    }
}

/// How a wait ended.
pub struct Outcome {
    pub tasks: Vec<Waited>,
    /// The error of the last round, when it failed (the deadline then names it).
    pub stale: Option<anyhow::Error>,
}

/// The end of a wait, when `timeout` (from `start`) is not zero.
pub fn deadline(start: Instant, timeout: Duration) -> Option<Instant> {
    (!timeout.is_zero())
        .then(|| start.checked_add(timeout))
        .flatten()
}

/// Polls `GET /tasks/{id}` for each task until each is ready or failed, the deadline
/// passes or (with `fail_fast`) one fails. `seen` hears of every task answer. Returns an
/// error at once for 401/403, and when the first round, retried `--retries` times, heard
/// nothing from the API.
pub fn wait(
    api: &Api,
    progress: &Progress,
    ids: &[String],
    plan: &Plan,
    deadline: Option<Instant>,
    tally: &mut Tally,
    seen: &mut dyn FnMut(&Task) -> anyhow::Result<()>,
) -> anyhow::Result<Outcome> {
    let mut tasks: Vec<Waited> = ids
        .iter()
        .map(|id| Waited {
            id: id.clone(),
            task: None,
            gone: false,
            line: progress.line(&format!("task {id}")),
        })
        .collect();
    let mut heard = false;
    let mut failures = 0;
    let mut said = String::new();
    let result = (|| loop {
        // The failed requests of this round, by task: said once it is known they are retried.
        let mut failed: Vec<(usize, anyhow::Error)> = Vec::new();
        let mut retry_after = None;
        for (i, t) in tasks.iter_mut().enumerate().filter(|(_, t)| t.polling()) {
            match api.get_once_until(&api.task_url(&t.id), deadline) {
                Ok(body) => {
                    heard = true;
                    let task = match Task::parse(&body) {
                        Ok(task) => task,
                        Err(e) => {
                            t.gone = true;
                            t.line.done();
                            tally.error(&e.context(format!("task {}", t.id)));
                            continue;
                        }
                    };
                    let old = t.task.as_ref().map(|o| (o.status.clone(), o.state()));
                    if old != Some((task.status.clone(), task.state())) {
                        let shown = match (State::of(&task.status), task.state()) {
                            (State::Ready, State::Processing) => {
                                format!("{} (no output yet)", sanitize(&task.status))
                            }
                            _ => sanitize(&task.status).into_owned(),
                        };
                        t.line.status(&shown);
                    }
                    seen(&task)?;
                    t.task = Some(task);
                }
                Err(e) if e.transient => {
                    heard |= e.answered;
                    retry_after = retry_after.max(e.retry_after);
                    failed.push((i, e.error));
                }
                Err(e) if code_of(&e.error) == Code::NotFound => {
                    heard = true;
                    t.gone = true;
                    t.line.done();
                    tally.error(&fail(
                        Code::NotFound,
                        format!("task {}: {:#}", t.id, e.error),
                    ));
                }
                Err(e) => return Err(e.error),
            }
        }
        let stale = failed_round(api, &mut tasks, failed, heard, failures, &mut said)?;
        let failed = tasks.iter().any(|t| t.state() == State::Failed);
        if !tasks.iter().any(Waited::polling) || (plan.fail_fast && failed) {
            return Ok(None);
        }
        failures = if stale.is_some() { failures + 1 } else { 0 };
        let pause = if stale.is_some() && !heard {
            // Retries of the first round, as any request's: not a poll interval apart.
            backoff(failures - 1, retry_after)
        } else if stale.is_some() {
            plan.interval.max(backoff(failures - 1, retry_after))
        } else {
            plan.interval
        };
        let margin = Duration::from_secs(1).min(plan.timeout / 10);
        let last = deadline.map(|d| d.checked_sub(margin).unwrap_or(d));
        let now = Instant::now();
        if last.is_some_and(|l| now >= l) {
            return Ok(stale);
        }
        std::thread::sleep(last.map_or(pause, |l| pause.min(l - now)));
        for t in tasks.iter_mut().filter(|t| t.polling()) {
            let status = t.task.as_ref().map(|k| k.status.clone());
            t.line.still_waiting(status.as_deref());
        }
    })();
    for t in &tasks {
        t.line.done();
    }
    let stale = result?;
    Ok(Outcome { tasks, stale })
}

/// The requests of a round that failed, by task: the round's error (the last), said
/// once it is known they are retried. A wait must have heard from the API: while no
/// round was answered at all, `--retries` rounds in a row end it with that error (a
/// wrong port fails fast instead of waiting for the deadline).
fn failed_round(
    api: &Api,
    tasks: &mut [Waited],
    mut failed: Vec<(usize, anyhow::Error)>,
    heard: bool,
    failures: u32,
    said: &mut String,
) -> anyhow::Result<Option<anyhow::Error>> {
    if !heard
        && failures >= api.retries()
        && let Some((_, e)) = failed.last()
    {
        return Err(fail(Code::Error, format!("{e:#}")).context("no answer from the API"));
    }
    for (i, e) in &failed {
        if let Some(t) = tasks.get_mut(*i) {
            let status = t.task.as_ref().map(|k| k.status.clone());
            t.line.retrying(status.as_deref(), e);
        }
    }
    let stale = failed.pop().map(|(_, e)| e);
    if let Some(e) = &stale
        && heard
    {
        // Errors are not progress: said even with -q, once each.
        let text = format!("{e:#}");
        if text != *said {
            say!("klap-export: {}; retrying", sanitize(&text));
            *said = text;
        }
    }
    Ok(stale)
}

/// Reports what did not end ready: failed tasks (exit 5), and those still in progress at
/// the deadline (exit 6; exit 1 when the last round failed: only the API can say a task
/// is still in progress). `hint` says how to pick up the unfinished ones.
pub fn report(
    outcome: &Outcome,
    plan: &Plan,
    tally: &mut Tally,
    hint: &dyn Fn(&[String]) -> String,
) {
    for t in &outcome.tasks {
        if let Some(task) = &t.task
            && t.state() == State::Failed
        {
            tally.error(&task.failure(&t.id));
        }
    }
    let pending: Vec<String> = outcome
        .tasks
        .iter()
        .filter(|t| t.polling())
        .map(|t| t.id.clone())
        .collect();
    if pending.is_empty() {
        return;
    }
    let failed = outcome.tasks.iter().any(|t| t.state() == State::Failed);
    let (code, why) = if plan.fail_fast && failed {
        (
            Code::ExportFailed,
            "stopped at the first failed task (--fail-fast)".to_string(),
        )
    } else if let Some(e) = &outcome.stale {
        (
            Code::Error,
            format!(
                "gave up after {}: the latest poll failed: {e:#}",
                humantime::format_duration(plan.timeout)
            ),
        )
    } else {
        (
            Code::Deadline,
            format!("gave up after {}", humantime::format_duration(plan.timeout)),
        )
    };
    let shown: Vec<&str> = pending.iter().take(5).map(String::as_str).collect();
    let more = match pending.len() {
        n if n > 5 => format!(" and {} more", n - 5),
        _ => String::new(),
    };
    tally.error(
        &Fail::new(
            code,
            format!("{why}: {}: {}{more}", unfinished(code), shown.join(", ")),
        )
        .hint(hint(&pending))
        .into(),
    );
}

const TASK_COLUMNS: [Column; 5] = [
    Column::new("ID", Fit::Whole, 0),
    Column::new("TYPE", Fit::Whole, 3),
    Column::new("STATUS", Fit::Whole, 0),
    Column::new("OUTPUT", Fit::Whole, 1),
    Column::new("CREATED", Fit::Whole, 2),
];

/// Tasks as `output` prints them.
struct TaskRows<'t> {
    tasks: &'t [&'t Task],
    shape: Shape,
    quiet: &'t dyn Fn(&Task) -> Option<String>,
}

fn or_empty(v: Option<&String>) -> String {
    v.cloned().unwrap_or_default()
}

impl Rows for TaskRows<'_> {
    fn shape(&self) -> Shape {
        self.shape
    }

    fn json(&self) -> Vec<Cow<'_, str>> {
        self.tasks
            .iter()
            .map(|t| Cow::Borrowed(t.raw.as_str()))
            .collect()
    }

    fn table(&mut self) -> Text<'_> {
        let rows = self
            .tasks
            .iter()
            .map(|t| {
                vec![
                    Cell::new(or_empty(t.id.as_ref())),
                    Cell::new(or_empty(t.kind.as_ref())),
                    Cell::new(t.status.clone()),
                    Cell::new(or_empty(t.output_id.as_ref())),
                    Cell::new(or_empty(t.created_at.as_ref())),
                ]
            })
            .collect();
        Text::Table(&TASK_COLUMNS, rows)
    }

    fn tsv(&mut self) -> Text<'_> {
        let rows = self
            .tasks
            .iter()
            .map(|t| {
                vec![
                    or_empty(t.id.as_ref()),
                    or_empty(t.kind.as_ref()),
                    t.status.clone(),
                    or_empty(t.output_id.as_ref()),
                    or_empty(t.created_at.as_ref()),
                ]
            })
            .collect();
        Text::Fields(rows)
    }

    fn refs(&mut self) -> Text<'_> {
        Text::Lines(self.tasks.iter().filter_map(|t| (self.quiet)(t)).collect())
    }
}

/// Prints tasks: json verbatim (an object for one, unless `array`), ndjson, tsv
/// (`id, type, status, output_id, created_at`), a table, or with `-q` what `quiet` gives
/// for each (its ID, or its output).
pub fn print(
    ui: Ui,
    tasks: &[&Task],
    array: bool,
    quiet: &dyn Fn(&Task) -> Option<String>,
) -> anyhow::Result<()> {
    output::print(
        ui,
        &mut TaskRows {
            tasks,
            shape: if array { Shape::Array } else { Shape::Object },
            quiet,
        },
    )
}

/// What an unfinished job is called: "still in progress" only when the API said so; after
/// a failed last round nothing is known.
pub fn unfinished(code: Code) -> &'static str {
    if code == Code::Error {
        "not known to be done"
    } else {
        "still in progress"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_given_fields_are_sent_in_order() {
        let o = Options {
            language: Some("en".into()),
            max_clips: Some(5),
            no_emojis: true,
            remove_silences: true,
            size: Some((1080, 1920)),
            ..Options::default()
        };
        assert_eq!(
            body("https://x.example/v.mp4", &o.fields()),
            r#"{"source_video_url":"https://x.example/v.mp4","language":"en","max_clip_count":5,"editing_options":{"emojis":false,"remove_silences":true},"dimensions":{"width":1080,"height":1920}}"#
        );
        assert_eq!(
            body("u", &Options::default().fields()),
            r#"{"source_video_url":"u"}"#
        );
    }

    #[test]
    fn durations_must_nest() {
        let o = Options {
            min_duration: Some(30),
            target_duration: Some(20),
            ..Options::default()
        };
        assert!(o.check().unwrap_err().contains("--min-duration 30"));
    }

    #[test]
    fn ready_needs_an_output() {
        let t = Task::parse(r#"{"id":"t","status":"completed","output_id":null}"#).unwrap();
        assert_eq!(t.state(), State::Processing);
        let t = Task::parse(r#"{"id":"t","status":"ready","output_id":"f"}"#).unwrap();
        assert_eq!(t.state(), State::Ready);
        let t =
            Task::parse(r#"{"id":"t","status":"failed","error_code":"video_too_long"}"#).unwrap();
        assert_eq!(t.state(), State::Failed);
        assert_eq!(t.error.as_deref(), Some("video_too_long"));
        assert!(Task::parse(r#"{"id":"t"}"#).is_err());
        assert!(Task::parse("[]").is_err());
    }
}
