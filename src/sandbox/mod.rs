//! An in-memory emulation of the exports API on loopback, for trying the tool
//! and testing scripts offline.

use std::io::{Cursor, Read, Write};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use reqwest::Url;
use serde_json::{Value, json};
use tiny_http::{Header, Method, Request, Response, Server};

use crate::cli::SandboxArgs;
use crate::exit::{Code, fail};
use crate::model::parse_id;

/// A tiny valid MP4 (one second of 64x64 video), served for every ready export.
pub const MP4: &[u8] = include_bytes!("sample.mp4");

pub struct Options {
    pub ready_after: Duration,
    pub seed: usize,
}

impl Default for Options {
    /// For the one-command `--sandbox`: quick enough to try with the default poll interval.
    fn default() -> Self {
        Options {
            ready_after: Duration::from_secs(2),
            seed: 0,
        }
    }
}

struct Record {
    id: String,
    folder: Option<String>,
    project: String,
    created: SystemTime,
    fails: bool,
}

struct State {
    origin: String,
    ready_after: Duration,
    exports: Mutex<Vec<Record>>,
}

pub struct Sandbox {
    server: Arc<Server>,
    base_url: Url,
    accept: Option<JoinHandle<()>>,
}

impl Sandbox {
    pub fn start(listen: &str, opts: Options) -> anyhow::Result<Sandbox> {
        let server = Server::http(listen)
            .map_err(|e| fail(Code::Error, format!("cannot listen on {listen}: {e}")))?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| fail(Code::Error, "the sandbox is not on an IP address"))?;
        let origin = format!("http://{addr}");
        let base_url = Url::parse(&format!("{origin}/v2"))?;
        let state = Arc::new(State {
            origin,
            ready_after: opts.ready_after,
            exports: Mutex::new(seed(opts.seed)),
        });
        let server = Arc::new(server);
        let incoming = server.clone();
        // A thread per request: a slow client never holds up another.
        let accept = std::thread::spawn(move || {
            while let Ok(req) = incoming.recv() {
                let state = state.clone();
                std::thread::spawn(move || handle(&state, req));
            }
        });
        Ok(Sandbox {
            server,
            base_url,
            accept: Some(accept),
        })
    }

    pub fn base_url(&self) -> Url {
        self.base_url.clone()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

/// `klap-export sandbox`: serve until interrupted.
pub fn serve(args: &SandboxArgs) -> anyhow::Result<Code> {
    let mut sandbox = Sandbox::start(
        &args.listen,
        Options {
            ready_after: args.ready_after,
            seed: args.seed,
        },
    )?;
    let url = sandbox.base_url();
    let mut out = std::io::stdout().lock();
    writeln!(out, "klap-export sandbox listening on {url}")?;
    writeln!(out, "export KLAP_BASE_URL={url}")?;
    writeln!(out, "export KLAP_API_KEY=sandbox")?;
    out.flush()?;
    drop(out);
    if let Some(accept) = sandbox.accept.take() {
        let _ = accept.join();
    }
    Ok(Code::Success)
}

fn seed(n: usize) -> Vec<Record> {
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
                id: format!("exp_seed_{i:06}"),
                folder,
                project,
                created: now - Duration::from_secs(age),
                fails: i % 7 == 6,
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

type Reply = Response<Cursor<Vec<u8>>>;

fn reply(code: u16, body: &Value) -> Reply {
    let header = Header::from_bytes("Content-Type", "application/json").expect("static header");
    Response::from_data(body.to_string().into_bytes())
        .with_status_code(code)
        .with_header(header)
}

fn message(code: u16, text: &str) -> Reply {
    reply(code, &json!({ "message": text }))
}

fn handle(state: &State, mut req: Request) -> std::io::Result<()> {
    let url = req.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    if let (Method::Get, ["files", file]) = (req.method(), segs.as_slice()) {
        let known = file.strip_suffix(".mp4").is_some_and(|id| {
            state
                .exports
                .lock()
                .is_ok_and(|ex| ex.iter().any(|r| r.id == id))
        });
        let resp = if known {
            let header = Header::from_bytes("Content-Type", "video/mp4").expect("static header");
            Response::from_data(MP4.to_vec()).with_header(header)
        } else {
            message(404, "no such file")
        };
        return req.respond(resp);
    }
    let authorized = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Authorization"))
        .and_then(|h| h.value.as_str().strip_prefix("Bearer "))
        .is_some_and(|key| !key.trim().is_empty());
    let resp = if segs.first() != Some(&"v2") {
        message(404, "not found")
    } else if !authorized {
        message(401, "missing or invalid API key")
    } else {
        let mut body = String::new();
        match req.as_reader().take(1 << 20).read_to_string(&mut body) {
            Ok(_) => route(state, req.method(), &segs[1..], query, &body),
            Err(_) => message(400, "the body is not UTF-8"),
        }
    };
    req.respond(resp)
}

fn route(state: &State, method: &Method, segs: &[&str], query: &str, body: &str) -> Reply {
    let Ok(mut exports) = state.exports.lock() else {
        return message(500, "sandbox state is poisoned");
    };
    if segs.iter().any(|s| parse_id(s).is_err()) {
        return message(404, "not found");
    }
    match (method, segs) {
        (Method::Get, ["exports"]) => {
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
                .map(|r| state.to_json(r))
                .collect();
            reply(200, &Value::Array(list))
        }
        (Method::Post, ["projects", folder @ .., project, "exports"]) if folder.len() <= 1 => {
            if let Err(why) = check_create(body) {
                return message(
                    if why.starts_with("malformed") {
                        400
                    } else {
                        422
                    },
                    &why,
                );
            }
            let record = Record {
                id: format!("exp_{:06}", exports.len() + 1),
                folder: folder.first().map(|f| f.to_string()),
                project: project.to_string(),
                created: SystemTime::now(),
                fails: project.starts_with("fail"),
            };
            let json = state.to_json(&record);
            exports.push(record);
            reply(200, &json)
        }
        (Method::Get, ["projects", folder @ .., project, "exports", id]) if folder.len() <= 1 => {
            let folder = folder.first().copied();
            match exports
                .iter()
                .find(|r| r.id == *id && r.project == *project && r.folder.as_deref() == folder)
            {
                Some(r) => reply(200, &state.to_json(r)),
                None => message(404, "export not found"),
            }
        }
        _ => message(404, "not found"),
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
