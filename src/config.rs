//! Flags and environment resolved once into the context every command gets.

use std::env;
use std::ffi::OsString;
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use clap::ValueEnum;

use reqwest::Url;

use crate::api::{self, Api, Secret, is_loopback};
use crate::credentials::{self, key_file};
use crate::exit::{Code, Fail, fail};
use crate::jq;
use crate::profile::{self, Profile};
use crate::sandbox::{self, Sandbox};
use crate::say;
use crate::values::{ColorChoice, Format, Mode, Ui, parse_positive_duration};

pub const DEFAULT_BASE_URL: &str = "https://api.klap.app/v2";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_RETRIES: u32 = 3;

/// What every command gets: the API client and how to present results.
pub struct Ctx {
    pub api: Api,
    pub ui: Ui,
    /// The in-process sandbox the API points at (`--sandbox`); serves until dropped.
    sandbox: Option<Mutex<Sandbox>>,
}

/// The global options as given on the command line (`None`: not given), for
/// [`Ctx::resolve`] to complete from the environment, the profile and the defaults.
#[derive(Debug, Default)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "one field per flag, as on the command line"
)]
pub struct Flags {
    pub base_url: Option<String>,
    pub api_key_file: Option<PathBuf>,
    pub format: Option<Format>,
    pub json: bool,
    pub quiet: bool,
    pub color: Option<ColorChoice>,
    pub no_progress: bool,
    pub verbose: bool,
    pub http_timeout: Option<Duration>,
    pub retries: Option<u32>,
    pub sandbox: bool,
    pub profile: Option<String>,
    pub jq: Option<String>,
}

/// The settings of one run: flags, then environment variables, then the profile, then defaults.
pub struct Settings<'g> {
    g: &'g Flags,
    /// The profile's name, and whether the user named it (`--profile`, `KLAP_PROFILE`).
    pub profile_name: String,
    named: bool,
    pub config_path: Option<PathBuf>,
    profile: Profile,
}

/// Where the key came from, for `-v` and `auth status`; never the key.
pub struct Key {
    pub secret: Secret,
    pub source: String,
}

impl Ctx {
    /// The poll interval when none is given: `normal`, or 250 ms against the in-process
    /// sandbox (whose exports and tasks are ready after a second).
    pub fn interval(&self, given: Option<Duration>, normal: Duration) -> Duration {
        given.unwrap_or(if self.sandbox.is_some() {
            Duration::from_millis(250)
        } else {
            normal
        })
    }

    /// Whether the API is the in-process sandbox (gone when this run ends).
    pub fn is_sandbox(&self) -> bool {
        self.sandbox.is_some()
    }

    pub fn resolve(g: &Flags) -> anyhow::Result<Ctx> {
        let s = Settings::load(g)?;
        let ui = s.ui()?;
        if g.sandbox {
            let started = Sandbox::start("127.0.0.1:0", &sandbox::Options::default())?;
            let key = Secret::new("sandbox");
            let api = s.api(started.base_url(), key)?;
            return Ok(Ctx {
                api,
                ui,
                sandbox: Some(Mutex::new(started)),
            });
        }
        let base_url = s.base_url()?;
        let key = s.key()?;
        crate::text::hide(key.secret.expose());
        if g.verbose {
            say!("klap-export: API key from {}", key.source);
        }
        Ok(Ctx {
            api: s.api(base_url, key.secret)?,
            ui,
            sandbox: None,
        })
    }
}

fn var(name: &str) -> Option<OsString> {
    env::var_os(name).filter(|v| !v.is_empty())
}

/// An environment variable's value as text, or a usage error naming it.
fn var_text(name: &str) -> anyhow::Result<Option<String>> {
    var(name)
        .map(|v| {
            v.into_string()
                .map_err(|_| fail(Code::Usage, format!("{name} is not valid UTF-8")))
        })
        .transpose()
}

impl<'g> Settings<'g> {
    /// Reads the config file and picks the profile. A broken file or a missing named
    /// profile is a usage error.
    pub fn load(g: &'g Flags) -> anyhow::Result<Settings<'g>> {
        let named = g
            .profile
            .clone()
            .map(Ok)
            .or_else(|| var_text("KLAP_PROFILE").transpose());
        let (profile_name, named) = match named.transpose()? {
            Some(name) => (name, true),
            None => ("default".to_string(), false),
        };
        let config_path = profile::config_path(var);
        let config = match &config_path {
            Some(path) => profile::load(path, var)?,
            None => profile::Config::default(),
        };
        let profile = profile::profile(&config, &profile_name, named)?;
        Ok(Settings {
            g,
            profile_name,
            named,
            config_path,
            profile,
        })
    }

    /// Flag, else the variable (parsed, errors name it), else the profile's value.
    fn pick<T>(
        &self,
        flag: Option<T>,
        name: &str,
        parse: impl Fn(&str) -> Result<T, String>,
        from_profile: Option<T>,
    ) -> anyhow::Result<Option<T>> {
        if flag.is_some() {
            return Ok(flag);
        }
        if let Some(text) = var_text(name)? {
            let value =
                parse(&text).map_err(|e| fail(Code::Usage, format!("{name}={text}: {e}")))?;
            if self.named && from_profile.is_some() && self.g.verbose {
                say!(
                    "klap-export: {name} overrides the profile '{}'",
                    self.profile_name
                );
            }
            return Ok(Some(value));
        }
        Ok(from_profile)
    }

    pub fn base_url(&self) -> anyhow::Result<Url> {
        let text = self
            .pick(
                self.g.base_url.clone(),
                "KLAP_BASE_URL",
                |s| Ok(s.to_string()),
                self.profile.base_url.clone(),
            )?
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        parse_base_url(&text)
    }

    pub fn ui(&self) -> anyhow::Result<Ui> {
        let g = self.g;
        let format = self
            .pick(
                g.format,
                "KLAP_FORMAT",
                |s| Format::from_str(s, true),
                self.profile.format,
            )?
            .unwrap_or(Format::Table);
        let color = g.color.or(self.profile.color).unwrap_or(ColorChoice::Auto);
        let stdout_tty = io::stdout().is_terminal();
        let stderr_tty = io::stderr().is_terminal();
        let progress = if g.quiet || g.no_progress {
            Mode::Off
        } else if stderr_tty && var("CI").is_none() {
            Mode::Terminal
        } else {
            Mode::Plain
        };
        let jq =
            g.jq.as_deref()
                .map(|expr| {
                    jq::Filter::compile(expr)
                        .map(|f| &*Box::leak(Box::new(f)))
                        .map_err(|e| fail(Code::Usage, format!("--jq: {e}")))
                })
                .transpose()?;
        Ok(Ui {
            format: match (g.quiet, g.json || jq.is_some()) {
                (true, _) => Format::Refs,
                (false, true) => Format::Json,
                (false, false) => format,
            },
            jq,
            color: use_color(color, stdout_tty),
            color_stderr: use_color(color, stderr_tty),
            stdout_tty,
            progress,
        })
    }

    pub fn api(&self, base_url: Url, key: Secret) -> anyhow::Result<Api> {
        let g = self.g;
        let timeout = self
            .pick(
                g.http_timeout,
                "KLAP_HTTP_TIMEOUT",
                parse_positive_duration,
                self.profile.http_timeout,
            )?
            .unwrap_or(DEFAULT_TIMEOUT);
        let retries = self
            .pick(
                g.retries,
                "KLAP_RETRIES",
                |s| s.trim().parse::<u32>().map_err(|e| e.to_string()),
                self.profile.retries,
            )?
            .unwrap_or(DEFAULT_RETRIES);
        Api::new(api::Options {
            base_url,
            key,
            verbose: g.verbose,
            retries,
            timeout,
        })
    }

    /// The stored-key file of `auth login` (beside the config file).
    pub fn credentials_path(&self) -> anyhow::Result<PathBuf> {
        self.config_path
            .as_deref()
            .map(credentials::credentials_path)
            .ok_or_else(|| {
                fail(
                    Code::Auth,
                    "no place for the credentials file: set HOME, XDG_CONFIG_HOME or KLAP_CONFIG",
                )
            })
    }

    /// The key: `--api-key-file`, `KLAP_API_KEY`, `KLAP_API_KEY_FILE`, then the profile's
    /// `api_key_command`, its `api_key_file`, and the key `auth login` stored.
    pub fn key(&self) -> anyhow::Result<Key> {
        self.find_key()?.ok_or_else(|| {
            Fail::new(Code::Auth, "no API key")
                .hint("set KLAP_API_KEY, run `klap-export auth login`, or see `klap-export --help`")
                .into()
        })
    }

    /// The source that `auth login`'s stored key comes after, when one is set: a stored key
    /// does not apply while it is, and the user should hear so.
    pub fn key_source_before_stored(&self) -> Option<String> {
        let name = &self.profile_name;
        if self.g.api_key_file.is_some() {
            Some("--api-key-file".into())
        } else if let Some(variable) = ["KLAP_API_KEY", "KLAP_API_KEY_FILE"]
            .into_iter()
            .find(|v| var(v).is_some())
        {
            Some(variable.into())
        } else if self.profile.api_key_command.is_some() {
            Some(format!("the api_key_command of profile '{name}'"))
        } else if self.profile.api_key_file.is_some() {
            Some(format!("the api_key_file of profile '{name}'"))
        } else {
            None
        }
    }

    /// As [`Settings::key`], with `None` when no source gives a key.
    pub fn find_key(&self) -> anyhow::Result<Option<Key>> {
        let p = &self.profile;
        let name = &self.profile_name;
        let (key, source) = if let Some(path) = &self.g.api_key_file {
            (
                key_file(path)?,
                format!("--api-key-file {}", path.display()),
            )
        } else if let Some(key) = var("KLAP_API_KEY") {
            let key = key
                .into_string()
                .map_err(|_| fail(Code::Auth, "KLAP_API_KEY is not valid UTF-8"))?;
            (key, "KLAP_API_KEY".to_string())
        } else if let Some(path) = var("KLAP_API_KEY_FILE") {
            let path = PathBuf::from(path);
            (
                key_file(&path)?,
                format!("KLAP_API_KEY_FILE ({})", path.display()),
            )
        } else if let Some(cmd) = &p.api_key_command {
            let key = credentials::run_key_command(cmd, key_command_limit())?;
            (key, format!("the api_key_command of profile '{name}'"))
        } else if let Some(path) = &p.api_key_file {
            let source = format!("the api_key_file of profile '{name}' ({})", path.display());
            (key_file(path)?, source)
        } else if let Some(path) = self
            .config_path
            .as_deref()
            .map(credentials::credentials_path)
            && let Some(key) = credentials::read_stored_key(&path, name)?
        {
            (
                key,
                format!("the key stored for profile '{name}' ({})", path.display()),
            )
        } else {
            (String::new(), String::new())
        };
        let key = key.trim();
        if key.is_empty() && !source.is_empty() {
            return Err(fail(Code::Auth, format!("no API key: {source} is empty")));
        }
        if key.is_empty() {
            return Ok(None);
        }
        if self.named
            && self.g.api_key_file.is_none()
            && source.starts_with("KLAP_")
            && self.g.verbose
        {
            say!("klap-export: {source} overrides the key of profile '{name}'");
        }
        Ok(Some(Key {
            secret: Secret::new(key),
            source,
        }))
    }
}

/// How long `api_key_command` may take. Debug builds (the tests) may shorten it with
/// `KLAP_TEST_KEY_COMMAND_LIMIT` (a DURATION); release builds never read it.
fn key_command_limit() -> Duration {
    #[cfg(debug_assertions)]
    if let Some(limit) = var_text("KLAP_TEST_KEY_COMMAND_LIMIT")
        .ok()
        .flatten()
        .and_then(|v| parse_positive_duration(&v).ok())
    {
        return limit.min(credentials::KEY_COMMAND_LIMIT);
    }
    credentials::KEY_COMMAND_LIMIT
}

fn use_color(choice: ColorChoice, tty: bool) -> bool {
    let word = match choice {
        ColorChoice::Always => "always",
        ColorChoice::Never => "never",
        ColorChoice::Auto => "auto",
    };
    crate::text::color_wanted(Some(word), tty)
}

/// An absolute http(s) URL; plain http only to a loopback host, since the key goes there.
/// A password in it is never echoed, and never sent (it would be a second Authorization).
fn parse_base_url(s: &str) -> anyhow::Result<Url> {
    // `localhost:8787` parses with the scheme "localhost", `127.0.0.1:8787/v2` not at all:
    // either way the fix is the same.
    if !s.contains("://") {
        return Err(fail(
            Code::Usage,
            format!(
                "invalid base URL '{}': add http:// or https://",
                without_userinfo(s)
            ),
        ));
    }
    let url = Url::parse(s).map_err(|e| {
        fail(
            Code::Usage,
            format!("invalid base URL '{}': {e}", without_userinfo(s)),
        )
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(fail(
            Code::Usage,
            "the base URL must not contain user:password@",
        ));
    }
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
            format!(
                "invalid base URL '{}': scheme '{other}' is not http(s)",
                without_userinfo(s)
            ),
        )),
    }
}

/// The URL text with any `user:password@` in its authority replaced by `***@`.
fn without_userinfo(s: &str) -> String {
    let start = s.find("://").map_or(0, |i| i + 3);
    let end = s[start..]
        .find(['/', '?', '#'])
        .map_or(s.len(), |i| start + i);
    match s[start..end].rfind('@') {
        Some(at) => format!("{}***{}", &s[..start], &s[start + at..]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_never_echoed() {
        assert_eq!(
            without_userinfo("https://u:pw@h/v2?x@y"),
            "https://***@h/v2?x@y"
        );
        assert_eq!(without_userinfo("u:pw@h:1/v2"), "***@h:1/v2");
        assert_eq!(without_userinfo("https://h/v2/a@b"), "https://h/v2/a@b");
        for text in [
            "https://u:pw@h/v2",
            "https://u@h/v2",
            "u:pw@h/v2",
            "ftp://u:pw@h",
        ] {
            let e = format!("{:#}", parse_base_url(text).unwrap_err());
            assert!(!e.contains("pw") && !e.contains("u@"), "{e}");
        }
    }
}
