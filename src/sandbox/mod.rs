//! An in-memory emulation of the exports API on loopback, for trying the tool
//! and testing scripts offline.

mod files;
mod http;
mod projects;
mod tasks;

use std::fmt::Display;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use reqwest::Url;
use serde_json::{Value, json};

use self::http::{Delivery, Limits, Pool, Request, Response, message};
use self::tasks::Kind;
use crate::exit::{Code, Fail, fail};
use crate::model::parse_id;

/// A tiny valid MP4 (one second of 64x64 video), served for every ready export.
pub const MP4: &[u8] = include_bytes!("sample.mp4");

/// What `sandbox --help` can say about the sandbox's behaviour (for `after_help`).
pub const HELP: &str = "\
Behaviour:
  --listen takes IP:PORT or localhost:PORT; an address other than
  loopback serves anyone who can reach it (a warning says so). --seed at
  most 500000.
  Any non-empty Bearer key is accepted. State lives in memory; export IDs
  differ between runs (exp_<run>_<n>), so files from an earlier run never
  collide.
  A request head must be complete within 5 s. A run holds at most 600000
  exports and 100000 tasks (then creates are answered 429).
  Exports are processing for --ready-after, then ready with a small MP4
  at /files/<EXPORT_ID>.mp4 (Range requests honoured).
  Project ID prefixes choose what happens:
    fail...  the export ends in error
    slow...  the file is served slowly (about 1 s, in pieces)
    cut...   the first download of the file stops half way (resumed)
  GET /projects/FOLDER_ID lists 6 made-up projects with virality scores
  (one null, one missing); their IDs are FOLDER_ID_p1..p6, so a folder
  named slow..., cut... or fail... gives projects that behave so. A
  folder whose ID starts with empty has no projects.
  Tasks: POST /tasks/video-to-shorts is ready after --ready-after with a
  new folder of max_clip_count (else target_clip_count, else 10; at most
  20) projects, some with null scores, some with publication_captions;
  the folder lists no projects for one more second, as the real
  service's. POST /tasks/video-to-video gives one project with no folder.
  A source_video_url containing fail ends the task in error. GET
  /tasks/TASK_ID shows a task.

Examples:
  klap-export sandbox --listen 127.0.0.1:0 --ready-after 1s
  klap-export --sandbox projects demo -q --top 3 \\
    | klap-export --sandbox create - --download .";

/// How long a `slow...` project's file takes to serve.
const SLOW: Duration = Duration::from_secs(1);
/// `--seed` at most: its whole list (about 160 MB) fits the client's 256 MiB body cap.
pub const MAX_SEED: usize = 500_000;
/// Exports and tasks a sandbox holds at most, so that a loop of creates cannot fill
/// memory; past these, creates are answered 429.
const MAX_EXPORTS: usize = MAX_SEED + 100_000;
const MAX_TASKS: usize = 100_000;
/// How long a shorts task's folder lists no projects after the task is ready.
const LISTING_LAG: Duration = Duration::from_secs(1);
/// Connections open at once (each has a thread). At the limit, the oldest one still
/// sending its head is closed, so idle clients cannot take them all.
const CONNECTIONS: usize = 512;

pub struct Options {
    pub ready_after: Duration,
    pub seed: usize,
    /// Log each request to stderr: `METHOD PATH -> STATUS`.
    pub log_requests: bool,
    /// A request head not complete by then is dropped (5 s; tests make it shorter).
    pub head_time: Duration,
}

impl Default for Options {
    /// For the one-command `--sandbox`: exports and tasks are ready after 1 s, so a
    /// try-out ends in about a second.
    fn default() -> Self {
        Options {
            ready_after: Duration::from_secs(1),
            seed: 0,
            log_requests: false,
            head_time: Duration::from_secs(5),
        }
    }
}

struct Record {
    id: String,
    folder: Option<String>,
    project: String,
    created: SystemTime,
    fails: bool,
    /// A `cut...` export's file was already cut once.
    cut_done: bool,
}

struct Exports {
    records: Vec<Record>,
    /// The whole list as last built, shared by every response that sends it: a large
    /// `--seed` costs its list once, not once per request.
    list: Option<Listing>,
}

struct Listing {
    body: Arc<Vec<u8>>,
    /// When an export in it next changes status (none: never).
    until: Option<SystemTime>,
}

struct Task {
    id: String,
    kind: Kind,
    /// The folder or project it makes, shown once the task is ready.
    output: String,
    created: SystemTime,
    fails: bool,
}

struct State {
    origin: String,
    ready_after: Duration,
    /// Differs between runs, so export IDs (and the files named after them) do too.
    run: String,
    exports: Mutex<Exports>,
    tasks: Mutex<Vec<Task>>,
    /// `LISTING_LAG`; shorter in tests.
    listing_lag: Duration,
}

pub struct Sandbox {
    pool: Pool,
    base_url: Url,
    /// The address as bound (`0.0.0.0:P` stays so; `base_url` is loopback then).
    listening: SocketAddr,
}

impl Sandbox {
    pub fn start(listen: impl ToSocketAddrs + Display, opts: &Options) -> anyhow::Result<Sandbox> {
        let listener = TcpListener::bind(&listen).map_err(|e| {
            let failed = Fail::new(Code::Error, format!("cannot listen on {listen}: {e}"));
            match e.kind() {
                std::io::ErrorKind::AddrInUse => failed.hint(
                    "another program uses that port; `--listen 127.0.0.1:0` picks a free one",
                ),
                _ => failed,
            }
        })?;
        let listening = listener.local_addr()?;
        let addr = loopback(listening);
        // The client sends its key over plain http only to loopback hosts, so a
        // wildcard address is used as loopback here.
        let origin = format!("http://{addr}");
        let base_url = Url::parse(&format!("{origin}/v2"))?;
        let state = State::new(origin, opts);
        let limits = Limits {
            head_time: opts.head_time,
            connections: CONNECTIONS,
        };
        let pool = Pool::start(
            listener,
            addr,
            move |req| state.handle(req),
            opts.log_requests,
            limits,
        )
        .map_err(|e| {
            fail(
                Code::Error,
                format!("cannot start the sandbox's threads: {e}"),
            )
        })?;
        Ok(Sandbox {
            pool,
            base_url,
            listening,
        })
    }

    pub fn base_url(&self) -> Url {
        self.base_url.clone()
    }

    /// What `klap-export sandbox` prints once it listens: the address as bound, the
    /// lines to paste, and on stderr a warning when others can reach it.
    fn announce(&self) -> std::io::Result<()> {
        let url = self.base_url();
        let mut out = std::io::stdout().lock();
        let listening = self.listening;
        writeln!(
            out,
            "klap-export sandbox listening on http://{listening}/v2"
        )?;
        writeln!(out, "export KLAP_BASE_URL={url}")?;
        writeln!(out, "export KLAP_API_KEY=sandbox")?;
        out.flush()?;
        if !listening.ip().is_loopback() {
            // A closed stderr is no reason not to serve.
            let _ = writeln!(
                std::io::stderr(),
                "klap-export: warning: {listening} is not a loopback address: \
                 anyone who can reach it is served, with any key"
            );
        }
        Ok(())
    }
}

/// `0.0.0.0` and `[::]` as the loopback address of their family.
fn loopback(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => (Ipv4Addr::LOCALHOST, addr.port()).into(),
        IpAddr::V6(ip) if ip.is_unspecified() => (Ipv6Addr::LOCALHOST, addr.port()).into(),
        _ => addr,
    }
}

/// `klap-export sandbox`: serve on `addr` until interrupted.
pub fn serve(addr: SocketAddr, opts: &Options) -> anyhow::Result<Code> {
    let sandbox = Sandbox::start(addr, opts)?;
    sandbox.announce()?;
    sandbox.pool.wait();
    Err(fail(Code::Error, "the sandbox stopped serving"))
}

fn seed(run: &str, n: usize) -> Vec<Record> {
    let now = SystemTime::now();
    (0..n)
        .map(|i| {
            let folder = (i % 4 != 3).then(|| format!("folder_{}", i % 3 + 1));
            let project = if i % 7 == 6 {
                format!("fail_{}", i % 5)
            } else {
                format!("project_{}", i % 10 + 1)
            };
            // The newest few are still processing; the rest finished long ago.
            let age = if i % 9 == 0 {
                0
            } else {
                60 * (i as u64 % 100_000 + 1)
            };
            Record {
                id: format!("exp_{run}_{}", i + 1),
                folder,
                project,
                created: now - Duration::from_secs(age),
                fails: i % 7 == 6,
                cut_done: false,
            }
        })
        .collect()
}

fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// The query's value of `name`, decoded.
fn query_value(params: &[(String, String)], name: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

fn reply(code: u16, body: &Value) -> Response {
    Response::new(code, "application/json", body.to_string().into_bytes())
}

impl State {
    fn new(origin: String, opts: &Options) -> State {
        let run: String = (0..6).map(|_| fastrand::alphanumeric()).collect();
        State {
            exports: Mutex::new(Exports {
                records: seed(&run, opts.seed.min(MAX_SEED)),
                list: None,
            }),
            tasks: Mutex::new(Vec::new()),
            listing_lag: LISTING_LAG,
            origin,
            ready_after: opts.ready_after,
            run,
        }
    }

    /// When something made at `created` is done (none: a --ready-after too large to add).
    fn done_at(&self, created: SystemTime) -> Option<SystemTime> {
        created.checked_add(self.ready_after)
    }

    fn to_json(&self, r: &Record, now: SystemTime) -> Value {
        let finished = self.done_at(r.created);
        let done = finished.is_some_and(|f| now >= f);
        let ready = done && !r.fails;
        let status = match (done, r.fails) {
            (false, _) => "processing",
            (true, true) => "error",
            (true, false) => "ready",
        };
        json!({
            "id": r.id,
            "status": status,
            "src_url": ready.then(|| format!("{}/files/{}.mp4", self.origin, r.id)),
            "project_id": r.project,
            "created_at": rfc3339(r.created),
            "finished_at": finished.filter(|_| done).map(rfc3339),
            "name": format!("Export of {}", r.project),
            "author_id": "sandbox_user",
            "folder_id": r.folder,
            "descriptions": match status {
                "ready" => "Export completed successfully.",
                "error" => "Export failed (sandbox: project ID starts with 'fail').",
                _ => "Export in progress.",
            },
        })
    }

    /// A JSON array of `records`, written one export at a time (never a tree of the
    /// whole list), and when one of them next changes status.
    fn list_of<'a>(
        &self,
        records: impl Iterator<Item = &'a Record>,
        now: SystemTime,
    ) -> (Vec<u8>, Option<SystemTime>) {
        let mut body = b"[".to_vec();
        let mut until: Option<SystemTime> = None;
        for (i, r) in records.enumerate() {
            if i > 0 {
                body.push(b',');
            }
            // Writing to a Vec cannot fail.
            let _ = serde_json::to_writer(&mut body, &self.to_json(r, now));
            if let Some(done) = self.done_at(r.created).filter(|&d| d > now) {
                until = Some(until.map_or(done, |u| u.min(done)));
            }
        }
        body.push(b']');
        (body, until)
    }

    /// The unfiltered list: the shared buffer, built again only after a create or when
    /// an export in it changes status.
    fn whole_list(&self, exports: &mut Exports) -> Response {
        let now = SystemTime::now();
        let fresh = exports
            .list
            .as_ref()
            .filter(|l| l.until.is_none_or(|u| now < u));
        let body = if let Some(list) = fresh {
            list.body.clone()
        } else {
            // The old buffer goes first, so that two are never held here.
            exports.list = None;
            let (body, until) = self.list_of(exports.records.iter(), now);
            let body = Arc::new(body);
            exports.list = Some(Listing {
                body: body.clone(),
                until,
            });
            body
        };
        Response::shared(200, "application/json", body)
    }

    fn task_json(&self, t: &Task, now: SystemTime) -> Value {
        let done = self.done_at(t.created).is_some_and(|f| now >= f);
        let (kind, output_type) = match t.kind {
            Kind::Shorts(_) => ("video-to-shorts", "folder"),
            Kind::Video => ("video-to-video", "project"),
        };
        let status = match (done, t.fails) {
            (false, _) => "processing",
            (true, true) => "error",
            (true, false) => "ready",
        };
        let mut task = json!({
            "id": t.id,
            "type": kind,
            "status": status,
            "created_at": rfc3339(t.created),
            "output_type": output_type,
            "output_id": (status == "ready").then_some(&t.output),
        });
        if status == "error" {
            task["error"] =
                json!("The video could not be processed (sandbox: its URL contains 'fail').");
        }
        task
    }

    fn create_task(&self, shorts: bool, body: &str) -> Response {
        let order = match tasks::check(body, shorts) {
            Ok(order) => order,
            Err(why) => return message(400, &why),
        };
        let Ok(mut tasks) = self.tasks.lock() else {
            return message(500, "sandbox state is poisoned");
        };
        if tasks.len() >= MAX_TASKS {
            return message(429, "the sandbox holds no more tasks: start it again");
        }
        let n = tasks.len() + 1;
        let prefix = if shorts { "shorts" } else { "video" };
        let task = Task {
            id: format!("task_{}_{n}", self.run),
            kind: order.kind,
            output: format!("{prefix}_{}_{n}", self.run),
            created: SystemTime::now(),
            fails: order.fails,
        };
        let json = self.task_json(&task, task.created);
        tasks.push(task);
        reply(200, &json)
    }

    /// `GET /projects/{id}`: a video task's project, else a folder's listing. A shorts
    /// task's folder lists nothing until a while after the task is ready.
    fn projects(&self, id: &str, one: Option<&str>) -> Response {
        let now = SystemTime::now();
        let Ok(tasks) = self.tasks.lock() else {
            return message(500, "sandbox state is poisoned");
        };
        let task = tasks.iter().find(|t| t.output == id);
        let ready =
            task.is_some_and(|t| !t.fails && self.done_at(t.created).is_some_and(|f| now >= f));
        let list = match task {
            Some(t) if t.kind == Kind::Video => {
                return match (one, ready) {
                    (None, true) => reply(200, &projects::of_video(id, t.created)),
                    _ => message(404, "project not found"),
                };
            }
            Some(t) => {
                let listed = self
                    .done_at(t.created)
                    .and_then(|f| f.checked_add(self.listing_lag))
                    .is_some_and(|f| now >= f);
                match t.kind {
                    Kind::Shorts(count) if ready && listed => projects::of_task(id, count),
                    _ => Vec::new(),
                }
            }
            None => projects::of_folder(id),
        };
        match one {
            None => reply(200, &Value::Array(list)),
            Some(project) => match list.into_iter().find(|p| p["id"] == *project) {
                Some(p) => reply(200, &p),
                None => message(404, "project not found"),
            },
        }
    }

    fn handle(&self, req: &Request) -> Response {
        let (path, query) = req.target.split_once('?').unwrap_or((&req.target, ""));
        let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
        if let ["files", file] = segs.as_slice() {
            return match req.method.as_str() {
                "GET" => self.file(file, req.header("Range"), true),
                "HEAD" => self.file(file, req.header("Range"), false),
                _ => message(404, "not found"),
            };
        }
        let authorized = req
            .header("Authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|key| !key.trim().is_empty());
        if segs.first() != Some(&"v2") {
            message(404, "not found")
        } else if !authorized {
            message(401, "missing or invalid API key")
        } else {
            match std::str::from_utf8(&req.body) {
                Ok(body) => self.route(&req.method, &segs[1..], query, body),
                Err(_) => message(400, "the body is not UTF-8"),
            }
        }
    }

    /// The sample MP4 for any known export; the project ID may make it slow or cut.
    /// `get` is false for HEAD, which must not use up a `cut...` file's one cut.
    fn file(&self, name: &str, range: Option<&str>, get: bool) -> Response {
        let resp = files::ranged(MP4, range);
        let Ok(mut exports) = self.exports.lock() else {
            return message(500, "sandbox state is poisoned");
        };
        let Some(r) = name
            .strip_suffix(".mp4")
            .and_then(|id| exports.records.iter_mut().find(|r| r.id == id))
        else {
            return message(404, "no such file");
        };
        if resp.status == 416 {
            resp
        } else if r.project.starts_with("slow") {
            resp.delivery(Delivery::Slow(SLOW))
        } else if r.project.starts_with("cut") && !r.cut_done && get {
            r.cut_done = true;
            resp.delivery(Delivery::Cut)
        } else {
            resp
        }
    }

    fn route(&self, method: &str, segs: &[&str], query: &str, body: &str) -> Response {
        if segs.iter().any(|s| parse_id(s).is_err()) {
            return message(404, "not found");
        }
        // A single segment is a folder here unless a video task made that project,
        // though the API also has direct projects at that path.
        match (method, segs) {
            ("GET", ["projects", id]) => return self.projects(id, None),
            ("GET", ["projects", folder, project]) => return self.projects(folder, Some(project)),
            ("POST", ["tasks", "video-to-shorts"]) => return self.create_task(true, body),
            ("POST", ["tasks", "video-to-video"]) => return self.create_task(false, body),
            ("GET", ["tasks", id]) => {
                let Ok(tasks) = self.tasks.lock() else {
                    return message(500, "sandbox state is poisoned");
                };
                return match tasks.iter().find(|t| t.id == *id) {
                    Some(t) => reply(200, &self.task_json(t, SystemTime::now())),
                    None => message(404, "task not found"),
                };
            }
            _ => {}
        }
        let Ok(mut exports) = self.exports.lock() else {
            return message(500, "sandbox state is poisoned");
        };
        match (method, segs) {
            ("GET", ["exports"]) => {
                let params: Vec<(String, String)> = Url::parse(&format!("http://x/?{query}"))
                    .map(|u| u.query_pairs().into_owned().collect())
                    .unwrap_or_default();
                let folder = query_value(&params, "folder_id");
                let project = query_value(&params, "project_id");
                if folder.is_none() && project.is_none() {
                    return self.whole_list(&mut exports);
                }
                let (list, _) = self.list_of(
                    exports
                        .records
                        .iter()
                        .filter(|r| folder.is_none() || r.folder == folder)
                        .filter(|r| project.as_ref().is_none_or(|p| r.project == *p)),
                    SystemTime::now(),
                );
                Response::new(200, "application/json", list)
            }
            ("POST", ["projects", folder @ .., project, "exports"]) if folder.len() <= 1 => {
                if let Err(why) = check_create(body) {
                    let code = if why.starts_with("malformed") {
                        400
                    } else {
                        422
                    };
                    return message(code, &why);
                }
                if exports.records.len() >= MAX_EXPORTS {
                    return message(429, "the sandbox holds no more exports: start it again");
                }
                let record = Record {
                    id: format!("exp_{}_{}", self.run, exports.records.len() + 1),
                    folder: folder.first().map(std::string::ToString::to_string),
                    project: project.to_string(),
                    created: SystemTime::now(),
                    fails: project.starts_with("fail"),
                    cut_done: false,
                };
                let json = self.to_json(&record, record.created);
                exports.records.push(record);
                exports.list = None;
                reply(200, &json)
            }
            ("GET", ["projects", folder @ .., project, "exports", id]) if folder.len() <= 1 => {
                let folder = folder.first().copied();
                match exports
                    .records
                    .iter()
                    .find(|r| r.id == *id && r.project == *project && r.folder.as_deref() == folder)
                {
                    Some(r) => reply(200, &self.to_json(r, SystemTime::now())),
                    None => message(404, "export not found"),
                }
            }
            _ => message(404, "not found"),
        }
    }
}

/// The create body: empty, or an object whose optional watermark has a `src_url`.
fn check_create(body: &str) -> Result<(), String> {
    if body.trim().is_empty() {
        return Ok(());
    }
    let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(body) else {
        return Err("malformed JSON body".into());
    };
    let Some(mark) = obj.get("watermark") else {
        return Ok(());
    };
    if !mark.get("src_url").is_some_and(Value::is_string) {
        return Err("watermark.src_url is required".into());
    }
    let in_range = |name: &str, ok: fn(f64) -> bool| match mark.get(name) {
        None => true,
        Some(v) => v.as_f64().is_some_and(ok),
    };
    if !in_range("pos_x", |v| (0.0..=1.0).contains(&v))
        || !in_range("pos_y", |v| (0.0..=1.0).contains(&v))
    {
        return Err("watermark.pos_x and pos_y must be numbers in 0..1".into());
    }
    if !in_range("scale", |v| v > 0.0) {
        return Err("watermark.scale must be a number > 0".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use serde_json::{Value, json};

    use super::{Options, State};
    use crate::sandbox::http::Request;

    fn state(ready_after_ms: u64, lag_ms: u64, seed: usize) -> State {
        let opts = Options {
            ready_after: Duration::from_millis(ready_after_ms),
            seed,
            ..Options::default()
        };
        let mut state = State::new("http://127.0.0.1:9".into(), &opts);
        state.listing_lag = Duration::from_millis(lag_ms);
        state
    }

    fn call(state: &State, method: &str, target: &str, body: &str) -> (u16, Value) {
        let req = Request::new(method, target, &[("Authorization", "Bearer k")], body);
        let resp = state.handle(&req);
        let body = serde_json::from_slice(resp.body()).unwrap_or(Value::Null);
        (resp.status, body)
    }

    /// Polls `GET target` until `done` holds of the answer (a deadline of 5 s).
    fn until(state: &State, target: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let (code, v) = call(state, "GET", target, "");
            assert_eq!(code, 200, "{target}: {v}");
            if done(&v) {
                return v;
            }
            assert!(Instant::now() < deadline, "{target} stayed {v}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The whole list as its response sends it: one buffer shared by every response.
    fn whole_list(state: &State) -> Arc<Vec<u8>> {
        let req = Request::new("GET", "/v2/exports", &[("Authorization", "Bearer k")], "");
        let resp = state.handle(&req);
        assert_eq!(resp.status, 200);
        resp.shared_body().expect("a shared buffer").clone()
    }

    fn statuses(list: &[u8]) -> Vec<String> {
        let list: Vec<Value> = serde_json::from_slice(list).unwrap();
        list.iter()
            .map(|e| e["status"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn the_whole_list_is_one_buffer_built_again_only_when_it_changes() {
        let sb = state(300, 0, 50);
        let first = whole_list(&sb);
        assert!(
            Arc::ptr_eq(&first, &whole_list(&sb)),
            "not built per request"
        );
        let before = statuses(&first);
        assert_eq!(before.len(), 50);
        assert!(before.iter().any(|s| s == "processing"));

        // A create: a new list with it, shared again.
        let (code, _) = call(&sb, "POST", "/v2/projects/p/exports", "");
        assert_eq!(code, 200);
        let second = whole_list(&sb);
        assert!(!Arc::ptr_eq(&first, &second));
        assert_eq!(statuses(&second).len(), 51);
        assert!(Arc::ptr_eq(&second, &whole_list(&sb)));

        // Exports that become ready are seen: the buffer is built again then.
        let deadline = Instant::now() + Duration::from_secs(5);
        while statuses(&whole_list(&sb)).iter().any(|s| s == "processing") {
            assert!(Instant::now() < deadline, "the list never changed");
            std::thread::sleep(Duration::from_millis(20));
        }
        // A filtered list is built for its request and agrees with the whole one.
        let (_, some) = call(&sb, "GET", "/v2/exports?project_id=p", "");
        assert_eq!(some.as_array().map(Vec::len), Some(1));
        assert_eq!(some[0]["status"], "ready");
    }

    #[test]
    fn a_head_must_be_in_within_five_seconds_by_default() {
        assert_eq!(Options::default().head_time, Duration::from_secs(5));
    }

    #[test]
    fn a_shorts_task_makes_a_folder_that_lists_its_projects_a_while_after_it_is_ready() {
        let sb = state(200, 300, 0);
        let body = r#"{"source_video_url": "https://example.com/talk.mp4", "target_clip_count": 2,
            "max_clip_count": 14, "editing_options": {"captions": true}}"#;
        let (code, task) = call(&sb, "POST", "/v2/tasks/video-to-shorts", body);
        assert_eq!(code, 200, "{task}");
        let id = task["id"].as_str().unwrap().to_string();
        assert!(id.starts_with("task_"), "{id}");
        assert_eq!(task["type"], "video-to-shorts");
        assert_eq!(task["status"], "processing");
        assert_eq!(task["output_type"], "folder");
        assert_eq!(task["output_id"], Value::Null, "no folder until ready");
        assert!(task["created_at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(call(&sb, "GET", &format!("/v2/tasks/{id}"), "").1, task);

        let started = Instant::now();
        let ready = until(&sb, &format!("/v2/tasks/{id}"), |t| {
            t["status"] != "processing"
        });
        assert!(started.elapsed() >= Duration::from_millis(150));
        assert_eq!(ready["status"], "ready", "{ready}");
        assert!(ready.get("error").is_none());
        let folder = ready["output_id"].as_str().unwrap().to_string();

        // Empty for a while after the task is ready, as the real folder is.
        let (code, listing) = call(&sb, "GET", &format!("/v2/projects/{folder}"), "");
        assert_eq!((code, listing), (200, json!([])));
        let (code, _) = call(
            &sb,
            "GET",
            &format!("/v2/projects/{folder}/{folder}_p1"),
            "",
        );
        assert_eq!(code, 404);
        let list = until(&sb, &format!("/v2/projects/{folder}"), |l| l != &json!([]));
        assert!(started.elapsed() >= Duration::from_millis(450));

        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 14, "max_clip_count wins over target_clip_count");
        for (i, p) in list.iter().enumerate() {
            assert_eq!(p["id"], format!("{folder}_p{}", i + 1));
            assert_eq!(p["folder_id"], folder.as_str());
            assert!(!p["name"].as_str().unwrap().is_empty());
        }
        let nulls = list
            .iter()
            .filter(|p| p["virality_score"].is_null())
            .count();
        let scored = list.iter().filter(|p| p["virality_score"].is_f64()).count();
        assert!(
            nulls > 0 && scored > nulls,
            "{nulls} null of {}",
            list.len()
        );
        let captioned: Vec<&Value> = list
            .iter()
            .filter_map(|p| p.get("publication_captions"))
            .collect();
        assert!(!captioned.is_empty() && captioned.len() < list.len());
        for c in captioned {
            for site in ["tiktok", "youtube", "linkedin", "instagram"] {
                assert!(c[site].is_string(), "{c}");
            }
        }
        let names: std::collections::HashSet<&str> =
            list.iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert!(names.len() < list.len(), "past twelve, names repeat");

        let (code, one) = call(
            &sb,
            "GET",
            &format!("/v2/projects/{folder}/{folder}_p3"),
            "",
        );
        assert_eq!((code, &one), (200, &list[2]));
        // Its projects export like any other.
        let (code, export) = call(
            &sb,
            "POST",
            &format!("/v2/projects/{folder}/{folder}_p3/exports"),
            "{}",
        );
        assert_eq!(code, 200);
        assert_eq!(export["folder_id"], folder.as_str());
    }

    #[test]
    fn clip_counts_default_to_ten_and_stop_at_twenty() {
        let sb = state(0, 0, 0);
        for (body, count) in [
            (r#"{"source_video_url":"http://example.com/a.mp4"}"#, 10),
            (
                r#"{"source_video_url":"http://example.com/a.mp4","target_clip_count":4}"#,
                4,
            ),
            (
                r#"{"source_video_url":"http://example.com/a.mp4","max_clip_count":99}"#,
                20,
            ),
        ] {
            let (code, task) = call(&sb, "POST", "/v2/tasks/video-to-shorts", body);
            assert_eq!(code, 200);
            let id = task["id"].as_str().unwrap();
            let folder = until(&sb, &format!("/v2/tasks/{id}"), |t| {
                t["output_id"].is_string()
            });
            let folder = folder["output_id"].as_str().unwrap();
            let list = until(&sb, &format!("/v2/projects/{folder}"), |l| l != &json!([]));
            assert_eq!(list.as_array().unwrap().len(), count, "{body}");
        }
    }

    #[test]
    fn a_fail_url_ends_in_error_with_a_message() {
        let sb = state(0, 0, 0);
        for route in ["video-to-shorts", "video-to-video"] {
            let body = r#"{"source_video_url":"https://example.com/will-fail.mp4"}"#;
            let (code, task) = call(&sb, "POST", &format!("/v2/tasks/{route}"), body);
            assert_eq!(code, 200);
            let id = task["id"].as_str().unwrap();
            let (_, task) = call(&sb, "GET", &format!("/v2/tasks/{id}"), "");
            assert_eq!(task["status"], "error", "{task}");
            assert!(task["error"].as_str().unwrap().contains("fail"), "{task}");
            assert_eq!(task["output_id"], Value::Null);
        }
    }

    #[test]
    fn a_video_task_makes_one_direct_project() {
        let sb = state(100, 0, 0);
        let body = r#"{"source_video_url":"https://example.com/v.mp4","language":"en",
            "dimensions":{"width":1080,"height":1080}}"#;
        let (code, task) = call(&sb, "POST", "/v2/tasks/video-to-video", body);
        assert_eq!(code, 200, "{task}");
        assert_eq!(task["type"], "video-to-video");
        assert_eq!(task["output_type"], "project");
        assert_eq!(task["output_id"], Value::Null);
        // Not there before the task is ready (it is no folder either).
        let project = format!(
            "video_{}",
            task["id"].as_str().unwrap().trim_start_matches("task_")
        );
        assert_eq!(
            call(&sb, "GET", &format!("/v2/projects/{project}"), "").0,
            404
        );

        let id = task["id"].as_str().unwrap();
        let ready = until(&sb, &format!("/v2/tasks/{id}"), |t| t["status"] == "ready");
        assert_eq!(ready["output_id"], project.as_str());
        let (code, p) = call(&sb, "GET", &format!("/v2/projects/{project}"), "");
        assert_eq!(code, 200, "{p}");
        assert_eq!(p["id"], project.as_str());
        assert_eq!(p["folder_id"], Value::Null);

        // The direct export routes serve it.
        let (code, export) = call(&sb, "POST", &format!("/v2/projects/{project}/exports"), "");
        assert_eq!(code, 200);
        assert_eq!(export["project_id"], project.as_str());
        let eid = export["id"].as_str().unwrap();
        let (code, status) = call(
            &sb,
            "GET",
            &format!("/v2/projects/{project}/exports/{eid}"),
            "",
        );
        assert_eq!((code, status["id"].as_str()), (200, Some(eid)));
    }

    #[test]
    fn tasks_need_a_key_a_valid_body_and_a_known_id() {
        let sb = state(0, 0, 0);
        for body in [
            "",
            "{}",
            r#"{"source_video_url":"file:///etc/passwd"}"#,
            "{nope",
        ] {
            let (code, v) = call(&sb, "POST", "/v2/tasks/video-to-shorts", body);
            assert_eq!(code, 400, "{body}: {v}");
            assert!(v["message"].is_string());
        }
        let (code, _) = call(
            &sb,
            "POST",
            "/v2/tasks/video-to-video",
            r#"{"source_video_url":"https://x.example/v","max_clip_count":2}"#,
        );
        assert_eq!(code, 400);
        assert_eq!(call(&sb, "GET", "/v2/tasks/task_nope", "").0, 404);
        assert_eq!(call(&sb, "POST", "/v2/tasks/video-to-audio", "{}").0, 404);
        assert_eq!(call(&sb, "GET", "/v2/tasks/video-to-shorts/x", "").0, 404);
        let no_key = Request::new(
            "POST",
            "/v2/tasks/video-to-shorts",
            &[],
            r#"{"source_video_url":"https://x.example/v"}"#,
        );
        assert_eq!(sb.handle(&no_key).status, 401);
        assert!(sb.tasks.lock().unwrap().is_empty(), "nothing was made");
    }
}
