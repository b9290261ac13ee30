//! Just enough HTTP/1.1 for the sandbox: one request per connection, answered by a
//! fixed set of worker threads.
//!
//! tiny_http starts a thread for every connection, without a limit, and panics in its
//! accept thread when the system has no threads left (the sandbox then stops listening
//! but never exits). Here the threads are all started up front, so a flood of
//! connections only waits in the listen backlog.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

/// Enough for a client downloading several files while others poll, and for a few
/// stalled clients, which each hold a worker until `IDLE` passes.
pub const WORKERS: usize = 32;
const HEAD_LIMIT: u64 = 16 * 1024;
const BODY_LIMIT: usize = 1 << 20;
/// How long a client may leave a request half sent, or a response unread.
const IDLE: Duration = Duration::from_secs(10);

pub struct Request {
    pub method: String,
    /// Path and query, as sent: only printable ASCII gets this far.
    pub target: String,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How a response body goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// At once.
    Whole,
    /// In pieces spread over about this long, so progress can be watched.
    Slow(Duration),
    /// Half of it, then the connection closes (the head still promises all of it).
    Cut,
}

pub struct Response {
    pub status: u16,
    content_type: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Cow<'static, [u8]>,
    delivery: Delivery,
}

impl Response {
    pub fn new(
        status: u16,
        content_type: &'static str,
        body: impl Into<Cow<'static, [u8]>>,
    ) -> Self {
        Response {
            status,
            content_type,
            headers: Vec::new(),
            body: body.into(),
            delivery: Delivery::Whole,
        }
    }

    pub fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn delivery(mut self, delivery: Delivery) -> Self {
        self.delivery = delivery;
        self
    }

    fn write(&self, mut out: &TcpStream, head_only: bool) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        for (name, value) in &self.headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        head.push_str("\r\n");
        if head_only {
            return out.write_all(head.as_bytes());
        }
        match self.delivery {
            Delivery::Whole => out.write_all(&[head.as_bytes(), &self.body].concat()),
            Delivery::Cut => {
                out.write_all(head.as_bytes())?;
                out.write_all(&self.body[..self.body.len() / 2])?;
                out.shutdown(Shutdown::Both)
            }
            Delivery::Slow(total) => {
                const PIECES: u32 = 20;
                out.write_all(head.as_bytes())?;
                let size = self.body.len().div_ceil(PIECES as usize).max(1);
                for piece in self.body.chunks(size) {
                    std::thread::sleep(total / PIECES);
                    out.write_all(piece)?;
                }
                Ok(())
            }
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        411 => "Length Required",
        413 => "Content Too Large",
        416 => "Range Not Satisfiable",
        422 => "Unprocessable Content",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

/// Why no request was read: the client left (`None`), or a status to answer with.
type Bad = Option<(u16, &'static str)>;

fn read_request(stream: &TcpStream) -> Result<Request, Bad> {
    let mut reader = BufReader::new(stream);
    let mut lines: Vec<String> = Vec::new();
    let mut head = (&mut reader).take(HEAD_LIMIT);
    loop {
        let mut line = Vec::new();
        // A timeout or reset: nobody to answer.
        let n = head.read_until(b'\n', &mut line).map_err(|_| None)?;
        if !line.ends_with(b"\n") {
            let started = n > 0 || !lines.is_empty();
            return Err(started.then_some((400, "incomplete or oversized request head")));
        }
        let line = String::from_utf8(line).map_err(|_| Some((400, "the head is not UTF-8")))?;
        let line = line.trim_end_matches(['\r', '\n']);
        match (line.is_empty(), lines.is_empty()) {
            (true, true) => {}
            (true, false) => break,
            _ => lines.push(line.to_string()),
        }
    }
    let bad = Some((400, "malformed request"));
    let (method, target) = match lines[0].split(' ').collect::<Vec<_>>().as_slice() {
        [m, t, v]
            if !m.is_empty()
                && m.bytes().all(|b| b.is_ascii_uppercase())
                && t.starts_with('/')
                && t.bytes().all(|b| b.is_ascii_graphic())
                && v.starts_with("HTTP/1.") =>
        {
            (m.to_string(), t.to_string())
        }
        _ => return Err(bad),
    };
    let mut headers = Vec::new();
    for line in &lines[1..] {
        let (name, value) = line.split_once(':').ok_or(bad)?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut req = Request {
        method,
        target,
        headers,
        body: Vec::new(),
    };
    if req.header("Transfer-Encoding").is_some() {
        return Err(Some((411, "send the body with a Content-Length")));
    }
    let len = match req.header("Content-Length") {
        None => 0,
        Some(v) => v.parse::<usize>().map_err(|_| bad)?,
    };
    if len > BODY_LIMIT {
        return Err(Some((413, "the body is over 1 MiB")));
    }
    req.body = vec![0; len];
    reader.read_exact(&mut req.body).map_err(|_| None)?;
    Ok(req)
}

pub fn message(status: u16, text: &str) -> Response {
    let body = serde_json::json!({ "message": text }).to_string();
    Response::new(status, "application/json", body.into_bytes())
}

fn connection(stream: &TcpStream, handler: &(dyn Fn(&Request) -> Response + Sync), log: bool) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_write_timeout(Some(IDLE));
    // Slow and cut bodies go out in pieces that must not wait for each other.
    let _ = stream.set_nodelay(true);
    let (what, head_only, resp) = match read_request(stream) {
        Ok(req) => (
            format!("{} {}", req.method, req.target),
            req.method == "HEAD",
            handler(&req),
        ),
        Err(None) => return,
        Err(Some((status, text))) => ("(unreadable request)".into(), false, message(status, text)),
    };
    if log {
        // Never the headers: they carry the key. A closed stderr is no reason to stop.
        let _ = writeln!(io::stderr(), "{what} -> {}", resp.status);
    }
    let _ = resp.write(stream, head_only);
}

/// The workers of one listener, and what it takes to stop them.
pub struct Pool {
    closing: Arc<AtomicBool>,
    /// Where the workers can be woken from `accept` (a loopback form of the address).
    wake: SocketAddr,
    workers: usize,
    stopped: Receiver<()>,
    stopped_tx: Sender<()>,
}

/// Tells the pool a worker ended, however it ended (a panic included).
struct Stopped(Sender<()>);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

impl Pool {
    pub fn start(
        listener: TcpListener,
        wake: SocketAddr,
        handler: impl Fn(&Request) -> Response + Send + Sync + 'static,
        log: bool,
    ) -> io::Result<Pool> {
        let (stopped_tx, stopped) = channel();
        let mut pool = Pool {
            closing: Arc::new(AtomicBool::new(false)),
            wake,
            workers: 0,
            stopped,
            stopped_tx,
        };
        let listener = Arc::new(listener);
        let handler = Arc::new(handler);
        for _ in 0..WORKERS {
            let (listener, handler) = (listener.clone(), handler.clone());
            let closing = pool.closing.clone();
            let stopped = Stopped(pool.stopped_tx.clone());
            // Dropping `pool` on an error here stops the workers already started.
            std::thread::Builder::new()
                .name("sandbox".into())
                .spawn(move || {
                    let _stopped = stopped;
                    loop {
                        let accepted = listener.accept();
                        if closing.load(Ordering::Relaxed) {
                            return;
                        }
                        match accepted {
                            Ok((stream, _)) => connection(&stream, &*handler, log),
                            // Out of file descriptors and the like: wait for some to free up.
                            Err(_) => std::thread::sleep(Duration::from_millis(50)),
                        }
                    }
                })?;
            pool.workers += 1;
        }
        Ok(pool)
    }

    /// Blocks until a worker ends, which only happens on a bug.
    pub fn wait(&self) {
        let _ = self.stopped.recv();
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.closing.store(true, Ordering::Relaxed);
        // Each connection wakes one worker from `accept`; it sees `closing` and ends.
        for _ in 0..self.workers {
            let _ = TcpStream::connect_timeout(&self.wake, Duration::from_millis(200));
        }
    }
}
