//! Flags and environment resolved once into the context every command gets.

use std::env;
use std::io::{self, IsTerminal, Read};
use std::net::IpAddr;
use std::path::Path;

use reqwest::Url;
use url::Host;

use crate::api::{self, Api, Secret};
use crate::cli::{ColorChoice, Format, Global};
use crate::exit::{Code, Fail, fail};
use crate::progress::Mode;
use crate::sandbox::{self, Sandbox};

pub const DEFAULT_BASE_URL: &str = "https://api.klap.app/v2";

/// What every command gets: the API client and how to present results.
pub struct Ctx {
    pub api: Api,
    pub ui: Ui,
    /// The in-process sandbox the API points at (`--sandbox`); serves until dropped.
    _sandbox: Option<Sandbox>,
}

/// Presentation settings, decided once.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// What stdout gets: a format, or refs only (`-q`).
    pub format: Format,
    /// Colour on stdout (tables).
    pub color: bool,
    /// Colour on stderr (spinners, bars).
    pub color_stderr: bool,
    pub stdout_tty: bool,
    pub progress: Mode,
}

impl Ctx {
    pub fn resolve(g: &Global) -> anyhow::Result<Ctx> {
        let (sandbox, base_url, key) = if g.sandbox {
            let started = Sandbox::start("127.0.0.1:0", sandbox::Options::default())?;
            let base_url = started.base_url();
            (Some(started), base_url, Secret::new("sandbox"))
        } else {
            let base_url = parse_base_url(g.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
            (None, base_url, read_key(g.api_key_file.as_deref())?)
        };
        let api = Api::new(api::Options {
            base_url,
            key,
            verbose: g.verbose,
            retries: g.retries,
            timeout: g.http_timeout,
        })?;
        Ok(Ctx {
            api,
            ui: Ui::resolve(g),
            _sandbox: sandbox,
        })
    }
}

impl Ui {
    pub fn resolve(g: &Global) -> Ui {
        let stdout_tty = io::stdout().is_terminal();
        let stderr_tty = io::stderr().is_terminal();
        let progress = if g.quiet || g.no_progress {
            Mode::Off
        } else if stderr_tty && env::var_os("CI").is_none() {
            Mode::Terminal
        } else {
            Mode::Plain
        };
        Ui {
            format: match (g.quiet, g.json) {
                (true, _) => Format::Refs,
                (false, true) => Format::Json,
                (false, false) => g.format,
            },
            color: use_color(g.color, stdout_tty),
            color_stderr: use_color(g.color, stderr_tty),
            stdout_tty,
            progress,
        }
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
