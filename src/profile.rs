//! The config file and its profiles: where it is, and what each profile sets.
//!
//! Pure building blocks: nothing here reads the process environment itself (callers pass a
//! lookup), and every error is a usage error naming the file and line.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::ValueEnum;
use toml::de::{DeTable, DeValue};

use crate::exit::{Code, fail};
use crate::values::{ColorChoice, Format};

/// The config file is refused above this size: it is a few lines, and a wrong path must not be
/// read into memory.
pub const CONFIG_CAP: u64 = 1 << 20;

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
    own_file("KLAP_CONFIG", "config.toml", env)
}

/// `$VARIABLE`, else `FILE` in the tool's folder of `$XDG_CONFIG_HOME` (absolute only) or
/// `$HOME/.config`. Empty variables count as unset.
pub fn own_file(
    variable: &str,
    file: &str,
    env: impl Fn(&str) -> Option<OsString>,
) -> Option<PathBuf> {
    let set = |name: &str| env(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(path) = set(variable) {
        return Some(path);
    }
    let dir = match set("XDG_CONFIG_HOME").filter(|p| p.is_absolute()) {
        Some(xdg) => xdg,
        None => set("HOME")?.join(".config"),
    };
    Some(dir.join("klap-export").join(file))
}

/// Reads and checks the config file. A missing file is an empty config; an unreadable or
/// invalid one is a usage error naming the file and line. `env` supplies HOME for `~/`.
pub fn load(path: &Path, env: impl Fn(&str) -> Option<OsString>) -> anyhow::Result<Config> {
    let usage = |message: String| fail(Code::Usage, message);
    let what = "the config file";
    let Some((file, meta)) = open_bounded(path, CONFIG_CAP, what).map_err(usage)? else {
        return Ok(Config {
            path: Some(path.to_path_buf()),
            profiles: BTreeMap::new(),
        });
    };
    trusted(path, &meta).map_err(usage)?;
    let bytes = read_bounded(file, CONFIG_CAP, path, what).map_err(usage)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| usage(format!("{what} {} is not valid UTF-8", path.display())))?;
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

/// Opens `path` for reading without ever blocking (a FIFO, a device), and refuses anything but
/// a regular file of at most `cap` bytes, before a byte is read. `None` when it does not
/// exist. The error is the message, naming `what` and the path.
pub fn open_bounded(
    path: &Path,
    cap: u64,
    what: &str,
) -> Result<Option<(fs::File, fs::Metadata)>, String> {
    let shown = path.display();
    let opened = open_nonblocking(path);
    let file = match opened {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {what} {shown}: {e}")),
    };
    // The opened file, not the path: what is checked is what is read.
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read {what} {shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "{what} {shown} is not a regular file (it is {})",
            kind_of(&meta)
        ));
    }
    if meta.len() > cap {
        return Err(format!("{what} {shown} is larger than {}", size_text(cap)));
    }
    Ok(Some((file, meta)))
}

/// Reads an opened file up to one byte past `cap`, so a file that grew is refused too.
pub fn read_bounded(file: fs::File, cap: u64, path: &Path, what: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {what} {}: {e}", path.display()))?;
    if bytes.len() as u64 > cap {
        return Err(format!(
            "{what} {} is larger than {}",
            path.display(),
            size_text(cap)
        ));
    }
    Ok(bytes)
}

/// `O_NONBLOCK`: opening a FIFO no one writes to returns at once (reading a regular file is
/// not affected). `O_NOCTTY`: a terminal named by mistake never becomes ours.
#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<fs::File> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    let fd = rustix::fs::open(path, flags, Mode::empty())?;
    Ok(fs::File::from(fd))
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<fs::File> {
    fs::File::open(path)
}

fn kind_of(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

fn size_text(cap: u64) -> String {
    if cap >= 1 << 20 {
        format!("{} MiB", cap >> 20)
    } else {
        format!("{} KiB", cap >> 10)
    }
}

/// The config file can run commands (`api_key_command`), so it is trusted as ssh trusts its
/// config: owned by this user or root, not writable by group or others, in a folder not
/// writable by group or others unless sticky (its own folder, as given and as resolved).
#[cfg(unix)]
fn trusted(path: &Path, meta: &fs::Metadata) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let me = rustix::process::geteuid().as_raw();
    let shown = shell_quote(&path.display().to_string());
    let refusing = format!(
        "refusing the config file {}, which can run commands:",
        path.display()
    );
    if meta.uid() != me && meta.uid() != 0 {
        return Err(format!(
            "{refusing} it is owned by another user (uid {}); run: chown {me} {shown}",
            meta.uid()
        ));
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Err(format!(
            "{refusing} it is {} (mode {:03o}); run: chmod go-w {shown}",
            access_words(mode & 0o022),
            mode & 0o777
        ));
    }
    let folder = |p: &Path| match p.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut folders = vec![folder(path)];
    if let Ok(real) = fs::canonicalize(path)
        && folder(&real) != folders[0]
    {
        folders.push(folder(&real));
    }
    for dir in folders {
        let Ok(dir_meta) = fs::metadata(&dir) else {
            continue;
        };
        let dir_mode = dir_meta.mode() & 0o7777;
        let sticky = dir_mode & 0o1000 != 0;
        if dir_mode & 0o022 != 0 && !sticky {
            return Err(format!(
                "{refusing} its folder {} is {} (mode {:03o}); run: chmod go-w {}",
                dir.display(),
                access_words(dir_mode & 0o022),
                dir_mode & 0o777,
                shell_quote(&dir.display().to_string())
            ));
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn trusted(_: &Path, _: &fs::Metadata) -> Result<(), String> {
    Ok(())
}

/// Who may do what, in words, from the group and other bits of a mode:
/// `0o640` "readable by group", `0o622` "writable by group and others".
pub fn access_words(mode: u32) -> String {
    let bits = |shift: u32| {
        let (r, w) = (mode >> shift & 0o4 != 0, mode >> shift & 0o2 != 0);
        match (r, w) {
            (true, true) => Some("readable and writable"),
            (true, false) => Some("readable"),
            (false, true) => Some("writable"),
            (false, false) => None,
        }
    };
    match (bits(3), bits(0)) {
        (Some(g), Some(o)) if g == o => format!("{g} by group and others"),
        (Some(g), Some(o)) => format!("{g} by group and {o} by others"),
        (Some(g), None) => format!("{g} by group"),
        (None, Some(o)) => format!("{o} by others"),
        // Execute bits only: nothing to say, but never an empty phrase.
        (None, None) => "open to group or others".to_string(),
    }
}

/// Quotes a path for a `chmod` hint only when the shell would split or expand it.
pub fn shell_quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, at: usize) -> usize {
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

    #[cfg(unix)]
    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn access_in_words() {
        for (mode, words) in [
            (0o640, "readable by group"),
            (0o604, "readable by others"),
            (0o622, "writable by group and others"),
            (0o602, "writable by others"),
            (0o666, "readable and writable by group and others"),
            (
                0o664,
                "readable and writable by group and readable by others",
            ),
            (0o611, "open to group or others"),
        ] {
            assert_eq!(access_words(mode), words, "{mode:o}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn only_a_regular_config_file_of_at_most_1_mib_is_read() {
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
        let started = std::time::Instant::now();
        for (path, kind) in [
            (fifo.as_path(), "a FIFO"),
            (Path::new("/dev/zero"), "a device"),
            (dir.path(), "a directory"),
        ] {
            let (code, message) = failure(&load(path, env(&[])).unwrap_err());
            assert_eq!(code, Code::Usage);
            assert_eq!(
                message,
                format!(
                    "the config file {} is not a regular file (it is {kind})",
                    path.display()
                )
            );
        }
        assert!(started.elapsed() < Duration::from_secs(1));

        let big = dir.path().join("big.toml");
        fs::write(&big, format!("# {}\n", "x".repeat(1 << 20))).unwrap();
        let (code, message) = failure(&load(&big, env(&[])).unwrap_err());
        assert_eq!(code, Code::Usage);
        assert_eq!(
            message,
            format!("the config file {} is larger than 1 MiB", big.display())
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_config_file_others_can_change_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("klap export");
        fs::create_dir(&folder).unwrap();
        set_mode(&folder, 0o755);
        let path = folder.join("config.toml");
        fs::write(&path, "[default]\napi_key_command = \"echo k\"\n").unwrap();
        let shown = path.display();
        let refusing = format!("refusing the config file {shown}, which can run commands:");
        for (mode, who) in [
            (0o666, "writable by group and others"),
            (0o620, "writable by group"),
            (0o602, "writable by others"),
        ] {
            set_mode(&path, mode);
            let (code, message) = failure(&load(&path, env(&[])).unwrap_err());
            assert_eq!(code, Code::Usage);
            assert_eq!(
                message,
                format!("{refusing} it is {who} (mode {mode:03o}); run: chmod go-w '{shown}'")
            );
        }
        // Readable by all is fine, as for ~/.ssh/config.
        set_mode(&path, 0o644);
        load(&path, env(&[])).unwrap();

        set_mode(&folder, 0o777);
        let (code, message) = failure(&load(&path, env(&[])).unwrap_err());
        assert_eq!(code, Code::Usage);
        assert_eq!(
            message,
            format!(
                "{refusing} its folder {0} is writable by group and others (mode 777); \
                 run: chmod go-w '{0}'",
                folder.display()
            )
        );
        // A sticky folder (as /tmp) is fine: others cannot replace what is ours.
        set_mode(&folder, 0o1777);
        load(&path, env(&[])).unwrap();
        set_mode(&folder, 0o755);

        // A link: the folder of the file it points to counts too.
        let open = dir.path().join("open");
        fs::create_dir(&open).unwrap();
        let target = open.join("real.toml");
        fs::write(&target, "[default]\n").unwrap();
        set_mode(&open, 0o757);
        let link = folder.join("link.toml");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let (_, message) = failure(&load(&link, env(&[])).unwrap_err());
        assert!(
            message.contains(&format!(
                "its folder {} is writable by others",
                open.display()
            )),
            "{message}"
        );

        // Only root can give a file away; elsewhere this case cannot be made.
        if rustix::process::geteuid().is_root() {
            std::os::unix::fs::chown(&path, Some(65534), None).unwrap();
            let (code, message) = failure(&load(&path, env(&[])).unwrap_err());
            assert_eq!(code, Code::Usage);
            assert_eq!(
                message,
                format!(
                    "{refusing} it is owned by another user (uid 65534); run: chown 0 '{shown}'"
                )
            );
        }
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
}
