//! The config file and its profiles, keys stored by `auth login`, key files and key commands.
//!
//! Pure building blocks: nothing here reads the process environment itself (callers pass a
//! lookup), and every error carries its exit code (`Usage` for the config file, `Auth` for keys).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use clap::ValueEnum;
use toml::de::{DeTable, DeValue};

use crate::exit::{Code, fail};
use crate::values::{ColorChoice, Format};

/// Key files, stdin keys and key command output larger than this are refused: a key is short,
/// and a wrong path (a log, `/dev/zero`) must not be read into memory or sent.
pub const KEY_CAP: usize = 4096;

/// How long `api_key_command` may take (a password manager may wait for a touch or a PIN).
pub const KEY_COMMAND_LIMIT: Duration = Duration::from_secs(30);

const KEYS: &str = "base_url, api_key_file, api_key_command, format, color, http_timeout, retries";

/// One table of the config file. `None` means "not set here": the flag, the environment
/// variable or the built-in default applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub base_url: Option<String>,
    /// With `~/` expanded against HOME.
    pub api_key_file: Option<PathBuf>,
    pub api_key_command: Option<String>,
    pub format: Option<Format>,
    pub color: Option<ColorChoice>,
    pub http_timeout: Option<Duration>,
    pub retries: Option<u32>,
}

/// The loaded config file: empty when there is none.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was looked for (`None` when no HOME or other variable names a place).
    pub path: Option<PathBuf>,
    pub profiles: BTreeMap<String, Profile>,
}

/// `$KLAP_CONFIG`, else `$XDG_CONFIG_HOME/klap-export/config.toml` (an absolute
/// XDG_CONFIG_HOME only, as the XDG spec says), else `$HOME/.config/klap-export/config.toml`.
/// Empty variables count as unset. Pass `|name| std::env::var_os(name)` outside tests.
pub fn config_path(env: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let set = |name: &str| env(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(path) = set("KLAP_CONFIG") {
        return Some(path);
    }
    let dir = match set("XDG_CONFIG_HOME").filter(|p| p.is_absolute()) {
        Some(xdg) => xdg,
        None => set("HOME")?.join(".config"),
    };
    Some(dir.join("klap-export").join("config.toml"))
}

/// `credentials.toml` beside the config file.
pub fn credentials_path(config: &Path) -> PathBuf {
    config.with_file_name("credentials.toml")
}

/// Reads and checks the config file. A missing file is an empty config; an unreadable or
/// invalid one is a usage error naming the file and line. `env` supplies HOME for `~/`.
pub fn load(path: &Path, env: impl Fn(&str) -> Option<OsString>) -> anyhow::Result<Config> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Config {
                path: Some(path.to_path_buf()),
                profiles: BTreeMap::new(),
            });
        }
        Err(e) => {
            return Err(fail(
                Code::Usage,
                format!("cannot read the config file {}: {e}", path.display()),
            ));
        }
    };
    let home = env("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    let file = ConfigFile {
        path,
        text: &text,
        home: home.as_deref(),
    };
    Ok(Config {
        path: Some(path.to_path_buf()),
        profiles: file.parse()?,
    })
}

/// The profile `name`. A missing one is a usage error when the user named it (`--profile`,
/// `KLAP_PROFILE`), except `default`, which may be absent: then nothing is set.
pub fn profile(config: &Config, name: &str, explicit: bool) -> anyhow::Result<Profile> {
    if let Some(p) = config.profiles.get(name) {
        return Ok(p.clone());
    }
    if !explicit || name == "default" {
        return Ok(Profile::default());
    }
    let file = config.path.as_ref().map_or_else(
        || "the config file".to_string(),
        |p| p.display().to_string(),
    );
    let known = if config.profiles.is_empty() {
        "it has none".to_string()
    } else {
        let names: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
        format!("it has {}", names.join(", "))
    };
    Err(fail(
        Code::Usage,
        format!("no profile '{name}' in {file} ({known})"),
    ))
}

struct ConfigFile<'a> {
    path: &'a Path,
    text: &'a str,
    home: Option<&'a Path>,
}

impl ConfigFile<'_> {
    fn error(&self, at: usize, message: impl std::fmt::Display) -> anyhow::Error {
        let line = line_of(self.text, at);
        fail(
            Code::Usage,
            format!("{}:{line}: {message}", self.path.display()),
        )
    }

    fn parse(&self) -> anyhow::Result<BTreeMap<String, Profile>> {
        let doc = DeTable::parse(self.text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            self.error(at, e.message().trim())
        })?;
        let mut profiles = BTreeMap::new();
        for (name, value) in doc.get_ref() {
            let DeValue::Table(table) = value.get_ref() else {
                return Err(self.error(
                    name.span().start,
                    format!(
                        "'{}' is not a profile: settings belong in a table such as [default]",
                        name.get_ref()
                    ),
                ));
            };
            let name = name.get_ref().to_string();
            let profile = self.profile(&name, table)?;
            profiles.insert(name, profile);
        }
        Ok(profiles)
    }

    fn profile(&self, name: &str, table: &DeTable) -> anyhow::Result<Profile> {
        let mut p = Profile::default();
        for (key, value) in table {
            let key: &str = key.get_ref();
            let bad = |expected: &str| {
                let at = value.span().start;
                self.error(
                    at,
                    format!("invalid {key} in [{name}]; expected {expected}"),
                )
            };
            let text = || {
                value
                    .get_ref()
                    .as_str()
                    .filter(|s| !s.trim().is_empty())
                    .ok_or_else(|| bad("a non-empty string"))
            };
            let integer = || match value.get_ref() {
                DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
                _ => None,
            };
            match key {
                "base_url" => p.base_url = Some(text()?.to_string()),
                "api_key_file" => p.api_key_file = Some(expand_home(text()?, self.home)),
                "api_key_command" => p.api_key_command = Some(text()?.to_string()),
                "format" => {
                    let format = value.get_ref().as_str().map(|s| Format::from_str(s, false));
                    p.format = Some(
                        format
                            .and_then(Result::ok)
                            .ok_or_else(|| bad("table, json, ndjson or tsv"))?,
                    );
                }
                "color" => {
                    let color = value
                        .get_ref()
                        .as_str()
                        .map(|s| ColorChoice::from_str(s, false));
                    p.color = Some(
                        color
                            .and_then(Result::ok)
                            .ok_or_else(|| bad("auto, always or never"))?,
                    );
                }
                "http_timeout" => {
                    let timeout = match value.get_ref() {
                        DeValue::String(s) => crate::values::parse_duration(s).ok(),
                        _ => integer()
                            .and_then(|secs| u64::try_from(secs).ok())
                            .map(Duration::from_secs),
                    };
                    let timeout = timeout.filter(|d| !d.is_zero());
                    p.http_timeout =
                        Some(timeout.ok_or_else(|| bad("a duration such as \"30s\" or 30"))?);
                }
                "retries" => {
                    let retries = integer().and_then(|n| u32::try_from(n).ok());
                    p.retries = Some(retries.ok_or_else(|| bad("a non-negative integer"))?);
                }
                _ => {
                    let at = value.span().start;
                    return Err(self.error(
                        at,
                        format!("unknown key '{key}' in [{name}]; expected one of {KEYS}"),
                    ));
                }
            }
        }
        Ok(p)
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, at: usize) -> usize {
    let end = at.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ if path == "~" && home.is_some() => home.map(Path::to_path_buf).unwrap_or_default(),
        _ => PathBuf::from(path),
    }
}

/// Refuses a regular file that group or others may read or write, as ssh does with its keys.
/// Pipes and devices (`/dev/stdin`, `<(pass show klap)`) are not checked. No-op off Unix.
pub fn check_private(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = fs::metadata(path)
            .map_err(|e| fail(Code::Auth, format!("cannot read {}: {e}", path.display())))?;
        let mode = meta.permissions().mode() & 0o777;
        if meta.is_file() && mode & 0o077 != 0 {
            return Err(fail(
                Code::Auth,
                format!(
                    "{} is readable by others (mode {mode:03o}); run: chmod 600 {}",
                    path.display(),
                    shell_quote(&path.display().to_string())
                ),
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Quotes a path for the `chmod` hint only when the shell would split or expand it.
fn shell_quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
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

/// Stores `key` for `profile`, keeping the other profiles' keys. The folder is created with
/// mode 0700; the file is written beside its final path with mode 0600 and renamed into place,
/// so a reader never sees half a file and a crash never loses the old one.
pub fn store_key(path: &Path, profile: &str, key: &str) -> anyhow::Result<()> {
    let mut table = read_credentials(path, false)?.unwrap_or_default();
    let mut entry = toml::Table::new();
    entry.insert("api_key".into(), toml::Value::String(key.to_string()));
    table.insert(profile.to_string(), toml::Value::Table(entry));
    write_credentials(path, &table)
}

/// Removes the stored key of `profile`; `false` when there was none.
pub fn remove_key(path: &Path, profile: &str) -> anyhow::Result<bool> {
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
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(fail(
                Code::Auth,
                format!("cannot read the credentials file {}: {e}", path.display()),
            ));
        }
    };
    if private {
        check_private(path)?;
    }
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

fn write_credentials(path: &Path, table: &toml::Table) -> anyhow::Result<()> {
    use anyhow::Context;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
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
        .prefix(".credentials.")
        .suffix(".tmp")
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

/// The key in a file (`-` is stdin), trimmed. At most [`KEY_CAP`] bytes are read.
pub fn read_key_file(path: &Path) -> anyhow::Result<String> {
    let (name, bytes) = if path == Path::new("-") {
        (
            "the API key on stdin".to_string(),
            read_capped(io::stdin().lock()),
        )
    } else {
        let name = format!("the API key file {}", path.display());
        let bytes = fs::File::open(path).and_then(read_capped);
        (name, bytes)
    };
    let bytes = bytes.map_err(|e| fail(Code::Auth, format!("cannot read {name}: {e}")))?;
    if bytes.len() > KEY_CAP {
        return Err(fail(Code::Auth, format!("{name} is larger than 4 KiB")));
    }
    let key = String::from_utf8(bytes)
        .map_err(|_| fail(Code::Auth, format!("{name} is not valid UTF-8")))?;
    Ok(key.trim().to_string())
}

/// Reads one byte past the cap, so "more than the cap" is seen without reading it all.
fn read_capped(reader: impl Read) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(KEY_CAP as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Runs `sh -c CMD` and returns its trimmed stdout: the key. A non-zero exit, empty output or no
/// answer within `limit` is an auth error with the first line of its stderr. The output is
/// never part of an error: it is (or is close to) the key.
pub fn run_key_command(cmd: &str, limit: Duration) -> anyhow::Result<String> {
    let started = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(Code::Auth, format!("cannot run the api_key_command: {e}")))?;
    // Pipes are read in threads so a chatty command cannot block on a full pipe, and so a
    // command whose children keep the pipes open cannot hang us past the limit.
    let read_in_thread = |pipe: Option<Box<dyn Read + Send>>, cap: usize| {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(pipe) = pipe {
                let _ = pipe.take(cap as u64 + 1).read_to_end(&mut bytes);
            }
            let _ = tx.send(bytes);
        });
        rx
    };
    let stdout = read_in_thread(child.stdout.take().map(|p| Box::new(p) as _), KEY_CAP);
    let stderr = read_in_thread(child.stderr.take().map(|p| Box::new(p) as _), 64 * 1024);

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
    // the time a password manager takes.
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < limit => thread::sleep(Duration::from_millis(10)),
            result => {
                let _ = child.kill();
                let _ = child.wait();
                if let Err(e) = result {
                    return Err(fail(Code::Auth, format!("api_key_command: {e}")));
                }
                return Err(timed_out());
            }
        }
    };
    let left = || limit.saturating_sub(started.elapsed());
    let out = stdout.recv_timeout(left()).map_err(|_| timed_out())?;
    let err = stderr.recv_timeout(left()).unwrap_or_default();

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

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    /// The message and exit code of an error made by `fail`.
    fn failure(err: &anyhow::Error) -> (Code, String) {
        let f = err
            .downcast_ref::<crate::exit::Fail>()
            .expect("a Fail error");
        (f.code, f.message.clone())
    }

    fn load_text(text: &str) -> (tempfile::TempDir, PathBuf, anyhow::Result<Config>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        fs::write(&path, text).unwrap();
        let config = load(&path, env(&[("HOME", "/home/u")]));
        (dir, path, config)
    }

    fn load_error(text: &str) -> String {
        let (_dir, path, config) = load_text(text);
        let (code, message) = failure(&config.unwrap_err());
        assert_eq!(code, Code::Usage);
        message.replace(&path.display().to_string(), "config.toml")
    }

    #[test]
    fn config_path_order() {
        type Vars<'a> = &'a [(&'a str, &'a str)];
        let rows: &[(Vars, Option<&str>)] = &[
            (
                &[
                    ("KLAP_CONFIG", "/k.toml"),
                    ("XDG_CONFIG_HOME", "/x"),
                    ("HOME", "/h"),
                ],
                Some("/k.toml"),
            ),
            (
                &[
                    ("KLAP_CONFIG", ""),
                    ("XDG_CONFIG_HOME", "/x"),
                    ("HOME", "/h"),
                ],
                Some("/x/klap-export/config.toml"),
            ),
            (
                &[("XDG_CONFIG_HOME", "relative"), ("HOME", "/h")],
                Some("/h/.config/klap-export/config.toml"),
            ),
            (
                &[("XDG_CONFIG_HOME", ""), ("HOME", "/h")],
                Some("/h/.config/klap-export/config.toml"),
            ),
            (
                &[("HOME", "/h")],
                Some("/h/.config/klap-export/config.toml"),
            ),
            (&[("HOME", "")], None),
            (&[], None),
        ];
        for (vars, want) in rows {
            assert_eq!(config_path(env(vars)), want.map(PathBuf::from), "{vars:?}");
        }
        assert_eq!(
            credentials_path(Path::new("/h/.config/klap-export/config.toml")),
            Path::new("/h/.config/klap-export/credentials.toml")
        );
    }

    #[test]
    fn loads_profiles() {
        let (_dir, _path, config) = load_text(
            r#"
[default]
base_url = "https://api.example.com/v2"
api_key_file = "~/keys/klap"
format = "json"
color = "never"
http_timeout = "1m30s"
retries = 0

[staging]
api_key_command = "pass show klap"
http_timeout = 45
retries = 5
"#,
        );
        let config = config.unwrap();
        assert_eq!(
            profile(&config, "default", false).unwrap(),
            Profile {
                base_url: Some("https://api.example.com/v2".into()),
                api_key_file: Some(PathBuf::from("/home/u/keys/klap")),
                api_key_command: None,
                format: Some(Format::Json),
                color: Some(ColorChoice::Never),
                http_timeout: Some(Duration::from_secs(90)),
                retries: Some(0),
            }
        );
        assert_eq!(
            profile(&config, "staging", true).unwrap(),
            Profile {
                api_key_command: Some("pass show klap".into()),
                http_timeout: Some(Duration::from_secs(45)),
                retries: Some(5),
                ..Profile::default()
            }
        );
    }

    #[test]
    fn missing_file_is_an_empty_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope.toml");
        let config = load(&path, env(&[])).unwrap();
        assert!(config.profiles.is_empty());
        assert_eq!(
            profile(&config, "default", true).unwrap(),
            Profile::default()
        );
    }

    #[test]
    fn unknown_key_names_its_line() {
        let text = "[default]\nformat = \"json\"\n\n[staging]\ncolour = \"never\"\n";
        assert_eq!(
            load_error(text),
            "config.toml:5: unknown key 'colour' in [staging]; expected one of base_url, \
             api_key_file, api_key_command, format, color, http_timeout, retries"
        );
    }

    #[test]
    fn bad_values_name_their_line() {
        let rows = [
            (
                "[p]\nformat = \"yaml\"\n",
                2,
                "format",
                "table, json, ndjson or tsv",
            ),
            (
                "[p]\nformat = 1\n",
                2,
                "format",
                "table, json, ndjson or tsv",
            ),
            (
                "[p]\n\ncolor = \"blue\"\n",
                3,
                "color",
                "auto, always or never",
            ),
            (
                "[p]\nretries = -1\n",
                2,
                "retries",
                "a non-negative integer",
            ),
            (
                "[p]\nretries = \"3\"\n",
                2,
                "retries",
                "a non-negative integer",
            ),
            (
                "[p]\nretries = 5000000000\n",
                2,
                "retries",
                "a non-negative integer",
            ),
            (
                "[p]\nhttp_timeout = \"soon\"\n",
                2,
                "http_timeout",
                "a duration such as \"30s\" or 30",
            ),
            (
                "[p]\nhttp_timeout = 0\n",
                2,
                "http_timeout",
                "a duration such as \"30s\" or 30",
            ),
            (
                "[p]\nhttp_timeout = 1.5\n",
                2,
                "http_timeout",
                "a duration such as \"30s\" or 30",
            ),
            ("[p]\nbase_url = 5\n", 2, "base_url", "a non-empty string"),
            (
                "[p]\napi_key_command = \" \"\n",
                2,
                "api_key_command",
                "a non-empty string",
            ),
            (
                "[p]\napi_key_file = []\n",
                2,
                "api_key_file",
                "a non-empty string",
            ),
        ];
        for (text, line, key, expected) in rows {
            let want = format!("config.toml:{line}: invalid {key} in [p]; expected {expected}");
            assert_eq!(load_error(text), want, "{text}");
        }
    }

    #[test]
    fn top_level_value_is_not_a_profile() {
        assert_eq!(
            load_error("# settings\nformat = \"json\"\n"),
            "config.toml:2: 'format' is not a profile: settings belong in a table such as [default]"
        );
    }

    #[test]
    fn syntax_error_names_its_line() {
        let message = load_error("[default]\nformat = \"json\n");
        assert!(message.starts_with("config.toml:2: "), "{message}");
    }

    #[test]
    fn missing_profile_explicit_or_default() {
        let (_dir, path, config) = load_text("[default]\n[prod]\n");
        let config = config.unwrap();
        assert_eq!(
            profile(&config, "default", false).unwrap(),
            Profile::default()
        );
        let (code, message) = failure(&profile(&config, "staging", true).unwrap_err());
        assert_eq!(code, Code::Usage);
        assert_eq!(
            message,
            format!(
                "no profile 'staging' in {} (it has default, prod)",
                path.display()
            )
        );

        let empty = Config::default();
        assert_eq!(
            profile(&empty, "default", true).unwrap(),
            Profile::default()
        );
        assert_eq!(
            profile(&empty, "default", false).unwrap(),
            Profile::default()
        );
        assert_eq!(
            failure(&profile(&empty, "x", true).unwrap_err()).1,
            "no profile 'x' in the config file (it has none)"
        );
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
    fn readable_by_others_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.toml");
        store_key(&path, "default", "sk-one").unwrap();
        for m in [0o640, 0o604, 0o620] {
            set_mode(&path, m);
            let (code, message) = failure(&read_stored_key(&path, "default").unwrap_err());
            assert_eq!(code, Code::Auth);
            assert_eq!(
                message,
                format!(
                    "{p} is readable by others (mode {m:03o}); run: chmod 600 {p}",
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

        let key_file = dir.path().join("my key");
        fs::write(&key_file, "sk\n").unwrap();
        set_mode(&key_file, 0o644);
        let (_, message) = failure(&check_private(&key_file).unwrap_err());
        assert!(
            message.ends_with(&format!("run: chmod 600 '{}'", key_file.display())),
            "{message}"
        );
        set_mode(&key_file, 0o600);
        check_private(&key_file).unwrap();
        // Devices and pipes have no meaningful owner-only mode.
        check_private(Path::new("/dev/null")).unwrap();
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

    #[cfg(unix)]
    #[test]
    fn dev_zero_ends_at_once() {
        let (code, message) = failure(&read_key_file(Path::new("/dev/zero")).unwrap_err());
        assert_eq!(code, Code::Auth);
        assert_eq!(message, "the API key file /dev/zero is larger than 4 KiB");
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
}
