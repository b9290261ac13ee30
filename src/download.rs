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
use reqwest::header::CONTENT_RANGE;
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
    /// The file written or kept.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Saved::Written { path, .. } | Saved::Skipped(path) => Some(path),
            Saved::Stdout(_) => None,
        }
    }

    pub fn bytes(&self) -> u64 {
        match self {
            Saved::Written { bytes, .. } | Saved::Stdout(bytes) => *bytes,
            Saved::Skipped(_) => 0,
        }
    }
}

fn usage(message: String) -> anyhow::Error {
    fail(Code::Usage, message)
}

impl Dest {
    pub fn is_stdout(&self) -> bool {
        self.path.as_deref() == Some(Path::new("-"))
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
        Target::File(path) => path,
    };
    if dest.exists == Exists::Skip && fs::symlink_metadata(&path).is_ok() {
        dest.check_existing(&path, Code::Error)?;
        ui.skipped(&path);
        return Ok(Saved::Skipped(path));
    }
    dest.check_existing(&path, Code::Error)?;
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
/// shorter than promised) is retried up to `retries` times asking `Range: bytes=N-` for the
/// rest: a 206 starting at N is appended, a 200 starts over. The final size must match.
fn fetch(
    api: &Api,
    url: &reqwest::Url,
    sink: &mut Sink,
    retries: u32,
    ui: &Bytes,
) -> anyhow::Result<u64> {
    let mut have = 0u64;
    let mut total: Option<u64> = None;
    let mut attempt = 0;
    loop {
        let error = match read_once(api, url, sink, &mut have, &mut total, ui) {
            Ok(()) => return Ok(have),
            Err(e) => e,
        };
        let resumable = matches!(sink, Sink::File(_));
        if !error.transient || !resumable || attempt >= retries {
            return Err(error.error);
        }
        std::thread::sleep(backoff(attempt, None).max(Duration::from_millis(100)));
        attempt += 1;
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

fn read_once(
    api: &Api,
    url: &reqwest::Url,
    sink: &mut Sink,
    have: &mut u64,
    total: &mut Option<u64>,
    ui: &Bytes,
) -> Result<(), Failure> {
    let mut resp = api.download(url, *have).map_err(|e| Failure {
        transient: e.transient,
        error: e.error,
    })?;
    // Any 206 (even to a first request, which asked for no range) must start where the
    // file stands, and its total is the whole file's: never save a tail as the file.
    if resp.status() == StatusCode::PARTIAL_CONTENT {
        let range = resp
            .headers()
            .get(CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_content_range);
        match range {
            Some((start, full)) if start == *have && (full.is_some() || total.is_some()) => {
                *total = full.or(*total);
            }
            _ => {
                return Err(fatal(fail(
                    Code::Error,
                    "the file host answered with a range that does not fit",
                )));
            }
        }
    } else {
        if *have > 0 {
            // A 200 to a range request: the whole file again.
            if let Sink::File(w) = sink {
                restart(w).map_err(|e| fatal(e.into()))?;
            }
            *have = 0;
        }
        *total = resp.content_length();
    }
    ui.start(*total);
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
                        format!("download failed after {have} bytes: {}", read_error(&e)),
                    ),
                    transient: true,
                });
            }
        };
        if *have + n as u64 > total.unwrap_or(MAX_FILE).min(MAX_FILE) {
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
        *have += n as u64;
        ui.set(*have);
    }
    match *total {
        Some(t) if *have < t => Err(Failure {
            error: fail(
                Code::Error,
                format!("download incomplete: got {have} of {t} bytes"),
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

/// `bytes START-END/TOTAL` (TOTAL may be `*`): the start, and the total when known.
fn parse_content_range(v: &str) -> Option<(u64, Option<u64>)> {
    let rest = v.trim().strip_prefix("bytes ")?;
    let (range, full) = rest.split_once('/')?;
    let (start, _) = range.split_once('-')?;
    Some((start.trim().parse().ok()?, full.trim().parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_is_read() {
        assert_eq!(
            parse_content_range("bytes 100-199/200"),
            Some((100, Some(200)))
        );
        assert_eq!(parse_content_range("bytes 5-9/*"), Some((5, None)));
        assert_eq!(parse_content_range("items 1-2/3"), None);
    }
}
