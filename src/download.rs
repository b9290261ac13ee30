//! The download engine: a batch of exports' MP4s, a few at once, each to a file or
//! stdout: checked before anything is sent, written to a temporary file created
//! exclusively beside the target, resumed after a transient failure, and renamed into
//! place only when complete.

use std::collections::HashMap;
use std::fs;
use std::io::{self, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::blocking::Response;
use reqwest::header::{CONTENT_ENCODING, CONTENT_RANGE, ETAG, HeaderValue, LAST_MODIFIED};
use tempfile::NamedTempFile;

use crate::api::{Api, MAX_FILE, backoff, read_error};
use crate::exit::{Code, Fail, fail};
use crate::interrupt;
use crate::names::{Template, Values};
use crate::progress::Bytes;

/// What to do about a file already at the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exists {
    /// Usage error, before anything is sent.
    Refuse,
    /// `--force`: replace it, if it is a regular file.
    Replace,
    /// `--skip-existing`: leave it, count it as done, ask for nothing.
    Skip,
}

/// Where downloads go, as the user asked.
#[derive(Debug, Clone)]
pub struct Dest {
    /// `-o` / `--download`: a file, a directory, or `-`; `None` is `./<EXPORT_ID>.mp4`.
    pub path: Option<PathBuf>,
    pub exists: Exists,
    /// Downloads at once.
    pub jobs: usize,
}

/// `--name`: the file name of each export inside the directory, rendered from `template`.
/// Names already given out in this batch, compared as `names::clash` does (without case).
pub struct Names {
    pub template: Template,
    taken: Mutex<HashMap<String, String>>,
}

impl Names {
    pub fn new(template: Template) -> Names {
        Names {
            template,
            taken: Mutex::new(HashMap::new()),
        }
    }

    /// The file name for export `id`, or a usage error (exit 2) when another export of
    /// the batch already has it.
    pub fn take(&self, v: &Values) -> anyhow::Result<String> {
        let name = self.template.render(v);
        let mut taken = self
            .taken
            .lock()
            .map_err(|_| fail(Code::Error, "names poisoned"))?;
        match taken.get(&name.to_lowercase()) {
            Some(other) if other != v.id => Err(fail(
                Code::Usage,
                format!(
                    "exports {other} and {} would both be saved as {name}: give --name a placeholder that tells them apart, such as {{id}} or {{rank}}",
                    v.id
                ),
            )),
            _ => {
                taken.insert(name.to_lowercase(), v.id.to_string());
                Ok(name)
            }
        }
    }
}

pub enum Target {
    Stdout,
    File(PathBuf),
}

/// How a download ended.
pub enum Saved {
    Written { path: PathBuf, bytes: u64 },
    Skipped(PathBuf),
    Stdout(u64),
}

impl Saved {
    pub fn bytes(&self) -> u64 {
        match self {
            Saved::Written { bytes, .. } | Saved::Stdout(bytes) => *bytes,
            Saved::Skipped(_) => 0,
        }
    }
}

const DEV_NULL: &str = "/dev/null";

fn usage(message: String) -> anyhow::Error {
    fail(Code::Usage, message)
}

impl Dest {
    pub fn is_stdout(&self) -> bool {
        self.path.as_deref() == Some(Path::new("-"))
    }

    /// `-o /dev/null`: the file is fetched and thrown away (a check that it downloads).
    /// No other device is ever written.
    pub fn is_discard(&self) -> bool {
        self.path.as_deref() == Some(Path::new(DEV_NULL))
    }

    /// `-` is stdout; an existing directory gets `<dir>/<EXPORT_ID>.mp4`.
    pub fn target(&self, id: &str) -> Target {
        self.target_named(id, None)
    }

    /// As `target`, with the file name inside a directory given (`--name`).
    pub fn target_named(&self, id: &str, name: Option<&str>) -> Target {
        let name = name.map_or_else(|| format!("{id}.mp4"), str::to_string);
        match &self.path {
            Some(p) if p == Path::new("-") => Target::Stdout,
            Some(p) if p.is_dir() => Target::File(p.join(name)),
            Some(p) => Target::File(p.clone()),
            None => Target::File(PathBuf::from(name)),
        }
    }

    /// Everything that can be known before a request: `ids` are the exports' IDs when
    /// known (not yet for `create`), `several` whether more than one file will be written,
    /// `stdout_free` whether stdout may carry the file (not when it carries the report).
    pub fn check(
        &self,
        ids: Option<&[&str]>,
        several: bool,
        stdout_free: bool,
        stdout_tty: bool,
    ) -> anyhow::Result<()> {
        if self.is_discard() {
            return Ok(());
        }
        if self.is_stdout() {
            if !stdout_free {
                return Err(usage(
                    "--download - would mix the MP4 with the report on stdout: give a file or directory".into(),
                ));
            }
            if stdout_tty {
                return Err(usage(
                    "refusing to write MP4 bytes to a terminal: redirect stdout, or give -o PATH"
                        .into(),
                ));
            }
            if several {
                return Err(usage("-o - takes one export".into()));
            }
            return Ok(());
        }
        let path = self.path.as_deref().unwrap_or(Path::new("."));
        let names_a_dir = path.is_dir() || path.as_os_str().to_string_lossy().ends_with('/');
        if several && !path.is_dir() {
            return Err(usage(format!(
                "{}: must be an existing directory for several exports",
                path.display()
            )));
        }
        if names_a_dir && !path.is_dir() {
            return Err(usage(format!("{}: no such directory", path.display())));
        }
        if !names_a_dir {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            if let Some(parent) = parent.filter(|p| !p.is_dir()) {
                return Err(usage(format!("{}: no such directory", parent.display())));
            }
        }
        let targets: Vec<PathBuf> = match ids {
            Some(ids) => ids
                .iter()
                .filter_map(|id| match self.target(id) {
                    Target::File(p) => Some(p),
                    Target::Stdout => None,
                })
                .collect(),
            None if !names_a_dir => vec![path.to_path_buf()],
            None => Vec::new(),
        };
        targets
            .iter()
            .try_for_each(|p| self.check_existing(p, Code::Usage))
    }

    /// A file at the target: refused, replaced (regular files only) or skipped.
    fn check_existing(&self, path: &Path, code: Code) -> anyhow::Result<()> {
        let Ok(meta) = fs::symlink_metadata(path) else {
            return Ok(());
        };
        if !meta.is_file() && self.exists != Exists::Refuse {
            return Err(fail(
                code,
                format!(
                    "{} exists and is not a regular file: it is never replaced",
                    path.display()
                ),
            ));
        }
        match self.exists {
            Exists::Refuse => Err(
                Fail::new(code, format!("{} already exists", path.display()))
                    .hint("use --force to replace it, or --skip-existing to keep it")
                    .into(),
            ),
            Exists::Replace | Exists::Skip => Ok(()),
        }
    }
}

/// What hears of each download as it ends: its index and result.
pub type OnDone<'a> = &'a (dyn Fn(usize, &anyhow::Result<Saved>) + Sync);

/// One export's download, sent to the workers of a [`Batch`].
pub struct Job {
    /// The place of its ref among those given: where its result goes.
    pub index: usize,
    pub url: reqwest::Url,
    /// The export's validated ID: it names the file.
    pub id: String,
    /// The file name inside the directory (`--name`), else `<id>.mp4`.
    pub name: Option<String>,
    pub ui: Bytes,
}

/// The downloads of one command (`download`, or `wait`/`create` with `--download`): a
/// result for each ref given, `dest.jobs` downloads at once, and an export ID given twice
/// (`E` and `F/P/E` alike) downloaded once, since it names one file.
pub struct Batch<'a> {
    api: &'a Api,
    dest: &'a Dest,
    repeats: Vec<bool>,
    results: Mutex<Vec<Option<anyhow::Result<Saved>>>>,
    /// Told of each download as it ends (the `shorts` manifest).
    on_done: Option<OnDone<'a>>,
}

impl<'a> Batch<'a> {
    /// A batch for the refs whose export IDs are `ids`, in the order given.
    pub fn new(api: &'a Api, dest: &'a Dest, ids: &[&str]) -> Batch<'a> {
        let mut first: HashMap<&str, usize> = HashMap::new();
        let repeats = ids
            .iter()
            .enumerate()
            .map(|(i, id)| *first.entry(id).or_insert(i) != i)
            .collect();
        Batch {
            api,
            dest,
            repeats,
            results: Mutex::new((0..ids.len()).map(|_| None).collect()),
            on_done: None,
        }
    }

    /// `f` hears of each download as it ends, on the worker that ran it.
    #[must_use]
    pub fn on_done(mut self, f: OnDone<'a>) -> Self {
        self.on_done = Some(f);
        self
    }

    /// Whether the ref at `index` names the export of an earlier ref: not downloaded again.
    pub fn repeats(&self, index: usize) -> bool {
        self.repeats.get(index).copied().unwrap_or(false)
    }

    /// How the ref at `index` ended without a download (a file kept, a bad file URL).
    pub fn keep(&self, index: usize, result: anyhow::Result<Saved>) {
        if let Ok(mut all) = self.results.lock()
            && let Some(slot) = all.get_mut(index)
        {
            *slot = Some(result);
        }
    }

    /// Runs `produce` on this thread while the workers download each job it sends;
    /// returns when `produce` is done and every job sent has ended.
    pub fn run<T>(&self, produce: impl FnOnce(&mpsc::Sender<Job>) -> T) -> T {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Mutex::new(rx);
        let rx = &rx;
        std::thread::scope(|scope| {
            for _ in 0..self.dest.jobs.max(1) {
                scope.spawn(move || {
                    while let Some(job) = rx.lock().ok().and_then(|r| r.recv().ok()) {
                        let result = save(
                            self.api,
                            &job.url,
                            &job.id,
                            job.name.as_deref(),
                            self.dest,
                            self.api.retries(),
                            &job.ui,
                        );
                        if result.is_err() {
                            job.ui.clear();
                        }
                        if let Some(f) = self.on_done {
                            f(job.index, &result);
                        }
                        self.keep(job.index, result);
                    }
                });
            }
            let out = produce(&tx);
            drop(tx);
            out
        })
    }

    /// Each ref's result, in the order given; `None` where nothing was downloaded.
    pub fn results(self) -> Vec<Option<anyhow::Result<Saved>>> {
        self.results.into_inner().unwrap_or_default()
    }
}

/// Downloads the file at `url` for export `id` (a validated ID, never the server's text).
fn save(
    api: &Api,
    url: &reqwest::Url,
    id: &str,
    name: Option<&str>,
    dest: &Dest,
    retries: u32,
    ui: &Bytes,
) -> anyhow::Result<Saved> {
    let started = Instant::now();
    let path = match dest.target_named(id, name) {
        Target::Stdout => {
            let mut out = io::stdout().lock();
            let bytes = fetch(api, url, &mut Sink::Stream(&mut out), 0, ui);
            ui.clear();
            out.flush()?;
            return Ok(Saved::Stdout(bytes?));
        }
        Target::File(path) if dest.is_discard() => {
            let bytes = fetch(api, url, &mut Sink::Stream(&mut io::sink()), 0, ui);
            ui.clear();
            return Ok(Saved::Written {
                path,
                bytes: bytes?,
            });
        }
        Target::File(path) => path,
    };
    if dest.exists == Exists::Skip && fs::symlink_metadata(&path).is_ok() {
        dest.check_existing(&path, Code::Usage)?;
        ui.skipped(&path);
        return Ok(Saved::Skipped(path));
    }
    // A clash found only now (after a lookup) is a usage error, as one found before.
    dest.check_existing(&path, Code::Usage)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| id.to_string(), |n| n.to_string_lossy().into_owned());
    // Exclusive (O_EXCL) with a unique name: a planted file or symlink is never written through.
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".part");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // As a plain `File::create` would make it (before the umask), not tempfile's 0600.
        builder.permissions(fs::Permissions::from_mode(0o644));
    }
    // Created and registered for clean-up in one step: a signal in between leaves nothing.
    let part = interrupt::create_part(|| {
        let part = builder.tempfile_in(dir)?;
        let path = part.path().to_path_buf();
        Ok((part, path))
    })
    .map_err(|e| {
        fail(
            Code::Error,
            format!("cannot create a file in {}: {e}", dir.display()),
        )
    })?;
    let result = write_part(api, url, part, &path, dest, retries, ui);
    let bytes = result.map_err(|e| e.context(format!("downloading to {}", path.display())))?;
    ui.saved(&path, bytes, started.elapsed());
    Ok(Saved::Written { path, bytes })
}

fn write_part(
    api: &Api,
    url: &reqwest::Url,
    part: NamedTempFile,
    path: &Path,
    dest: &Dest,
    retries: u32,
    ui: &Bytes,
) -> anyhow::Result<u64> {
    let tracked = part.path().to_path_buf();
    let result = (|| {
        let mut w = BufWriter::new(part);
        let bytes = fetch(api, url, &mut Sink::File(&mut w), retries, ui)?;
        let part = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        part.as_file().sync_all()?;
        match dest.exists {
            Exists::Refuse | Exists::Skip => part.persist_noclobber(path).map_err(|e| {
                fail(
                    Code::Error,
                    format!("{} appeared meanwhile: {}", path.display(), e.error),
                )
            })?,
            Exists::Replace => {
                // Checked again right before: never replace anything but a regular file.
                dest.check_existing(path, Code::Error)?;
                part.persist(path)
                    .map_err(|e| anyhow::Error::from(e.error))?
            }
        };
        Ok(bytes)
    })();
    interrupt::untrack_part(&tracked);
    result
}

enum Sink<'a> {
    /// A file: can start over.
    File(&'a mut BufWriter<NamedTempFile>),
    /// stdout: what was written stays written.
    Stream(&'a mut dyn Write),
}

/// Streams the file into `sink`. A transient failure part-way (reset, timeout, 5xx, a body
/// shorter than promised) is retried asking `Range: bytes=N-` for the rest, with
/// `If-Range`: a 206 of the same version starting at N is appended, a 200 (or a 206 of
/// another version) starts over. The final size must match. `retries` counts attempts
/// in a row that got no further into the file than any before: a link that drops every
/// few megabytes still gets the file, and a host that keeps changing it cannot loop.
fn fetch(
    api: &Api,
    url: &reqwest::Url,
    sink: &mut Sink,
    retries: u32,
    ui: &Bytes,
) -> anyhow::Result<u64> {
    let mut held = Held::default();
    let mut furthest = 0;
    let mut failures = 0;
    loop {
        let error = match read_once(api, url, sink, &mut held, ui) {
            Ok(()) => return Ok(held.bytes),
            Err(e) => e,
        };
        if held.bytes > furthest {
            furthest = held.bytes;
            failures = 0;
        }
        let resumable = matches!(sink, Sink::File(_));
        if !error.transient || !resumable || failures >= retries {
            return Err(error.error);
        }
        std::thread::sleep(backoff(failures, None).max(Duration::from_millis(100)));
        failures += 1;
    }
}

/// The bytes held so far, and what the response they came from said about the file: a
/// resume must be of that same version.
#[derive(Default)]
struct Held {
    bytes: u64,
    etag: Option<HeaderValue>,
    last_modified: Option<HeaderValue>,
    /// The whole file's length, when known.
    total: Option<u64>,
}

impl Held {
    /// Starting (over) with the response `resp`, whose file is `total` bytes long.
    fn begin(&mut self, resp: &Response, total: Option<u64>) {
        *self = Held {
            bytes: 0,
            etag: resp.headers().get(ETAG).cloned(),
            last_modified: resp.headers().get(LAST_MODIFIED).cloned(),
            total,
        };
    }

    /// `If-Range`: the strong ETag, else `Last-Modified` (a weak ETag may not be used).
    fn validator(&self) -> Option<&HeaderValue> {
        self.etag
            .as_ref()
            .filter(|e| e.as_bytes().starts_with(b"\""))
            .or(self.last_modified.as_ref())
    }

    /// Whether `resp` names another ETag than the first response did.
    fn other_etag(&self, resp: &Response) -> bool {
        let etag = resp.headers().get(ETAG);
        etag.is_some() && self.etag.is_some() && etag != self.etag.as_ref()
    }

    /// Whether `resp` (a 206 to a resume) may be of another version: another ETag,
    /// another total, or, with nothing to validate by, a total that cannot be compared.
    fn other_version(&self, resp: &Response, total: Option<u64>) -> bool {
        if self.other_etag(resp) {
            return true;
        }
        match (total, self.total) {
            (Some(now), Some(first)) => now != first,
            // The host checked If-Range, so an unknown total is not a change.
            _ => self.validator().is_none(),
        }
    }

    /// Drops what is held: the next attempt asks for the whole file.
    fn start_over(&mut self, sink: &mut Sink) -> Result<(), Failure> {
        if let Sink::File(w) = sink {
            restart(w).map_err(|e| fatal(e.into()))?;
        }
        *self = Held::default();
        Ok(())
    }
}

struct Failure {
    error: anyhow::Error,
    transient: bool,
}

fn fatal(error: anyhow::Error) -> Failure {
    Failure {
        error,
        transient: false,
    }
}

/// A resume that found another version of the file: what it got is thrown away, and the
/// next attempt starts over.
fn changed<T>(held: &mut Held, sink: &mut Sink) -> Result<T, Failure> {
    held.start_over(sink)?;
    Err(Failure {
        error: fail(
            Code::Error,
            "the file changed on the host between attempts (another ETag or length)",
        ),
        transient: true,
    })
}

fn content_range(resp: &Response) -> Option<(Option<u64>, Option<u64>)> {
    resp.headers()
        .get(CONTENT_RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_content_range)
}

/// Asked for identity: a compressed stream saved as the MP4 would be a broken file.
fn refuse_encoded(resp: &Response) -> Result<(), Failure> {
    if let Some(coding) = resp
        .headers()
        .get(CONTENT_ENCODING)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
        .filter(|c| !c.eq_ignore_ascii_case("identity"))
    {
        return Err(fatal(fail(
            Code::Error,
            format!(
                "the file host sent the file encoded ({}), not as stored: refusing to save it",
                crate::text::snippet(&coding)
            ),
        )));
    }
    Ok(())
}

/// Where the answer's bytes go: appended (a 206 of the same version), from the start (a
/// 200), or nowhere. `true` when the file is complete already (a 416 for what is held).
fn place(
    resp: &Response,
    url: &reqwest::Url,
    held: &mut Held,
    sink: &mut Sink,
) -> Result<bool, Failure> {
    match resp.status() {
        // Any 206 (even to a first request, which asked for no range) must start where the
        // file stands, and its total is the whole file's: never save a tail as the file.
        StatusCode::PARTIAL_CONTENT => {
            let (start, full) = content_range(resp).unwrap_or((None, None));
            if start != Some(held.bytes) || (held.bytes == 0 && full.is_none()) {
                return Err(fatal(fail(
                    Code::Error,
                    "the file host answered with a range that does not fit",
                )));
            }
            if held.bytes == 0 {
                held.begin(resp, full);
            } else if held.other_version(resp, full) {
                return changed(held, sink);
            } else {
                held.total = full.or(held.total);
            }
        }
        // `bytes */N` with N the bytes held: nothing is missing.
        StatusCode::RANGE_NOT_SATISFIABLE if held.bytes > 0 => {
            return match content_range(resp) {
                Some((None, Some(n)))
                    if n == held.bytes
                        && held.total.is_none_or(|t| t == n)
                        && !held.other_etag(resp) =>
                {
                    Ok(true)
                }
                _ => changed(held, sink),
            };
        }
        StatusCode::RANGE_NOT_SATISFIABLE => {
            return Err(fatal(fail(
                Code::Error,
                format!(
                    "GET {}: HTTP 416 to a request for the whole file",
                    crate::api::shown(url)
                ),
            )));
        }
        _ => {
            if held.bytes > 0 {
                // A 200 to a range request: the whole file again.
                held.start_over(sink)?;
            }
            held.begin(resp, resp.content_length());
        }
    }
    Ok(false)
}

fn read_once(
    api: &Api,
    url: &reqwest::Url,
    sink: &mut Sink,
    held: &mut Held,
    ui: &Bytes,
) -> Result<(), Failure> {
    let validator = held.validator().filter(|_| held.bytes > 0);
    let mut resp = api
        .download(url, held.bytes, validator)
        .map_err(|e| Failure {
            transient: e.transient,
            error: e.error,
        })?;
    refuse_encoded(&resp)?;
    if place(&resp, url, held, sink)? {
        return Ok(());
    }
    let total = held.total;
    ui.start(total);
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = match resp.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(Failure {
                    error: fail(
                        Code::Error,
                        format!(
                            "download failed after {} bytes: {}",
                            held.bytes,
                            read_error(&e)
                        ),
                    ),
                    transient: true,
                });
            }
        };
        if held.bytes + n as u64 > total.unwrap_or(MAX_FILE).min(MAX_FILE) {
            return Err(fatal(fail(
                Code::Error,
                format!(
                    "download stopped: the file is larger than {}",
                    total.map_or_else(
                        || "16 GiB".to_string(),
                        |t| format!("the {t} bytes announced")
                    )
                ),
            )));
        }
        let written = match sink {
            Sink::File(w) => w.write_all(&buf[..n]),
            Sink::Stream(w) => w.write_all(&buf[..n]),
        };
        written.map_err(|e| fatal(e.into()))?;
        held.bytes += n as u64;
        ui.set(held.bytes);
    }
    match total {
        Some(t) if held.bytes < t => Err(Failure {
            error: fail(
                Code::Error,
                format!("download incomplete: got {} of {t} bytes", held.bytes),
            ),
            transient: true,
        }),
        _ => Ok(()),
    }
}

fn restart(w: &mut BufWriter<NamedTempFile>) -> io::Result<()> {
    w.flush()?;
    let file = w.get_mut().as_file_mut();
    file.set_len(0)?;
    file.rewind()?;
    Ok(())
}

/// `bytes START-END/TOTAL` (TOTAL may be `*`), or `bytes */TOTAL` (a 416): the start,
/// and the total when known.
fn parse_content_range(v: &str) -> Option<(Option<u64>, Option<u64>)> {
    let rest = v.trim().strip_prefix("bytes ")?;
    let (range, full) = rest.split_once('/')?;
    let full = full.trim().parse().ok();
    if range.trim() == "*" {
        return Some((None, full));
    }
    let (start, _) = range.split_once('-')?;
    Some((Some(start.trim().parse().ok()?), full))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_is_read() {
        assert_eq!(
            parse_content_range("bytes 100-199/200"),
            Some((Some(100), Some(200)))
        );
        assert_eq!(parse_content_range("bytes 5-9/*"), Some((Some(5), None)));
        assert_eq!(parse_content_range("bytes */42"), Some((None, Some(42))));
        assert_eq!(parse_content_range("items 1-2/3"), None);
    }
}
