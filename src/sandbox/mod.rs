//! An in-memory emulation of the exports API on loopback, for trying the tool
//! and testing scripts offline.

mod files;
mod http;
mod projects;

use std::fmt::Display;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, ToSocketAddrs};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use reqwest::Url;
use serde_json::{Value, json};

use self::http::{Delivery, Pool, Request, Response, message};
use crate::exit::{Code, Fail, fail};
use crate::model::parse_id;

/// A tiny valid MP4 (one second of 64x64 video), served for every ready export.
pub const MP4: &[u8] = include_bytes!("sample.mp4");

/// What `sandbox --help` can say about the sandbox's behaviour (for `after_help`).
pub const HELP: &str = "\
Behaviour:
  --listen takes IP:PORT or localhost:PORT; --seed at most 1000000.
  Any non-empty Bearer key is accepted. State lives in memory; export IDs
  differ between runs (exp_<run>_<n>), so files from an earlier run never
  collide. Exports are processing for --ready-after, then ready with a
  small MP4 at /files/<EXPORT_ID>.mp4 (Range requests honoured).
  Project ID prefixes choose what happens:
    fail...  the export ends in error
    slow...  the file is served slowly (about 1 s, in pieces)
    cut...   the first download of the file stops half way (resumed)
  GET /projects/FOLDER_ID lists 6 made-up projects with virality scores
  (one null, one missing); their IDs are FOLDER_ID_p1..p6, so a folder
  named slow..., cut... or fail... gives projects that behave so. A
  folder whose ID starts with empty has no projects.

Examples:
  klap-export sandbox --listen 127.0.0.1:0 --ready-after 1s
  klap-export --sandbox projects demo -q --top 3 \\
    | klap-export --sandbox create - --download .";

/// How long a `slow...` project's file takes to serve.
const SLOW: Duration = Duration::from_secs(1);
/// `--seed` at most: enough for benchmarks, small enough to fit in memory.
pub const MAX_SEED: usize = 1_000_000;

pub struct Options {
    pub ready_after: Duration,
    pub seed: usize,
    /// Log each request to stderr: `METHOD PATH -> STATUS`.
    pub log_requests: bool,
}

impl Default for Options {
    /// For the one-command `--sandbox`: quick enough to try with the default poll interval.
    fn default() -> Self {
        Options {
            ready_after: Duration::from_secs(2),
            seed: 0,
            log_requests: false,
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

struct State {
    origin: String,
    ready_after: Duration,
    /// Differs between runs, so export IDs (and the files named after them) do too.
    run: String,
    exports: Mutex<Vec<Record>>,
}

pub struct Sandbox {
    pool: Pool,
    base_url: Url,
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
        let addr = loopback(listener.local_addr()?);
        // The client sends its key over plain http only to loopback hosts, so a
        // wildcard address is announced as loopback.
        let origin = format!("http://{addr}");
        let base_url = Url::parse(&format!("{origin}/v2"))?;
        let run: String = (0..6).map(|_| fastrand::alphanumeric()).collect();
        let state = State {
            exports: Mutex::new(seed(&run, opts.seed.min(MAX_SEED))),
            origin,
            ready_after: opts.ready_after,
            run,
        };
        let pool = Pool::start(
            listener,
            addr,
            move |req| state.handle(req),
            opts.log_requests,
        )
        .map_err(|e| {
            fail(
                Code::Error,
                format!("cannot start the sandbox's threads: {e}"),
            )
        })?;
        Ok(Sandbox { pool, base_url })
    }

    pub fn base_url(&self) -> Url {
        self.base_url.clone()
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
    let url = sandbox.base_url();
    let mut out = std::io::stdout().lock();
    writeln!(out, "klap-export sandbox listening on {url}")?;
    writeln!(out, "export KLAP_BASE_URL={url}")?;
    writeln!(out, "export KLAP_API_KEY=sandbox")?;
    out.flush()?;
    drop(out);
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

impl State {
    fn to_json(&self, r: &Record) -> Value {
        // A --ready-after too large to add never finishes.
        let finished = r.created.checked_add(self.ready_after);
        let done = finished.is_some_and(|f| SystemTime::now() >= f);
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
}

fn reply(code: u16, body: &Value) -> Response {
    Response::new(code, "application/json", body.to_string().into_bytes())
}

impl State {
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
            .and_then(|id| exports.iter_mut().find(|r| r.id == id))
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
        // A single segment is a folder here, though the API also has direct projects
        // at that path.
        match (method, segs) {
            ("GET", ["projects", folder]) => {
                return reply(200, &Value::Array(projects::of_folder(folder)));
            }
            ("GET", ["projects", folder, project]) => {
                return match projects::of_folder(folder)
                    .into_iter()
                    .find(|p| p["id"] == *project)
                {
                    Some(p) => reply(200, &p),
                    None => message(404, "project not found"),
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
                let wanted = |name: &str| {
                    params
                        .iter()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.as_str())
                };
                let (folder, project) = (wanted("folder_id"), wanted("project_id"));
                let list: Vec<Value> = exports
                    .iter()
                    .filter(|r| folder.is_none_or(|f| r.folder.as_deref() == Some(f)))
                    .filter(|r| project.is_none_or(|p| r.project == p))
                    .map(|r| self.to_json(r))
                    .collect();
                reply(200, &Value::Array(list))
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
                let record = Record {
                    id: format!("exp_{}_{}", self.run, exports.len() + 1),
                    folder: folder.first().map(std::string::ToString::to_string),
                    project: project.to_string(),
                    created: SystemTime::now(),
                    fails: project.starts_with("fail"),
                    cut_done: false,
                };
                let json = self.to_json(&record);
                exports.push(record);
                reply(200, &json)
            }
            ("GET", ["projects", folder @ .., project, "exports", id]) if folder.len() <= 1 => {
                let folder = folder.first().copied();
                match exports
                    .iter()
                    .find(|r| r.id == *id && r.project == *project && r.folder.as_deref() == folder)
                {
                    Some(r) => reply(200, &self.to_json(r)),
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
