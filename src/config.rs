//! Flags and environment resolved once into the context every command gets.

use std::env;
use std::ffi::OsString;
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use reqwest::Url;

use crate::api::{self, Api, Secret, is_loopback};
use crate::credentials::{self, key_file};
use crate::exit::{Code, Fail, fail};
use crate::jq;
use crate::profile::{self, Profile};
use crate::sandbox::{self, Sandbox};
use crate::say;
use crate::text::without_userinfo;
use crate::values::{ColorChoice, Format, Mode, Ui, parse_format, parse_positive_duration};

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
    /// Named by the `--profile` flag: its settings come before the variables.
    profile_flag: bool,
    pub config_path: Option<PathBuf>,
    /// Where `auth login` stores keys (`None` when no variable names a place).
    pub credentials_path: Option<PathBuf>,
    profile: Profile,
}

/// Where the key came from, for `-v` and `auth status`; never the key.
pub struct Key {
    pub secret: Secret,
    pub source: String,
    /// The key variables that were set but not used, because an explicit `--profile` put
    /// its own key first.
    pub set_aside: Vec<&'static str>,
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
            let mut aside = s.settings_set_aside();
            aside.extend(&key.set_aside);
            if !aside.is_empty() {
                say!(
                    "klap-export: --profile {} sets aside {}",
                    s.profile_name,
                    aside.join(", ")
                );
            }
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
        Settings::load_for(g, false)
    }

    /// As [`Settings::load`]; `new_profile`: the profile may exist nowhere yet (`auth login`
    /// creates it by storing its key, `auth logout` finds nothing to remove).
    pub fn load_for(g: &'g Flags, new_profile: bool) -> anyhow::Result<Settings<'g>> {
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
        let credentials_path = credentials::credentials_path(var);
        // A profile exists when the config file has its table or a key is stored for it.
        let stored = |name: &str| {
            credentials_path
                .as_deref()
                .is_some_and(|path| credentials::has_stored_key(path, name))
        };
        let profile = match profile::profile(&config, &profile_name, named) {
            Ok(profile) => profile,
            Err(_) if new_profile || stored(&profile_name) => Profile::default(),
            Err(e) => {
                let Ok(f) = e.downcast::<Fail>() else {
                    return Err(fail(Code::Usage, format!("no profile '{profile_name}'")));
                };
                let message = format!("{} and no key stored for it", f.message);
                return Err(Fail::new(f.code, message)
                    .hint(format!(
                        "`klap-export auth login --profile {}` creates it",
                        profile::shell_quote(&profile_name)
                    ))
                    .into());
            }
        };
        Ok(Settings {
            g,
            profile_name,
            named,
            profile_flag: g.profile.is_some(),
            config_path,
            credentials_path,
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
        if self.profile_flag && from_profile.is_some() {
            return Ok(from_profile);
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
            .pick(g.format, "KLAP_FORMAT", parse_format, self.profile.format)?
            .unwrap_or(Format::Table);
        let color = g.color.or(self.profile.color).unwrap_or(ColorChoice::Auto);
        let stdout_tty = io::stdout().is_terminal();
        let stderr_tty = io::stderr().is_terminal();
        let progress = if g.quiet || g.no_progress {
            Mode::Off
        } else if stderr_tty && var("CI").is_none() && !crate::text::dumb_terminal() {
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

    /// The stored-key file of `auth login`, or an error saying how to name one.
    pub fn credentials_file(&self) -> anyhow::Result<PathBuf> {
        self.credentials_path.clone().ok_or_else(|| {
            fail(
                Code::Auth,
                "no place for the credentials file: set HOME, XDG_CONFIG_HOME or KLAP_CREDENTIALS_FILE",
            )
        })
    }

    /// The key: `--api-key-file`, `KLAP_API_KEY`, `KLAP_API_KEY_FILE`, then the profile's
    /// `api_key_command`, its `api_key_file`, and the key `auth login` stored. An explicit
    /// `--profile` flag puts the profile's sources before the variables.
    pub fn key(&self) -> anyhow::Result<Key> {
        self.find_key()?.ok_or_else(|| self.no_key().into())
    }

    /// "no API key", saying why when a variable is set but empty, with hints that keep
    /// the profile.
    pub fn no_key(&self) -> Fail {
        let profile = self.profile_arg();
        let empty = ["KLAP_API_KEY", "KLAP_API_KEY_FILE"]
            .into_iter()
            .find(|v| env::var_os(v).is_some_and(|v| v.is_empty()));
        let message = match empty {
            Some(v) => format!("no API key: {v} is set but empty"),
            None => "no API key".to_string(),
        };
        Fail::new(Code::Auth, message).hint(format!(
            "set KLAP_API_KEY, run `klap-export auth login{profile}`, or see `klap-export --help`"
        ))
    }

    /// ` --profile NAME` for a hint's command, so that pasted it acts on this profile; empty
    /// for `default`.
    pub fn profile_arg(&self) -> String {
        if self.profile_name == "default" {
            String::new()
        } else {
            format!(" --profile {}", profile::shell_quote(&self.profile_name))
        }
    }

    /// The key sources in the order they apply.
    fn key_sources(&self) -> Vec<KeySource> {
        let mut env = Vec::new();
        if var("KLAP_API_KEY").is_some() {
            env.push(KeySource::Variable);
        }
        if let Some(path) = var("KLAP_API_KEY_FILE") {
            env.push(KeySource::VariableFile(PathBuf::from(path)));
        }
        let mut own = Vec::new();
        if let Some(cmd) = &self.profile.api_key_command {
            own.push(KeySource::Command(cmd.clone()));
        }
        if let Some(path) = &self.profile.api_key_file {
            own.push(KeySource::ProfileFile(path.clone()));
        }
        if let Some(path) = &self.credentials_path {
            own.push(KeySource::Stored(path.clone()));
        }
        let mut sources: Vec<KeySource> = self
            .g
            .api_key_file
            .iter()
            .map(|p| KeySource::Flag(p.clone()))
            .collect();
        if self.profile_flag {
            sources.extend(own);
            sources.extend(env);
        } else {
            sources.extend(env);
            sources.extend(own);
        }
        sources
    }

    /// The source that `auth login`'s stored key comes after, when one is set: a stored key
    /// does not apply while it is, and the user should hear so.
    pub fn key_source_before_stored(&self) -> Option<String> {
        self.key_sources()
            .into_iter()
            .take_while(|s| !matches!(s, KeySource::Stored(_)))
            .map(|s| self.describe(&s))
            .next()
    }

    fn describe(&self, source: &KeySource) -> String {
        let name = &self.profile_name;
        match source {
            KeySource::Flag(path) => format!("--api-key-file {}", path.display()),
            KeySource::Variable => "KLAP_API_KEY".into(),
            KeySource::VariableFile(path) => format!("KLAP_API_KEY_FILE ({})", path.display()),
            KeySource::Command(_) => format!("the api_key_command of profile '{name}'"),
            KeySource::ProfileFile(path) => {
                format!("the api_key_file of profile '{name}' ({})", path.display())
            }
            KeySource::Stored(path) => {
                format!("the key stored for profile '{name}' ({})", path.display())
            }
        }
    }

    /// The key one source gives (`None`: it has none, as a profile with no stored key).
    fn key_from(&self, source: &KeySource) -> anyhow::Result<Option<String>> {
        let from_file = |path: &PathBuf| {
            let (key, warning) = key_file(path)?;
            if let Some(warning) = warning {
                say!("klap-export: warning: {warning}");
            }
            anyhow::Ok(Some(key))
        };
        match source {
            KeySource::Flag(path)
            | KeySource::VariableFile(path)
            | KeySource::ProfileFile(path) => from_file(path),
            KeySource::Variable => var("KLAP_API_KEY")
                .map(|key| {
                    key.into_string()
                        .map_err(|_| fail(Code::Auth, "KLAP_API_KEY is not valid UTF-8"))
                })
                .transpose(),
            KeySource::Command(cmd) => {
                credentials::run_key_command(cmd, key_command_limit()).map(Some)
            }
            KeySource::Stored(path) => credentials::read_stored_key(path, &self.profile_name),
        }
    }

    /// As [`Settings::key`], with `None` when no source gives a key.
    pub fn find_key(&self) -> anyhow::Result<Option<Key>> {
        let sources = self.key_sources();
        for (at, source) in sources.iter().enumerate() {
            let Some(key) = self.key_from(source)? else {
                continue;
            };
            let described = self.describe(source);
            let key = key.trim();
            if key.is_empty() {
                return Err(fail(
                    Code::Auth,
                    format!("no API key: {described} is empty"),
                ));
            }
            credentials::check_key_text(key)
                .map_err(|why| fail(Code::Auth, format!("{why} ({described})")))?;
            let from_profile = matches!(
                source,
                KeySource::Command(_) | KeySource::ProfileFile(_) | KeySource::Stored(_)
            );
            // The variables this key came before, when the profile put it there.
            let passed_over = sources[at + 1..]
                .iter()
                .filter_map(|s| match s {
                    KeySource::Variable => Some("KLAP_API_KEY"),
                    KeySource::VariableFile(_) => Some("KLAP_API_KEY_FILE"),
                    _ => None,
                })
                .filter(|_| from_profile && self.profile_flag)
                .collect();
            if self.named
                && !self.profile_flag
                && matches!(source, KeySource::Variable | KeySource::VariableFile(_))
                && self.g.verbose
                && sources
                    .iter()
                    .any(|s| matches!(s, KeySource::Command(_) | KeySource::ProfileFile(_)))
            {
                say!(
                    "klap-export: {described} overrides the key of profile '{}'",
                    self.profile_name
                );
            }
            return Ok(Some(Key {
                secret: Secret::new(key),
                source: described,
                set_aside: passed_over,
            }));
        }
        Ok(None)
    }

    /// The variables an explicit `--profile` set aside for its own settings (not the key's:
    /// see [`Key::set_aside`]).
    pub fn settings_set_aside(&self) -> Vec<&'static str> {
        if !self.profile_flag {
            return Vec::new();
        }
        let (g, p) = (self.g, &self.profile);
        [
            (
                "KLAP_BASE_URL",
                g.base_url.is_none() && p.base_url.is_some(),
            ),
            ("KLAP_FORMAT", g.format.is_none() && p.format.is_some()),
            (
                "KLAP_HTTP_TIMEOUT",
                g.http_timeout.is_none() && p.http_timeout.is_some(),
            ),
            ("KLAP_RETRIES", g.retries.is_none() && p.retries.is_some()),
        ]
        .into_iter()
        .filter(|(name, lifted)| *lifted && var(name).is_some())
        .map(|(name, _)| name)
        .collect()
    }
}

/// Where a key may come from, in [`Settings::key_sources`] order.
enum KeySource {
    Flag(PathBuf),
    Variable,
    VariableFile(PathBuf),
    Command(String),
    ProfileFile(PathBuf),
    Stored(PathBuf),
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
