//! A small stateful Klap (tasks, a folder of projects, exports, files) on a `Script`, with
//! faults to switch on: for `task` and `shorts` tests that need the state to move.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::script::{Script, Seen, Step, json as answer_json, raw};

pub struct Config {
    /// A task is `processing` this long, then `ready`.
    pub task_after: Duration,
    /// The folder's listing is `[]` this long after the task is ready.
    pub empty_for: Duration,
    pub export_after: Duration,
    /// Each later export takes this much longer than the one before.
    pub export_stagger: Duration,
    pub clips: usize,
    /// Project names by index (else `Clip N`).
    pub names: Vec<Value>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            task_after: Duration::from_millis(200),
            empty_for: Duration::from_millis(200),
            export_after: Duration::from_millis(200),
            export_stagger: Duration::ZERO,
            clips: 6,
            names: Vec::new(),
        }
    }
}

/// Faults, switched on by the test between runs.
#[derive(Default, Clone)]
pub struct Faults {
    /// The task POST creates the task, then the connection drops without an answer.
    pub drop_task_answer: bool,
    /// Every task GET answers `processing` forever.
    pub task_never_ready: bool,
    /// The folder listing stays empty.
    pub folder_empty: bool,
    /// Every request after this many gets 401.
    pub unauthorized_after: Option<usize>,
    /// Exports of these projects end in `error`.
    pub failing: Vec<String>,
    /// Exports of these projects are gone: left out of lists, 404 on their route.
    pub vanished: Vec<String>,
}

struct Task {
    id: String,
    at: Instant,
    fails: bool,
}

struct Export {
    n: u32,
    id: String,
    project: String,
    at: Instant,
}

#[derive(Default)]
struct State {
    tasks: Vec<Task>,
    exports: Vec<Export>,
    requests: usize,
}

#[allow(dead_code, reason = "for the shorts tests")]
pub struct Klap {
    pub router: Script,
    pub faults: Arc<Mutex<Faults>>,
}

pub const FOLDER: &str = "fold1";
pub const FILE: &[u8] = b"\x00\x00\x00\x18ftypmp42 a small mp4";

impl Klap {
    pub fn start(config: Config) -> Klap {
        let faults = Arc::new(Mutex::new(Faults::default()));
        let state = Arc::new(Mutex::new(State::default()));
        let (f, s) = (faults.clone(), state.clone());
        let router = Script::route(move |req, _| {
            let faults = f.lock().unwrap().clone();
            let mut state = s.lock().unwrap();
            state.requests += 1;
            if faults
                .unauthorized_after
                .is_some_and(|n| state.requests > n)
            {
                return answer_json(401, &json!({"message": "invalid API key"}));
            }
            handle(&config, &faults, &mut state, req)
        });
        Klap { router, faults }
    }

    pub fn base(&self) -> &str {
        &self.router.base
    }

    #[allow(dead_code, reason = "for the shorts tests")]
    pub fn faults(&self, f: impl FnOnce(&mut Faults)) {
        f(&mut self.faults.lock().unwrap());
    }

    /// How many requests were `METHOD` to a path starting with `prefix`.
    pub fn count(&self, method: &str, prefix: &str) -> usize {
        self.router
            .hits()
            .iter()
            .filter(|h| h.seen.method == method && h.seen.path.starts_with(prefix))
            .count()
    }
}

fn project_id(i: usize) -> String {
    format!("p{:02}", i + 1)
}

fn handle(config: &Config, faults: &Faults, state: &mut State, req: &Seen) -> Step {
    let path = req.path.as_str();
    let host = req.header("host").unwrap_or_default();
    let now = Instant::now();
    let parts: Vec<&str> = path
        .trim_start_matches('/')
        .trim_start_matches("v2/")
        .split('?')
        .next()
        .unwrap_or_default()
        .split('/')
        .collect();
    match (req.method.as_str(), parts.as_slice()) {
        ("POST", ["tasks", "video-to-shorts" | "video-to-video"]) => {
            let body: Value = serde_json::from_str(&req.body).unwrap_or(Value::Null);
            let url = body["source_video_url"].as_str().unwrap_or_default();
            let id = format!("task{}", state.tasks.len() + 1);
            state.tasks.push(Task {
                id: id.clone(),
                at: now,
                fails: url.contains("fail"),
            });
            let task = task_json(config, faults, &state.tasks[state.tasks.len() - 1], now);
            if faults.drop_task_answer {
                return Step::Cut(Vec::new(), 0);
            }
            answer_json(200, &task)
        }
        ("GET", ["tasks", id]) => match state.tasks.iter().find(|t| t.id == *id) {
            Some(t) => answer_json(200, &task_json(config, faults, t, now)),
            None => answer_json(404, &json!({"message": "task not found"})),
        },
        ("GET", ["projects", folder]) if *folder == FOLDER => {
            let listed = state
                .tasks
                .iter()
                .any(|t| !t.fails && now >= t.at + config.task_after + config.empty_for)
                && !faults.folder_empty;
            if !listed {
                return answer_json(200, &json!([]));
            }
            let projects: Vec<Value> = (0..config.clips)
                .map(|i| {
                    let name = config
                        .names
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| json!(format!("Clip {}", i + 1)));
                    // Scores out of order, one missing: the tool sorts.
                    let score = if i == 2 {
                        Value::Null
                    } else {
                        json!(((i * 37) % 100) as f64 / 100.0)
                    };
                    json!({
                        "id": project_id(i), "folder_id": FOLDER, "name": name,
                        "virality_score": score, "created_at": "2023-10-02T09:00:00Z",
                        "publication_captions": {"tiktok": format!("caption {i}")},
                        "transcript_text": "not copied"
                    })
                })
                .collect();
            answer_json(200, &Value::Array(projects))
        }
        ("POST", ["projects", FOLDER, project, "exports"]) => {
            let id = format!("exp{}", state.exports.len() + 1);
            let n = u32::try_from(state.exports.len()).unwrap_or(0);
            state.exports.push(Export {
                n,
                id,
                project: (*project).to_string(),
                at: now,
            });
            let e = &state.exports[state.exports.len() - 1];
            answer_json(200, &export_json(config, faults, e, now, host))
        }
        ("GET", ["exports"]) => {
            let list: Vec<Value> = state
                .exports
                .iter()
                .rev()
                .filter(|e| !faults.vanished.contains(&e.project))
                .map(|e| export_json(config, faults, e, now, host))
                .collect();
            answer_json(200, &Value::Array(list))
        }
        ("GET", ["projects", FOLDER, _, "exports", id]) => {
            let shown = |e: &&Export| !faults.vanished.contains(&e.project);
            match state.exports.iter().find(|e| e.id == *id).filter(shown) {
                Some(e) => answer_json(200, &export_json(config, faults, e, now, host)),
                None => answer_json(404, &json!({"message": "export not found"})),
            }
        }
        ("GET", ["files", _]) => Step::Raw(raw(200, &[], FILE)),
        _ => answer_json(404, &json!({"message": format!("no route {path}")})),
    }
}

fn task_json(config: &Config, faults: &Faults, t: &Task, now: Instant) -> Value {
    let done = now >= t.at + config.task_after && !faults.task_never_ready;
    let (status, output) = match (done, t.fails) {
        (false, _) => ("processing", Value::Null),
        (true, true) => ("error", Value::Null),
        (true, false) => ("ready", json!(FOLDER)),
    };
    let mut v = json!({
        "id": t.id, "type": "video-to-shorts", "status": status,
        "created_at": "2023-10-01T12:00:00Z", "output_type": "folder", "output_id": output
    });
    if done && t.fails {
        v["error"] = json!("video_too_long");
    }
    v
}

fn export_json(config: &Config, faults: &Faults, e: &Export, now: Instant, host: &str) -> Value {
    let done = now >= e.at + config.export_after + config.export_stagger * e.n;
    let status = match (done, faults.failing.contains(&e.project)) {
        (false, _) => "processing",
        (true, true) => "error",
        (true, false) => "ready",
    };
    json!({
        "id": e.id, "status": status, "project_id": e.project, "folder_id": FOLDER,
        "src_url": (status == "ready").then(|| format!("http://{host}/files/{}.mp4", e.id)),
        "created_at": "2023-10-02T09:00:00Z", "name": format!("Export {}", e.id)
    })
}
