//! A scripted loopback server for sequences and faults httpmock cannot express:
//! a state that changes between polls, dropped connections, truncated bodies.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub enum Step {
    /// Raw bytes to answer with, then close.
    Raw(Vec<u8>),
    /// Close the connection without answering.
    Close,
    /// Send the first bytes of an answer, then hang.
    Stall(Vec<u8>),
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

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub struct Script {
    pub base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Script {
    /// Serves the steps in order; the last one repeats.
    pub fn serve(steps: Vec<Step>) -> Script {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            let mut n = 0;
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let step = &steps[n.min(steps.len() - 1)];
                n += 1;
                if let Some(req) = read_request(&stream) {
                    log.lock().unwrap().push(req);
                }
                answer(stream, step);
            }
        });
        Script { base, seen }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn read_request(stream: &TcpStream) -> Option<Seen> {
    let mut r = BufReader::new(stream);
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    Some(Seen {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn answer(mut stream: TcpStream, step: &Step) {
    match step {
        Step::Raw(bytes) => {
            let _ = stream.write_all(bytes);
        }
        Step::Close => {}
        Step::Stall(bytes) => {
            let _ = stream.write_all(bytes);
            let _ = stream.flush();
            std::thread::sleep(Duration::from_secs(20));
        }
    }
    let _ = stream.flush();
}

/// A loopback listener that records every byte sent to it: a stand-in proxy, or a server
/// that answers a TLS hello with garbage. It reads up to the end of a request head (or
/// 100 ms of silence), answers `answer` and closes.
pub struct Recorder {
    pub url: String,
    bytes: Arc<Mutex<Vec<u8>>>,
}

impl Recorder {
    pub fn start(answer: &'static [u8]) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let log = bytes.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
                let mut got = Vec::new();
                let mut buf = [0; 4096];
                while let Ok(n @ 1..) = stream.read(&mut buf) {
                    got.extend_from_slice(&buf[..n]);
                    if got.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
                log.lock().unwrap().extend_from_slice(&got);
                let _ = stream.write_all(answer);
            }
        });
        Recorder { url, bytes }
    }

    /// Everything received so far, as text.
    pub fn received(&self) -> String {
        String::from_utf8_lossy(&self.bytes.lock().unwrap()).into_owned()
    }
}

/// What a `Router` answers one request with.
pub enum Answer {
    /// A complete response (see `raw`).
    Raw(Vec<u8>),
    /// The same, written in ten pieces spread over the duration (a slow file host).
    Slow(Vec<u8>, Duration),
    /// Only the first bytes, then the connection is closed (a cut download).
    Cut(Vec<u8>, usize),
}

pub fn answer_json(status: u16, body: &serde_json::Value) -> Answer {
    Answer::Raw(raw(
        status,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    ))
}

/// One request a `Router` served: what it was, when it came in, and when its answer's
/// last bytes were about to be written.
#[derive(Debug, Clone)]
pub struct Hit {
    pub seen: Seen,
    pub at: std::time::Instant,
    pub done: Option<std::time::Instant>,
}

impl Hit {
    /// `METHOD TARGET`, e.g. `GET /v2/exports?folder_id=f`.
    pub fn line(&self) -> String {
        format!("{} {}", self.seen.method, self.seen.path)
    }
}

type Handler = dyn Fn(&Seen, usize) -> Answer + Send + Sync;

/// A loopback server that answers every request (each on its own thread) by a handler
/// given the request and how many times its method and target were asked before; it
/// logs each request in arrival order with timestamps.
pub struct Router {
    pub base: String,
    log: Arc<Mutex<Vec<Hit>>>,
}

impl Router {
    pub fn serve(handler: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static) -> Router {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let log: Arc<Mutex<Vec<Hit>>> = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let shared = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (log, handler) = (shared.clone(), handler.clone());
                std::thread::spawn(move || {
                    let Some(req) = read_request(&stream) else {
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
                            at: std::time::Instant::now(),
                            done: None,
                        });
                        (log.len() - 1, nth)
                    };
                    let answer = handler(&req, nth);
                    // Marked done before the last bytes go out: the client cannot have
                    // seen the end of an answer (and started another) before this.
                    write_answer(stream, &answer, &|| {
                        log.lock().unwrap()[index].done = Some(std::time::Instant::now());
                    });
                });
            }
        });
        Router { base, log }
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.log.lock().unwrap().clone()
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

fn write_answer(mut stream: TcpStream, answer: &Answer, done: &dyn Fn()) {
    match answer {
        Answer::Raw(bytes) => {
            done();
            let _ = stream.write_all(bytes);
        }
        Answer::Slow(bytes, over) => {
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
        Answer::Cut(bytes, n) => {
            done();
            let _ = stream.write_all(&bytes[..(*n).min(bytes.len())]);
        }
    }
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}
