//! `task create|status|wait`: the Klap tasks that turn a video into shorts.

use std::time::{Duration, Instant};

use crate::cli::{TaskAction, TaskArgs, TaskCreateArgs, TaskOptionArgs, TaskWaitArgs};
use crate::config::Ctx;
use crate::exit::{Code, Fail, Tally, code_of, fail};
use crate::interrupt;
use crate::model::State;
use crate::progress::Progress;
use crate::say;
use crate::task::{self, Options, Plan, Task};
use crate::values::Ui;

/// Tasks take minutes (2-30): polling more often only costs requests.
pub const INTERVAL: Duration = Duration::from_secs(15);

/// `ctx` is built only when needed: `task create --dry-run` sends nothing and needs no key.
pub fn run(a: &TaskArgs, ctx: impl FnOnce() -> anyhow::Result<Ctx>) -> anyhow::Result<()> {
    match &a.action {
        TaskAction::Create(c) => create(c, ctx),
        TaskAction::Status { ids } => status(ids, &ctx()?),
        TaskAction::Wait {
            ids,
            wait,
            fail_fast,
        } => {
            let ctx = &ctx()?;
            let plan = plan(wait, *fail_fast, ctx);
            let mut tally = Tally::default();
            let outcome = wait_for(ctx, ids, &plan, &mut tally)?;
            print_waited(ctx.ui, &outcome, ids.len() > 1)?;
            tally.finish()
        }
    }
}

/// The task options as the engine takes them, checked across flags.
pub fn options(a: &TaskOptionArgs) -> anyhow::Result<Options> {
    let o = Options {
        language: a.language.clone(),
        translate_to: a.translate_to.clone(),
        title: a.title.clone(),
        clips: a.clips,
        max_clips: a.max_clips,
        min_duration: a.min_duration,
        max_duration: a.max_duration,
        target_duration: a.target_duration,
        no_captions: a.no_captions,
        no_reframe: a.no_reframe,
        no_emojis: a.no_emojis,
        no_intro_title: a.no_intro_title,
        remove_silences: a.remove_silences,
        size: a.size,
        style_preset: a.style_preset.clone(),
    };
    o.check().map_err(|e| fail(Code::Usage, e))?;
    Ok(o)
}

fn plan(a: &TaskWaitArgs, fail_fast: bool, ctx: &Ctx) -> Plan {
    Plan {
        interval: ctx.interval(a.interval, INTERVAL),
        timeout: a.timeout,
        fail_fast,
    }
}

fn create(a: &TaskCreateArgs, ctx: impl FnOnce() -> anyhow::Result<Ctx>) -> anyhow::Result<()> {
    let o = options(&a.options)?;
    if a.video_to_video && !o.shorts_only().is_empty() {
        return Err(fail(
            Code::Usage,
            format!(
                "{} only apply to a shorts task, not with --video-to-video",
                o.shorts_only().join(", ")
            ),
        ));
    }
    let waits = a.wait_args.interval.is_some() || a.wait_args.timeout != Duration::from_secs(3600);
    if waits && !a.wait {
        return Err(fail(Code::Usage, "--interval and --timeout need --wait"));
    }
    let route = if a.video_to_video {
        "video-to-video"
    } else {
        "video-to-shorts"
    };
    let body = task::body(&a.url, &o.fields());
    if a.dry_run {
        say!("klap-export: would POST /tasks/{route} {body}");
        return Ok(());
    }
    let ctx = &ctx()?;
    let t = send(ctx, route, body)?;
    let id = t.checked_id()?;
    if !a.wait {
        return task::print(ctx.ui, &[&t], false, &|t| t.id.clone());
    }
    if !ctx.ui.quiet() {
        say!("klap-export: created task {id}");
    }
    let plan = plan(&a.wait_args, false, ctx);
    let mut tally = Tally::default();
    let outcome = wait_for(ctx, std::slice::from_ref(&id), &plan, &mut tally)?;
    print_waited(ctx.ui, &outcome, false)?;
    tally.finish()
}

/// A task POST that failed, and whether it may have created the task anyway.
pub struct SendError {
    pub error: anyhow::Error,
    pub may_exist: bool,
}

impl From<SendError> for anyhow::Error {
    fn from(e: SendError) -> Self {
        e.error
    }
}

/// POSTs a task once. A failure after the request may have arrived says that the task may
/// exist (and that no route lists tasks).
pub fn send(ctx: &Ctx, route: &str, body: String) -> Result<Task, SendError> {
    interrupt::set_note(Some(
        "the task may have been created (no route lists tasks: it cannot be looked up)".into(),
    ));
    let sent = ctx.api.create_task(route, body);
    interrupt::set_note(None);
    let exists = |e: &anyhow::Error| SendError {
        error: may_exist(e),
        may_exist: true,
    };
    let text = sent.map_err(|e| {
        let error = e.error.context(format!("create a {route} task"));
        if e.ambiguous {
            exists(&error)
        } else {
            SendError {
                error,
                may_exist: false,
            }
        }
    })?;
    let t = Task::parse(&text).map_err(|e| exists(&e))?;
    t.checked_id().map_err(|e| exists(&e))?;
    Ok(t)
}

fn may_exist(error: &anyhow::Error) -> anyhow::Error {
    Fail::new(
        Code::Error,
        format!("{error:#}; the task may have been created"),
    )
    .hint("no route lists tasks, so it cannot be looked up; creating another costs again")
    .into()
}

fn status(ids: &[String], ctx: &Ctx) -> anyhow::Result<()> {
    let mut tally = Tally::default();
    let mut tasks = Vec::new();
    for id in ids {
        let got = ctx
            .api
            .get(&ctx.api.task_url(id))
            .and_then(|body| Task::parse(&body));
        match got {
            Ok(t) => tasks.push(t),
            Err(e) if code_of(&e) == Code::Auth => return Err(e),
            Err(e) => tally.error(&e.context(format!("task {id}"))),
        }
    }
    let shown: Vec<&Task> = tasks.iter().collect();
    task::print(ctx.ui, &shown, ids.len() > 1, &|t| t.id.clone())?;
    for t in &tasks {
        if t.state() == State::Failed
            && let Some(e) = &t.error
        {
            say!(
                "klap-export: task {} failed: {}",
                t.id.as_deref().unwrap_or_default(),
                crate::text::sanitize(e)
            );
        }
    }
    tally.finish()
}

fn wait_for(
    ctx: &Ctx,
    ids: &[String],
    plan: &Plan,
    tally: &mut Tally,
) -> anyhow::Result<task::Outcome> {
    let progress = Progress::new(ctx.ui.progress, ctx.ui.color_stderr);
    let hint = |ids: &[String]| pick_up(ids, plan);
    interrupt::set_note(Some(hint(ids)));
    let deadline = task::deadline(Instant::now(), plan.timeout);
    let outcome = task::wait(&ctx.api, &progress, ids, plan, deadline, tally, &mut |_| {
        Ok(())
    });
    interrupt::set_note(None);
    drop(progress);
    let outcome = outcome?;
    task::report(&outcome, plan, tally, &hint);
    Ok(outcome)
}

/// The tasks as they ended; `-q` prints the outputs of the ready ones.
fn print_waited(ui: Ui, outcome: &task::Outcome, array: bool) -> anyhow::Result<()> {
    let tasks: Vec<&Task> = outcome
        .tasks
        .iter()
        .filter_map(|t| t.task.as_ref())
        .collect();
    task::print(ui, &tasks, array, &|t| {
        if t.state() == State::Ready {
            t.output().ok().flatten()
        } else {
            None
        }
    })
}

fn pick_up(ids: &[String], plan: &Plan) -> String {
    let them = if ids.len() == 1 {
        "the task goes on"
    } else {
        "the tasks go on"
    };
    format!(
        "{them} on the server; pick up again with: klap-export task wait {} --timeout {}",
        ids.join(" "),
        humantime::format_duration(plan.timeout)
    )
}
