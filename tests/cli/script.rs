//! The one scripted loopback server of the tests, for what httpmock does not do. httpmock
//! 0.9 answers sequences too (`then.respond_with`), but it cannot drop a connection, cut,
//! stall or slow down a body, take bytes that are not HTTP (a TLS hello, a proxy's
//! CONNECT) or say when an answer ended, which is how the tests count open requests.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the server answers one request with.
#[derive(Clone)]
pub enum Step {
    /// Raw bytes (see `raw`), then close.
    Raw(Vec<u8>),
    /// Close the connection without answering.
    Close,
    /// Send the first bytes of an answer, then hang.
    Stall(Vec<u8>),
    /// A complete answer written in ten pieces spread over the duration (a slow file host).
    Slow(Vec<u8>, Duration),
    /// Only the first bytes, then close (a cut download).
    Cut(Vec<u8>, usize),
}

/// A complete HTTP/1.1 response.
pub fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Step {
    Step::Raw(raw(status, headers, body.as_bytes()))
}

pub fn raw(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

pub fn json(status: u16, body: &serde_json::Value) -> Step {
    reply(
        status,
        &[("Content-Type", "application/json")],
        &body.to_string(),
    )
}

/// A file host that announces `total` bytes, sends the first `sent`, then stalls.
pub fn stalled_file(total: usize, sent: usize) -> Script {
    let mut head = raw(200, &[], &vec![7u8; total]);
    head.truncate(head.len() - (total - sent));
    Script::serve(vec![Step::Stall(head)])
}

/// One request as the server saw it. Bytes that are not HTTP leave `method` empty.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Every byte received, head and body.
    pub bytes: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One request served: what it was, when it came in, and when its answer's last bytes
/// were about to be written (never, for a stall).
#[derive(Debug, Clone)]
pub struct Hit {
    pub seen: Seen,
    pub at: Instant,
    pub done: Option<Instant>,
}

impl Hit {
    /// `METHOD TARGET`, e.g. `GET /v2/exports?folder_id=f`.
    pub fn line(&self) -> String {
        format!("{} {}", self.seen.method, self.seen.path)
    }
}

type Handler = dyn Fn(&Seen, usize) -> Step + Send + Sync;

/// A loopback server that answers each request on a thread of its own and logs them all
/// in arrival order, with timestamps.
pub struct Script {
    pub base: String,
    log: Arc<Mutex<Vec<Hit>>>,
}

impl Script {
    /// Answers the requests with the steps in order; the last one repeats.
    pub fn serve(steps: Vec<Step>) -> Script {
        let next = AtomicUsize::new(0);
        Script::route(move |_, _| {
            let n = next.fetch_add(1, Ordering::SeqCst);
            steps[n.min(steps.len() - 1)].clone()
        })
    }

    /// Answers each request with what `handler` says, given the request and how many
    /// times its method and target were asked before.
    pub fn route(handler: impl Fn(&Seen, usize) -> Step + Send + Sync + 'static) -> Script {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let log: Arc<Mutex<Vec<Hit>>> = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let shared = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let (log, handler) = (shared.clone(), handler.clone());
                std::thread::spawn(move || {
                    let Some(req) = read_request(&mut stream) else {
                        return;
                    };
                    let (index, nth) = {
                        let mut log = log.lock().unwrap();
                        let nth = log
                            .iter()
                            .filter(|h| h.seen.method == req.method && h.seen.path == req.path)
                            .count();
                        log.push(Hit {
                            seen: req.clone(),
                            at: Instant::now(),
                            done: None,
                        });
                        (log.len() - 1, nth)
                    };
                    let step = handler(&req, nth);
                    // Marked done before the last bytes go out: the client cannot have
                    // seen the end of an answer (and started another) before this.
                    write_step(stream, &step, &|| {
                        log.lock().unwrap()[index].done = Some(Instant::now());
                    });
                });
            }
        });
        Script { base, log }
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.log.lock().unwrap().clone()
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.hits().into_iter().map(|h| h.seen).collect()
    }

    /// Every byte received so far, as text (what a stand-in proxy was sent).
    pub fn received(&self) -> String {
        let bytes: Vec<u8> = self.seen().into_iter().flat_map(|s| s.bytes).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Every request as `METHOD TARGET`, in arrival order.
    pub fn lines(&self) -> Vec<String> {
        self.hits().iter().map(Hit::line).collect()
    }

    /// How many requests were `METHOD TARGET` exactly.
    pub fn count(&self, line: &str) -> usize {
        self.lines().iter().filter(|l| *l == line).count()
    }

    /// The most requests whose target starts with `prefix` that were open at once.
    pub fn most_open(&self, prefix: &str) -> usize {
        let hits: Vec<Hit> = self
            .hits()
            .into_iter()
            .filter(|h| h.seen.path.starts_with(prefix))
            .collect();
        hits.iter()
            .map(|h| {
                hits.iter()
                    .filter(|o| o.at <= h.at && o.done.is_none_or(|d| d > h.at))
                    .count()
            })
            .max()
            .unwrap_or(0)
    }
}

/// Reads one request: the head up to its blank line, then `Content-Length` bytes of body.
/// Bytes that never make a head (a TLS hello) end at 100 ms of silence. None when the
/// client sent nothing at all.
fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut bytes = Vec::new();
    let mut buf = [0; 4096];
    let head_end = loop {
        if let Some(i) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break Some(i + 4);
        }
        let silence = if bytes.is_empty() { 10_000 } else { 100 };
        let _ = stream.set_read_timeout(Some(Duration::from_millis(silence)));
        match stream.read(&mut buf) {
            Ok(n @ 1..) => bytes.extend_from_slice(&buf[..n]),
            _ => break None,
        }
    };
    let Some(head_end) = head_end else {
        return (!bytes.is_empty()).then(|| Seen {
            method: String::new(),
            path: String::new(),
            headers: Vec::new(),
            body: String::new(),
            bytes,
        });
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split_whitespace();
    let (method, path) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|h| h.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    while bytes.len() < head_end + len {
        match stream.read(&mut buf) {
            Ok(n @ 1..) => bytes.extend_from_slice(&buf[..n]),
            _ => return None,
        }
    }
    let end = (head_end + len).min(bytes.len());
    let body = String::from_utf8_lossy(&bytes[head_end..end]).into_owned();
    Some(Seen {
        method,
        path,
        headers,
        body,
        bytes,
    })
}

fn write_step(mut stream: TcpStream, step: &Step, done: &dyn Fn()) {
    match step {
        Step::Raw(bytes) => {
            done();
            let _ = stream.write_all(bytes);
        }
        Step::Close => done(),
        Step::Stall(bytes) => {
            let _ = stream.write_all(bytes);
            let _ = stream.flush();
            std::thread::sleep(Duration::from_secs(20));
        }
        Step::Slow(bytes, over) => {
            let pieces: Vec<&[u8]> = bytes.chunks(bytes.len().div_ceil(10).max(1)).collect();
            for (i, chunk) in pieces.iter().enumerate() {
                if i + 1 == pieces.len() {
                    done();
                } else if i > 0 {
                    std::thread::sleep(*over / 10);
                }
                if stream
                    .write_all(chunk)
                    .and_then(|()| stream.flush())
                    .is_err()
                {
                    return;
                }
            }
        }
        Step::Cut(bytes, n) => {
            done();
            let _ = stream.write_all(&bytes[..(*n).min(bytes.len())]);
        }
    }
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}
