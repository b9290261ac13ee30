//! Where the API key is kept: the keys `auth login` stores (credentials.toml), key files,
//! and the profile's `api_key_command`.
//!
//! Pure building blocks: nothing here reads the process environment itself, and every
//! error is an authentication error (exit 4) that never holds the key.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
#[cfg(not(unix))]
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::exit::{Code, fail};
use crate::profile::{line_of, open_bounded, read_bounded, shell_quote};

/// Key files, stdin keys and key command output larger than this are refused: a key is short,
/// and a wrong path (a log, `/dev/zero`) must not be read into memory or sent.
pub const KEY_CAP: usize = 4096;

/// How long `api_key_command` may take (a password manager may wait for a touch or a PIN).
pub const KEY_COMMAND_LIMIT: Duration = Duration::from_secs(30);

/// `$KLAP_CREDENTIALS_FILE`, else `credentials.toml` in the tool's folder of
/// `$XDG_CONFIG_HOME` or `~/.config`: never beside a `KLAP_CONFIG`, which may sit in a
/// project's working tree. Pass `|name| std::env::var_os(name)` outside tests.
pub fn credentials_path(env: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    crate::profile::own_file("KLAP_CREDENTIALS_FILE", "credentials.toml", env)
}

/// The credentials file is refused above this size (a few keys take a few hundred bytes).
pub const CREDENTIALS_CAP: u64 = 64 * 1024;

/// Refuses the credentials file when group or others may read or write it or another user
/// owns it, as ssh does with its keys. No-op off Unix.
fn check_private(path: &Path, meta: &fs::Metadata) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let me = rustix::process::geteuid().as_raw();
        let shown = shell_quote(&path.display().to_string());
        if meta.uid() != me {
            return Err(fail(
                Code::Auth,
                format!(
                    "{} is owned by another user (uid {}); run: chown {me} {shown}",
                    path.display(),
                    meta.uid()
                ),
            ));
        }
        if let Some(why) = open_to_others(meta) {
            return Err(fail(
                Code::Auth,
                format!("{} is {why}; run: chmod 600 {shown}", path.display()),
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, meta);
    Ok(())
}

/// `readable by group (mode 640)` when group or others have any access, else `None`.
fn open_to_others(meta: &fs::Metadata) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mode = meta.mode() & 0o777;
        if mode & 0o077 != 0 {
            return Some(format!(
                "{} (mode {mode:03o})",
                crate::profile::access_words(mode)
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    None
}

/// The key `auth login` stored for `profile`, if any. Refuses a file others can read.
pub fn read_stored_key(path: &Path, profile: &str) -> anyhow::Result<Option<String>> {
    let Some(table) = read_credentials(path, true)? else {
        return Ok(None);
    };
    let Some(entry) = table.get(profile) else {
        return Ok(None);
    };
    match entry.get("api_key").and_then(toml::Value::as_str) {
        Some(key) if !key.trim().is_empty() => Ok(Some(key.trim().to_string())),
        _ => Err(fail(
            Code::Auth,
            format!(
                "{}: [{profile}] has no api_key string; run: klap-export auth login --profile {}",
                path.display(),
                shell_quote(profile)
            ),
        )),
    }
}

/// Whether the credentials file has a table for `profile` (a file that cannot be read has
/// none: reading it for the key says why).
pub fn has_stored_key(path: &Path, profile: &str) -> bool {
    read_credentials(path, false)
        .ok()
        .flatten()
        .is_some_and(|table| table.contains_key(profile))
}

/// Stores `key` for `profile`, keeping the other profiles' keys. The folder is created with
/// mode 0700; the file is written beside its final path with mode 0600 and renamed into place,
/// so a reader never sees half a file and a crash never loses the old one.
pub fn store_key(path: &Path, profile: &str, key: &str) -> anyhow::Result<()> {
    remove_leftovers(path);
    let mut table = read_credentials(path, false)?.unwrap_or_default();
    let mut entry = toml::Table::new();
    entry.insert("api_key".into(), toml::Value::String(key.to_string()));
    table.insert(profile.to_string(), toml::Value::Table(entry));
    write_credentials(path, &table)
}

/// Removes the stored key of `profile`; `false` when there was none.
pub fn remove_key(path: &Path, profile: &str) -> anyhow::Result<bool> {
    remove_leftovers(path);
    let Some(mut table) = read_credentials(path, false)? else {
        return Ok(false);
    };
    if table.remove(profile).is_none() {
        return Ok(false);
    }
    write_credentials(path, &table)?;
    Ok(true)
}

/// `None` when the file does not exist. `private`: refuse a file others can read.
fn read_credentials(path: &Path, private: bool) -> anyhow::Result<Option<toml::Table>> {
    let auth = |message: String| fail(Code::Auth, message);
    let what = "the credentials file";
    let Some((file, meta)) = open_bounded(path, CREDENTIALS_CAP, what).map_err(auth)? else {
        return Ok(None);
    };
    if private {
        check_private(path, &meta)?;
    }
    let bytes = read_bounded(file, CREDENTIALS_CAP, path, what).map_err(auth)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| auth(format!("{what} {} is not valid UTF-8", path.display())))?;
    // The parser's message may quote the file, which holds keys: give the line only.
    let table = text.parse::<toml::Table>().map_err(|e| {
        let line = line_of(&text, e.span().map_or(0, |s| s.start));
        fail(
            Code::Auth,
            format!(
                "{}:{line}: the credentials file is not valid TOML",
                path.display()
            ),
        )
    })?;
    Ok(Some(table))
}

/// The folder of the credentials file.
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// What [`write_credentials`] names its temporary files: `.credentials.XXXXXX.tmp`.
const TMP_PREFIX: &str = ".credentials.";
const TMP_SUFFIX: &str = ".tmp";
const TMP_RANDOM: usize = 6;

/// Removes the temporary files a killed `login` or `logout` left beside the credentials file
/// (they may hold a key): only regular files of exactly our own name pattern.
fn remove_leftovers(path: &Path) {
    // In a folder others can write, those files may be theirs: it is refused anyway.
    if check_folder(folder_of(path)).is_err() {
        return;
    }
    let Ok(entries) = fs::read_dir(folder_of(path)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = name
            .strip_prefix(TMP_PREFIX)
            .and_then(|rest| rest.strip_suffix(TMP_SUFFIX))
            .is_some_and(|random| {
                random.len() == TMP_RANDOM && random.chars().all(|c| c.is_ascii_alphanumeric())
            });
        // `file_type` does not follow links: a link of that name is left alone.
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// An existing folder that group or others can write is refused: they could swap the file
/// for theirs or read the temporary before it is renamed. No-op off Unix.
pub fn check_folder(dir: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(meta) = fs::metadata(dir) {
            let mode = meta.mode() & 0o777;
            if mode & 0o022 != 0 {
                return Err(fail(
                    Code::Auth,
                    format!(
                        "refusing to store the key in {}: it is {} (mode {mode:03o}); \
                         run: chmod go-w {}",
                        dir.display(),
                        crate::profile::access_words(mode & 0o022),
                        shell_quote(&dir.display().to_string())
                    ),
                ));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn write_credentials(path: &Path, table: &toml::Table) -> anyhow::Result<()> {
    use anyhow::Context;
    let dir = folder_of(path);
    check_folder(dir)?;
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let text = toml::to_string(table).context("cannot encode the credentials")?;
    // tempfile creates the file with mode 0600 on Unix, before anything is written to it.
    let mut tmp = tempfile::Builder::new()
        .prefix(TMP_PREFIX)
        .suffix(TMP_SUFFIX)
        .rand_bytes(TMP_RANDOM)
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", tmp.path().display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The key in a file (`-` is stdin), trimmed. At most [`KEY_CAP`] bytes are read, and only
/// from a regular file (or stdin).
pub fn read_key_file(path: &Path) -> anyhow::Result<String> {
    read_key(path).map(|(key, _)| key)
}

/// A key file the user named (`-` is stdin), and the warning to show when group or others can
/// read it: it is used all the same (container secrets are mounted 0444 and cannot be changed).
pub fn key_file(path: &Path) -> anyhow::Result<(String, Option<String>)> {
    let (key, meta) = read_key(path)?;
    let warning = meta.as_ref().and_then(open_to_others).map(|why| {
        format!(
            "the API key file {} is {why}; run: chmod 600 {}",
            path.display(),
            shell_quote(&path.display().to_string())
        )
    });
    Ok((key, warning))
}

fn read_key(path: &Path) -> anyhow::Result<(String, Option<fs::Metadata>)> {
    let auth = |message: String| fail(Code::Auth, message);
    let (name, bytes, meta) = if path == Path::new("-") {
        let name = "the API key on stdin".to_string();
        let mut bytes = Vec::new();
        io::stdin()
            .lock()
            .take(KEY_CAP as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| auth(format!("cannot read {name}: {e}")))?;
        (name, bytes, None)
    } else {
        let what = "the API key file";
        let (file, meta) = open_bounded(path, KEY_CAP as u64, what)
            .map_err(auth)?
            .ok_or_else(|| {
                auth(format!(
                    "cannot read {what} {}: {}",
                    path.display(),
                    io::Error::from(io::ErrorKind::NotFound)
                ))
            })?;
        let bytes = read_bounded(file, KEY_CAP as u64, path, what).map_err(auth)?;
        (format!("{what} {}", path.display()), bytes, Some(meta))
    };
    if bytes.len() > KEY_CAP {
        return Err(auth(format!("{name} is larger than 4 KiB")));
    }
    let key = String::from_utf8(bytes).map_err(|_| auth(format!("{name} is not valid UTF-8")))?;
    Ok((key.trim().to_string(), meta))
}

/// A key goes into a header: one line of visible ASCII. The message never shows the key.
pub fn check_key_text(key: &str) -> Result<(), &'static str> {
    if key.contains(['\n', '\r']) {
        return Err("the key must be one line");
    }
    if !key.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
        return Err("the key has characters no key has (control or non-ASCII)");
    }
    Ok(())
}

/// Runs `sh -c CMD` and returns its trimmed stdout: the key. A non-zero exit, empty output or no
/// answer within `limit` is an auth error with the first line of its stderr. The output is
/// never part of an error: it is (or is close to) the key.
///
/// The key is taken when the command exits, even if a child it left in the background still
/// holds its output open; on the time limit its whole process group is ended.
pub fn run_key_command(cmd: &str, limit: Duration) -> anyhow::Result<String> {
    let started = Instant::now();
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A group of its own: on the time limit, what it started ends with it.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .map_err(|e| fail(Code::Auth, format!("cannot run the api_key_command: {e}")))?;
    let mut out = Output::new(child.stdout.take(), KEY_CAP);
    let mut err = Output::new(child.stderr.take(), 64 * 1024);
    let timed_out = || {
        fail(
            Code::Auth,
            format!(
                "the api_key_command gave no key within {}",
                humantime::format_duration(limit)
            ),
        )
    };
    // Polling keeps this free of a process-wide SIGCHLD handler; 10 ms is nothing next to
    // the time a password manager takes. The pipes are read meanwhile, so a chatty command
    // cannot block on a full one.
    let status = loop {
        out.read();
        err.read();
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < limit => thread::sleep(Duration::from_millis(10)),
            result => {
                end_group(&mut child);
                if let Err(e) = result {
                    return Err(fail(Code::Auth, format!("api_key_command: {e}")));
                }
                return Err(timed_out());
            }
        }
    };
    let left = limit.saturating_sub(started.elapsed());
    let out = out.rest(left).ok_or_else(timed_out)?;
    let err = err.rest(left).unwrap_or_default();

    let first_line = String::from_utf8_lossy(&err)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| format!(": {}", crate::text::snippet(l)))
        .unwrap_or_default();
    // Checked first: stopping reading at the cap may have killed it with SIGPIPE.
    if out.len() > KEY_CAP {
        return Err(fail(
            Code::Auth,
            "the api_key_command printed more than 4 KiB",
        ));
    }
    if !status.success() {
        let how = status
            .code()
            .map_or_else(|| "was killed".to_string(), |c| format!("exited with {c}"));
        return Err(fail(
            Code::Auth,
            format!("the api_key_command {how}{first_line}"),
        ));
    }
    let key = String::from_utf8(out)
        .map_err(|_| fail(Code::Auth, "the api_key_command printed invalid UTF-8"))?;
    let key = key.trim();
    if key.is_empty() {
        return Err(fail(
            Code::Auth,
            format!("the api_key_command printed no key{first_line}"),
        ));
    }
    Ok(key.to_string())
}

/// Ends the command and everything in its process group, and reaps it.
fn end_group(child: &mut Child) {
    #[cfg(unix)]
    let _ = rustix::process::kill_process_group(
        rustix::process::Pid::from_child(child),
        rustix::process::Signal::KILL,
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// One output pipe of the command, read as it comes, up to one byte past `cap` (then
/// closed: the writer gets SIGPIPE rather than filling memory).
#[cfg(unix)]
struct Output {
    pipe: Option<fs::File>,
    bytes: Vec<u8>,
    cap: usize,
}

#[cfg(unix)]
impl Output {
    fn new(pipe: Option<impl Into<std::os::fd::OwnedFd>>, cap: usize) -> Output {
        // Non-blocking: a read takes what is there and never waits for more.
        let pipe = pipe.map(|p| fs::File::from(p.into())).filter(|f| {
            rustix::fs::fcntl_getfl(f)
                .and_then(|flags| rustix::fs::fcntl_setfl(f, flags | rustix::fs::OFlags::NONBLOCK))
                .is_ok()
        });
        Output {
            pipe,
            bytes: Vec::new(),
            cap,
        }
    }

    /// Takes what the pipe holds now.
    fn read(&mut self) {
        let Some(pipe) = &mut self.pipe else { return };
        let mut buf = [0; 8192];
        loop {
            match pipe.read(&mut buf) {
                Ok(n) if n > 0 => {
                    let room = (self.cap + 1).saturating_sub(self.bytes.len());
                    self.bytes.extend_from_slice(&buf[..n.min(room)]);
                    if self.bytes.len() > self.cap {
                        self.pipe = None;
                        return;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                // End of file, or a pipe that cannot be read.
                _ => {
                    self.pipe = None;
                    return;
                }
            }
        }
    }

    /// After the command exited: what it wrote is all in the pipe already, so this takes it
    /// without waiting for the end of file a background child may hold off.
    #[allow(
        clippy::unnecessary_wraps,
        reason = "as off Unix, where the end of file may not come in time"
    )]
    fn rest(mut self, _left: Duration) -> Option<Vec<u8>> {
        self.read();
        Some(self.bytes)
    }
}

/// Off Unix a pipe cannot be read without blocking: a thread reads it to its end.
#[cfg(not(unix))]
struct Output(mpsc::Receiver<Vec<u8>>);

#[cfg(not(unix))]
impl Output {
    fn new(pipe: Option<impl Read + Send + 'static>, cap: usize) -> Output {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(pipe) = pipe {
                let _ = pipe.take(cap as u64 + 1).read_to_end(&mut bytes);
            }
            let _ = tx.send(bytes);
        });
        Output(rx)
    }

    fn read(&mut self) {}

    fn rest(self, left: Duration) -> Option<Vec<u8>> {
        self.0.recv_timeout(left).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message and exit code of an error made by `fail`.
    fn failure(err: &anyhow::Error) -> (Code, String) {
        let f = err
            .downcast_ref::<crate::exit::Fail>()
            .expect("a Fail error");
        (f.code, f.message.clone())
    }

    #[test]
    fn credentials_have_their_own_place() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let path = |vars| credentials_path(env(vars));
        let all = &[
            ("KLAP_CREDENTIALS_FILE", "/c.toml"),
            ("KLAP_CONFIG", "/repo/config.toml"),
            ("XDG_CONFIG_HOME", "/x"),
            ("HOME", "/h"),
        ];
        assert_eq!(path(all), Some(PathBuf::from("/c.toml")));
        assert_eq!(
            path(&all[1..]),
            Some(PathBuf::from("/x/klap-export/credentials.toml"))
        );
        assert_eq!(
            path(&all[2..]),
            Some(PathBuf::from("/x/klap-export/credentials.toml"))
        );
        assert_eq!(
            path(&[("KLAP_CONFIG", "/repo/config.toml"), ("HOME", "/h")]),
            Some(PathBuf::from("/h/.config/klap-export/credentials.toml"))
        );
        assert_eq!(path(&[("KLAP_CONFIG", "/repo/config.toml")]), None);
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn store_read_remove_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("a").join("klap-export");
        let path = folder.join("credentials.toml");

        assert_eq!(read_stored_key(&path, "default").unwrap(), None);
        assert!(!remove_key(&path, "default").unwrap());

        store_key(&path, "default", "sk-one").unwrap();
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(&path), 0o600);
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "[default]\napi_key = \"sk-one\"\n"
        );
        assert_eq!(
            read_stored_key(&path, "default").unwrap().as_deref(),
            Some("sk-one")
        );
        assert_eq!(read_stored_key(&path, "staging").unwrap(), None);

        // Replacing one profile's key keeps the others; nothing is left beside the file.
        store_key(&path, "staging", "sk-two").unwrap();
        store_key(&path, "default", "sk-three").unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(
            read_stored_key(&path, "default").unwrap().as_deref(),
            Some("sk-three")
        );
        assert_eq!(
            read_stored_key(&path, "staging").unwrap().as_deref(),
            Some("sk-two")
        );
        let names: Vec<_> = fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["credentials.toml"]);

        assert!(remove_key(&path, "default").unwrap());
        assert!(!remove_key(&path, "default").unwrap());
        assert_eq!(read_stored_key(&path, "default").unwrap(), None);
        assert_eq!(
            read_stored_key(&path, "staging").unwrap().as_deref(),
            Some("sk-two")
        );
        assert_eq!(mode(&path), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn existing_folder_mode_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        set_mode(dir.path(), 0o755);
        let path = dir.path().join("credentials.toml");
        store_key(&path, "default", "sk-one").unwrap();
        assert_eq!(mode(dir.path()), 0o755);
        assert_eq!(mode(&path), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_others_can_write_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.toml");
        for (m, who) in [
            (0o777, "writable by group and others"),
            (0o1777, "writable by group and others"),
            (0o775, "writable by group"),
        ] {
            set_mode(dir.path(), m);
            let (code, message) = failure(&store_key(&path, "default", "sk-one").unwrap_err());
            assert_eq!(code, Code::Auth);
            assert_eq!(
                message,
                format!(
                    "refusing to store the key in {d}: it is {who} (mode {:03o}); \
                     run: chmod go-w {d}",
                    m & 0o777,
                    d = dir.path().display()
                )
            );
            assert!(!path.exists());
            assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }

    #[cfg(unix)]
    #[test]
    fn leftovers_of_a_killed_login_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.toml");
        let leftover = [".credentials.aB3xZ9.tmp", ".credentials.000000.tmp"];
        let kept = [
            ".credentials.abc.tmp",
            ".credentials.aB3xZ9.tmp.bak",
            "credentials.aB3xZ9.tmp",
            ".credentials.a-b_c9.tmp",
            "notes.tmp",
        ];
        let write_all = || {
            for name in leftover.iter().chain(&kept) {
                fs::write(dir.path().join(name), "[default]\napi_key = \"sk-old\"\n").unwrap();
            }
            // A link of our pattern, and a folder: not regular files, left alone.
            std::os::unix::fs::symlink(&path, dir.path().join(".credentials.LINK00.tmp")).unwrap();
            fs::create_dir(dir.path().join(".credentials.DIR000.tmp")).unwrap();
        };
        let mut want: Vec<String> = kept.iter().map(ToString::to_string).collect();
        want.extend([
            ".credentials.DIR000.tmp".into(),
            ".credentials.LINK00.tmp".into(),
        ]);
        let names = || {
            let mut names: Vec<String> = fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n != "credentials.toml")
                .collect();
            names.sort();
            names
        };
        want.sort();

        write_all();
        store_key(&path, "default", "sk-one").unwrap();
        assert_eq!(names(), want);

        // logout too, even when there is nothing to remove.
        for name in leftover {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        assert!(!remove_key(&path, "staging").unwrap());
        assert_eq!(names(), want);
    }

    #[cfg(unix)]
    #[test]
    fn credentials_others_can_open_are_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.toml");
        store_key(&path, "default", "sk-one").unwrap();
        for (m, who) in [
            (0o640, "readable by group"),
            (0o604, "readable by others"),
            (0o620, "writable by group"),
            (0o622, "writable by group and others"),
            (0o644, "readable by group and others"),
            (0o660, "readable and writable by group"),
            (
                0o662,
                "readable and writable by group and writable by others",
            ),
        ] {
            set_mode(&path, m);
            let (code, message) = failure(&read_stored_key(&path, "default").unwrap_err());
            assert_eq!(code, Code::Auth);
            assert_eq!(
                message,
                format!(
                    "{p} is {who} (mode {m:03o}); run: chmod 600 {p}",
                    p = path.display()
                )
            );
            assert!(!message.contains("sk-one"));
        }
        set_mode(&path, 0o400);
        assert_eq!(
            read_stored_key(&path, "default").unwrap().as_deref(),
            Some("sk-one")
        );
    }

    #[cfg(unix)]
    #[test]
    fn credentials_of_another_user_are_refused() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.toml");
        store_key(&path, "default", "sk-one").unwrap();
        // Only root can give a file away; elsewhere this case cannot be made.
        if rustix::process::geteuid().is_root() {
            std::os::unix::fs::chown(&path, Some(65534), None).unwrap();
            assert_eq!(fs::metadata(&path).unwrap().uid(), 65534);
            let (code, message) = failure(&read_stored_key(&path, "default").unwrap_err());
            assert_eq!(code, Code::Auth);
            assert_eq!(
                message,
                format!(
                    "{p} is owned by another user (uid 65534); run: chown 0 {p}",
                    p = path.display()
                )
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn key_files_others_can_read_are_used_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let key_file_path = dir.path().join("my key");
        fs::write(&key_file_path, "sk\n").unwrap();
        set_mode(&key_file_path, 0o444);
        let (key, warning) = key_file(&key_file_path).unwrap();
        assert_eq!(key, "sk");
        assert_eq!(
            warning.unwrap(),
            format!(
                "the API key file {p} is readable by group and others (mode 444); \
                 run: chmod 600 '{p}'",
                p = key_file_path.display()
            )
        );
        set_mode(&key_file_path, 0o600);
        assert_eq!(key_file(&key_file_path).unwrap(), ("sk".to_string(), None));
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        let started = Instant::now();
        for (path, kind) in [
            (fifo.as_path(), "a FIFO"),
            (Path::new("/dev/zero"), "a device"),
            (dir.path(), "a directory"),
        ] {
            let (code, message) = failure(&read_key_file(path).unwrap_err());
            assert_eq!(code, Code::Auth);
            assert_eq!(
                message,
                format!(
                    "the API key file {} is not a regular file (it is {kind})",
                    path.display()
                )
            );
            let (code, message) = failure(&read_stored_key(path, "default").unwrap_err());
            assert_eq!(code, Code::Auth);
            assert_eq!(
                message,
                format!(
                    "the credentials file {} is not a regular file (it is {kind})",
                    path.display()
                )
            );
        }
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn credentials_over_the_cap_are_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.toml");
        fs::write(&path, format!("# {}\n", "x".repeat(64 * 1024))).unwrap();
        #[cfg(unix)]
        set_mode(&path, 0o600);
        let (code, message) = failure(&read_stored_key(&path, "default").unwrap_err());
        assert_eq!(code, Code::Auth);
        assert_eq!(
            message,
            format!(
                "the credentials file {} is larger than 64 KiB",
                path.display()
            )
        );
    }

    #[test]
    fn invalid_credentials_hide_the_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.toml");
        fs::write(&path, "[default]\napi_key = \"sk-secret\n").unwrap();
        #[cfg(unix)]
        set_mode(&path, 0o600);
        let (code, message) = failure(&read_stored_key(&path, "default").unwrap_err());
        assert_eq!(code, Code::Auth);
        assert_eq!(
            message,
            format!(
                "{}:2: the credentials file is not valid TOML",
                path.display()
            )
        );
        // Nor is a broken file replaced by store or remove.
        assert!(store_key(&path, "default", "sk-new").is_err());
        assert!(remove_key(&path, "default").is_err());
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "[default]\napi_key = \"sk-secret\n"
        );
    }

    #[test]
    fn key_file_is_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        fs::write(&path, "  sk-live-123\n\n").unwrap();
        assert_eq!(read_key_file(&path).unwrap(), "sk-live-123");
        fs::write(&path, "x".repeat(KEY_CAP)).unwrap();
        assert_eq!(read_key_file(&path).unwrap().len(), KEY_CAP);
    }

    #[test]
    fn key_file_over_the_cap_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        fs::write(&path, "x".repeat(5000)).unwrap();
        let (code, message) = failure(&read_key_file(&path).unwrap_err());
        assert_eq!(code, Code::Auth);
        assert_eq!(
            message,
            format!("the API key file {} is larger than 4 KiB", path.display())
        );
    }

    #[test]
    fn missing_key_file() {
        let (code, message) = failure(&read_key_file(Path::new("/nonexistent/key")).unwrap_err());
        assert_eq!(code, Code::Auth);
        assert!(
            message.starts_with("cannot read the API key file /nonexistent/key: "),
            "{message}"
        );
    }

    #[cfg(unix)]
    fn command_error(cmd: &str) -> String {
        let (code, message) = failure(&run_key_command(cmd, KEY_COMMAND_LIMIT).unwrap_err());
        assert_eq!(code, Code::Auth);
        assert!(!message.contains("sk-"), "{message}");
        message
    }

    #[cfg(unix)]
    #[test]
    fn key_command_output_is_the_key() {
        assert_eq!(
            run_key_command("echo '  sk-live-123 '; echo noise >&2", KEY_COMMAND_LIMIT).unwrap(),
            "sk-live-123"
        );
    }

    #[cfg(unix)]
    #[test]
    fn key_command_failures() {
        assert_eq!(
            command_error(
                "echo sk-leak; printf '\\n  gpg: decryption\\tfailed\\nmore\\n' >&2; exit 3"
            ),
            "the api_key_command exited with 3: gpg: decryption failed"
        );
        assert_eq!(command_error("exit 1"), "the api_key_command exited with 1");
        assert_eq!(
            command_error("printf '  \\n'; echo 'no entry' >&2"),
            "the api_key_command printed no key: no entry"
        );
        assert_eq!(command_error("true"), "the api_key_command printed no key");
        assert_eq!(
            command_error("kill -9 $$"),
            "the api_key_command was killed"
        );
        assert_eq!(
            command_error("head -c 5000 /dev/zero | tr '\\0' s"),
            "the api_key_command printed more than 4 KiB"
        );
        let long = "e".repeat(300);
        assert_eq!(
            command_error(&format!("echo {long} >&2; exit 2")),
            format!("the api_key_command exited with 2: {}", "e".repeat(200))
        );
    }

    #[cfg(unix)]
    #[test]
    fn slow_key_command_is_stopped() {
        // The second form keeps a grandchild holding the pipes after sh is killed.
        for cmd in ["sleep 5", "sleep 5; echo sk-late"] {
            let started = Instant::now();
            let err = run_key_command(cmd, Duration::from_millis(300)).unwrap_err();
            assert!(started.elapsed() < Duration::from_secs(3), "{cmd}");
            assert_eq!(
                failure(&err),
                (
                    Code::Auth,
                    "the api_key_command gave no key within 300ms".to_string()
                )
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn key_is_taken_when_the_command_exits() {
        // The background sleep holds stdout and stderr open well past the limit: waiting for
        // their end of file would fail with "no key within 2s".
        let started = Instant::now();
        let key = run_key_command("sleep 3 & echo sk-now", Duration::from_secs(2)).unwrap();
        assert_eq!(key, "sk-now");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        // Its stderr too: the first line still names what went wrong.
        assert_eq!(
            command_error("sleep 3 & echo 'no entry' >&2; exit 1"),
            "the api_key_command exited with 1: no entry"
        );
    }

    /// Whether process `pid` still runs (a zombie no longer does). Linux: /proc.
    #[cfg(target_os = "linux")]
    fn running(pid: &str) -> bool {
        fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| Some(stat.rsplit_once(')')?.1.trim_start().starts_with('Z')))
            .is_some_and(|zombie| !zombie)
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn time_limit_ends_the_whole_process_group() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let cmd = format!("sleep 20 & echo $! > '{}'; wait", pid_file.display());
        let err = run_key_command(&cmd, Duration::from_millis(300)).unwrap_err();
        assert_eq!(
            failure(&err).1,
            "the api_key_command gave no key within 300ms"
        );
        let pid = fs::read_to_string(&pid_file).unwrap();
        let pid = pid.trim();
        let started = Instant::now();
        while running(pid) && started.elapsed() < Duration::from_secs(2) {
            thread::sleep(Duration::from_millis(10));
        }
        assert!(
            !running(pid),
            "the background child {pid} outlived the time limit"
        );
    }
}
