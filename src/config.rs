//! Flags and environment resolved once into settings the rest of the code trusts.

use std::env;
use std::fmt;
use std::io::{self, IsTerminal, Read};
use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use reqwest::Url;
use url::Host;

use crate::cli::{ColorChoice, Format, Global};
use crate::exit::{Code, Fail, fail};

pub const DEFAULT_BASE_URL: &str = "https://api.klap.app/v2";

/// The API key. Its `Debug` and `Display` never show it.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(key: impl Into<String>) -> Self {
        Secret(key.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How `wait` and `download` show progress on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Nothing but errors.
    Off,
    /// One line per change; for logs and CI.
    Plain,
    /// indicatif spinners and bars.
    Terminal,
}

#[derive(Debug)]
pub struct Settings {
    pub base_url: Url,
    pub key: Secret,
    pub format: Format,
    pub quiet: bool,
    /// Colour on stdout (tables) and on stderr (spinners).
    pub color: bool,
    pub color_stderr: bool,
    pub stdout_tty: bool,
    pub progress: Progress,
    pub verbose: bool,
    pub http_timeout: Duration,
    pub retries: u32,
}

impl Settings {
    /// `base_url` and `key` are given when the command runs on an in-process sandbox.
    pub fn resolve(g: &Global, sandbox: Option<(Url, Secret)>) -> anyhow::Result<Settings> {
        let stdout_tty = io::stdout().is_terminal();
        let stderr_tty = io::stderr().is_terminal();
        let (base_url, key) = match sandbox {
            Some(pair) => pair,
            None => {
                let base_url = parse_base_url(g.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
                (base_url, read_key(g.api_key_file.as_deref())?)
            }
        };
        let progress = if g.quiet || g.no_progress {
            Progress::Off
        } else if stderr_tty && env::var_os("CI").is_none() {
            Progress::Terminal
        } else {
            Progress::Plain
        };
        Ok(Settings {
            base_url,
            key,
            format: if g.json { Format::Json } else { g.format },
            quiet: g.quiet,
            color: use_color(g.color, stdout_tty),
            color_stderr: use_color(g.color, stderr_tty),
            stdout_tty,
            progress,
            verbose: g.verbose,
            http_timeout: g.http_timeout,
            retries: g.retries,
        })
    }
}

fn use_color(choice: ColorChoice, tty: bool) -> bool {
    let var = |name| env::var_os(name).filter(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            var("NO_COLOR").is_none() && (tty || var("CLICOLOR_FORCE").is_some_and(|v| v != "0"))
        }
    }
}

/// An absolute http(s) URL; plain http only to a loopback host, since the key goes there.
fn parse_base_url(s: &str) -> anyhow::Result<Url> {
    let url =
        Url::parse(s).map_err(|e| fail(Code::Usage, format!("invalid base URL '{s}': {e}")))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(fail(
            Code::Usage,
            format!(
                "refusing to send the API key over plain http to '{}': use https",
                url.host_str().unwrap_or("")
            ),
        )),
        other => Err(fail(
            Code::Usage,
            format!("invalid base URL '{s}': scheme '{other}' is not http(s)"),
        )),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// `--api-key-file`, then `KLAP_API_KEY`, then `KLAP_API_KEY_FILE`; empty ones are skipped.
fn read_key(flag: Option<&Path>) -> anyhow::Result<Secret> {
    let set = |name| env::var_os(name).filter(|v| !v.is_empty());
    let key = if let Some(path) = flag {
        read_key_file(path)?
    } else if let Some(key) = set("KLAP_API_KEY") {
        key.into_string()
            .map_err(|_| fail(Code::Auth, "KLAP_API_KEY is not valid UTF-8"))?
    } else if let Some(path) = set("KLAP_API_KEY_FILE") {
        read_key_file(Path::new(&path))?
    } else {
        String::new()
    };
    let key = key.trim();
    if key.is_empty() {
        return Err(Fail::new(Code::Auth, "no API key")
            .hint("set KLAP_API_KEY, KLAP_API_KEY_FILE or --api-key-file")
            .into());
    }
    Ok(Secret::new(key))
}

fn read_key_file(path: &Path) -> anyhow::Result<String> {
    let mut key = String::new();
    if path == Path::new("-") {
        io::stdin().read_to_string(&mut key).map_err(|e| {
            fail(
                Code::Auth,
                format!("cannot read the API key from stdin: {e}"),
            )
        })?;
    } else {
        key = std::fs::read_to_string(path).map_err(|e| {
            fail(
                Code::Auth,
                format!("cannot read the API key file {}: {e}", path.display()),
            )
        })?;
    }
    Ok(key)
}
