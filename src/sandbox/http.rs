//! Just enough HTTP/1.1 for the sandbox: one request per connection, each on a thread
//! of its own.
//!
//! A fixed set of workers can be taken by idle clients (32 connections that send one
//! byte every few seconds stopped the sandbox answering anyone). So every connection
//! gets a thread, a request head must be complete within a deadline however slowly it
//! trickles in, and when the connections reach their limit the oldest one still
//! sending its head is closed to make room. A thread that cannot be started costs
//! only that connection (tiny_http panicked in its accept thread there).

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

const HEAD_LIMIT: u64 = 16 * 1024;
const BODY_LIMIT: u64 = 1 << 20;
/// How long a client may take to send a body, or leave a response unread.
const IDLE: Duration = Duration::from_secs(10);

/// What one listener allows its clients.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A request head not complete by then is dropped.
    pub head_time: Duration,
    /// Connections open at once; at the limit, the oldest still sending its head goes.
    pub connections: usize,
}

pub struct Request {
    pub method: String,
    /// Path and query, as sent: only printable ASCII gets this far.
    pub target: String,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    #[cfg(test)]
    pub fn new(method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> Request {
        Request {
            method: method.into(),
            target: target.into(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_string(), (*v).to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

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
    body: Body,
    delivery: Delivery,
}

/// A response body. `Shared` is one buffer many responses send at once (the whole
/// list of a large `--seed`), never copied per request.
enum Body {
    Bytes(Cow<'static, [u8]>),
    Shared(Arc<Vec<u8>>),
}

impl Body {
    fn bytes(&self) -> &[u8] {
        match self {
            Body::Bytes(b) => b,
            Body::Shared(b) => b,
        }
    }
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
            body: Body::Bytes(body.into()),
            delivery: Delivery::Whole,
        }
    }

    pub fn shared(status: u16, content_type: &'static str, body: Arc<Vec<u8>>) -> Self {
        Response {
            body: Body::Shared(body),
            ..Response::new(status, content_type, &[][..])
        }
    }

    #[cfg(test)]
    pub fn body(&self) -> &[u8] {
        self.body.bytes()
    }

    /// The shared buffer this response sends, if it sends one.
    #[cfg(test)]
    pub fn shared_body(&self) -> Option<&Arc<Vec<u8>>> {
        match &self.body {
            Body::Shared(b) => Some(b),
            Body::Bytes(_) => None,
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
        let body = self.body.bytes();
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            body.len()
        );
        for (name, value) in &self.headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        head.push_str("\r\n");
        if head_only {
            return out.write_all(head.as_bytes());
        }
        match self.delivery {
            Delivery::Whole => {
                out.write_all(head.as_bytes())?;
                out.write_all(body)
            }
            Delivery::Cut => {
                out.write_all(head.as_bytes())?;
                out.write_all(&body[..body.len() / 2])?;
                out.shutdown(Shutdown::Both)
            }
            Delivery::Slow(total) => {
                const PIECES: u32 = 20;
                out.write_all(head.as_bytes())?;
                let size = body.len().div_ceil(PIECES as usize).max(1);
                for piece in body.chunks(size) {
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
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

/// Why no request was read: the client left or ran out of time (`None`), or a status
/// to answer with.
type Bad = Option<(u16, &'static str)>;

/// Reads from a stream until a deadline, however slowly the bytes come: a read timeout
/// alone restarts with every byte.
struct Deadline<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

fn read_request(stream: &TcpStream, head_time: Duration, slot: &Slot) -> Result<Request, Bad> {
    let mut reader = BufReader::new(Deadline {
        stream,
        until: Instant::now() + head_time,
    });
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
    // The head is in: this connection can no longer be closed to make room.
    slot.head_done();
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
        Some(v) => v.parse::<u64>().map_err(|_| bad)?,
    };
    if len > BODY_LIMIT {
        return Err(Some((413, "the body is over 1 MiB")));
    }
    reader.get_mut().until = Instant::now() + IDLE;
    // Grown as the bytes arrive: a promise of 1 MiB costs nothing until it is kept.
    let read = reader
        .take(len)
        .read_to_end(&mut req.body)
        .map_err(|_| None)?;
    if read as u64 != len {
        return Err(None);
    }
    Ok(req)
}

pub fn message(status: u16, text: &str) -> Response {
    let body = serde_json::json!({ "message": text }).to_string();
    Response::new(status, "application/json", body.into_bytes())
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

fn connection(stream: &TcpStream, handler: &Handler, log: bool, head_time: Duration, slot: &Slot) {
    let _ = stream.set_write_timeout(Some(IDLE));
    // Slow and cut bodies go out in pieces that must not wait for each other.
    let _ = stream.set_nodelay(true);
    let (what, head_only, resp) = match read_request(stream, head_time, slot) {
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

/// The open connections of a listener, and those of them still sending their head
/// (oldest first), which may be closed to make room.
struct Slots {
    limit: usize,
    open: Mutex<Open>,
    freed: Condvar,
}

struct Open {
    count: usize,
    next_id: u64,
    heads: VecDeque<(u64, TcpStream)>,
}

impl Slots {
    fn lock(&self) -> MutexGuard<'_, Open> {
        // Nothing here can be left half changed by a panic.
        self.open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes a slot for `stream`, closing the oldest connection still sending its head
    /// while there is none free. Waits only while every connection is being answered.
    fn take(self: &Arc<Self>, stream: &TcpStream) -> Option<Slot> {
        let watch = stream.try_clone().ok()?;
        let mut open = self.lock();
        while open.count >= self.limit {
            if let Some((_, oldest)) = open.heads.pop_front() {
                // Its read fails at once, and its thread gives the slot back.
                let _ = oldest.shutdown(Shutdown::Both);
            }
            open = self
                .freed
                .wait_timeout(open, Duration::from_millis(100))
                .map_or_else(|e| e.into_inner().0, |(g, _)| g);
        }
        open.count += 1;
        open.next_id += 1;
        let id = open.next_id;
        open.heads.push_back((id, watch));
        Some(Slot {
            slots: self.clone(),
            id,
        })
    }
}

/// One connection's place among the open ones; given back when dropped.
struct Slot {
    slots: Arc<Slots>,
    id: u64,
}

impl Slot {
    fn head_done(&self) {
        self.slots.lock().heads.retain(|(id, _)| *id != self.id);
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.slots.lock();
        open.heads.retain(|(id, _)| *id != self.id);
        open.count -= 1;
        self.slots.freed.notify_one();
    }
}

/// The accept thread of one listener, and what it takes to stop it.
pub struct Pool {
    closing: Arc<AtomicBool>,
    /// Where the accept thread can be woken from (a loopback form of the address).
    wake: SocketAddr,
    stopped: Receiver<()>,
}

/// Tells the pool its accept thread ended, however it ended (a panic included).
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
        limits: Limits,
    ) -> io::Result<Pool> {
        let (stopped_tx, stopped) = channel();
        let closing = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let slots = Arc::new(Slots {
            limit: limits.connections.max(1),
            open: Mutex::new(Open {
                count: 0,
                next_id: 0,
                heads: VecDeque::new(),
            }),
            freed: Condvar::new(),
        });
        let stop = closing.clone();
        std::thread::Builder::new()
            .name("sandbox-accept".into())
            .spawn(move || {
                let _stopped = Stopped(stopped_tx);
                loop {
                    let accepted = listener.accept();
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let Ok((stream, _)) = accepted else {
                        // Out of file descriptors and the like: wait for some to free up.
                        std::thread::sleep(Duration::from_millis(50));
                        continue;
                    };
                    let Some(slot) = slots.take(&stream) else {
                        continue;
                    };
                    let handler = handler.clone();
                    let spawned =
                        std::thread::Builder::new()
                            .name("sandbox".into())
                            .spawn(move || {
                                connection(&stream, &*handler, log, limits.head_time, &slot);
                            });
                    if spawned.is_err() {
                        // No thread left for it: that connection closes, the rest goes on.
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
            })?;
        Ok(Pool {
            closing,
            wake,
            stopped,
        })
    }

    /// Blocks until the accept thread ends, which only happens on a bug.
    pub fn wait(&self) {
        let _ = self.stopped.recv();
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.closing.store(true, Ordering::Relaxed);
        // A connection wakes the accept thread; it sees `closing` and ends.
        let _ = TcpStream::connect_timeout(&self.wake, Duration::from_millis(200));
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::time::{Duration, Instant};

    use super::{Limits, Pool, Response};

    fn pool(limits: Limits) -> (Pool, String) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let handler = |_: &super::Request| Response::new(200, "text/plain", &b"ok"[..]);
        let pool = Pool::start(listener, addr, handler, false, limits).unwrap();
        (pool, addr.to_string())
    }

    /// A whole request and its answer; how long it took.
    fn timed_get(addr: &str) -> (String, Duration) {
        let started = Instant::now();
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        (answer, started.elapsed())
    }

    /// Whether the server closed `s` by `deadline` (a read ends or fails).
    fn closed_by(s: &mut TcpStream, deadline: Duration) -> bool {
        s.set_read_timeout(Some(deadline)).unwrap();
        match s.read(&mut [0; 64]) {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
        }
    }

    #[test]
    fn a_head_that_trickles_in_is_dropped_at_its_deadline() {
        let limits = Limits {
            head_time: Duration::from_millis(300),
            connections: 64,
        };
        let (_pool, addr) = pool(limits);
        let mut s = TcpStream::connect(&addr).unwrap();
        let mut writer = s.try_clone().unwrap();
        let started = Instant::now();
        // One byte every 50 ms: a timeout per read would never fire.
        let trickle = std::thread::spawn(move || {
            for b in b"GET /a-very-long-path-that-never-ends"
                .iter()
                .cycle()
                .take(60)
            {
                if writer.write_all(&[*b]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        assert!(closed_by(&mut s, Duration::from_secs(2)), "still open");
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(250) && took < Duration::from_millis(1500),
            "{took:?}"
        );
        drop(s);
        trickle.join().unwrap();
        // And others are still answered.
        assert!(timed_get(&addr).0.starts_with("HTTP/1.1 200 OK"));
    }

    #[test]
    fn at_the_limit_the_oldest_head_makes_room() {
        let limits = Limits {
            head_time: Duration::from_secs(30),
            connections: 4,
        };
        let (_pool, addr) = pool(limits);
        let mut idle: Vec<TcpStream> = (0..4).map(|_| TcpStream::connect(&addr).unwrap()).collect();
        // Let the server take them all before the client comes.
        std::thread::sleep(Duration::from_millis(100));
        let (answer, took) = timed_get(&addr);
        assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
        assert!(took < Duration::from_secs(1), "{took:?}");
        assert!(
            closed_by(&mut idle[0], Duration::from_secs(1)),
            "the oldest made room"
        );
        assert!(
            !closed_by(&mut idle[3], Duration::from_millis(100)),
            "the newest stays"
        );
    }
}
