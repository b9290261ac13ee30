//! `auth login|status|logout`: the key `auth login` stores for a profile, and a check of
//! whichever key applies. Messages go to stderr; only `status` prints data on stdout.

use std::io::{self, IsTerminal};
use std::path::Path;

use serde_json::json;

use crate::api::{Api, Secret};
use crate::cli::{AuthAction, AuthArgs};
use crate::config::{Flags, Settings};
use crate::credentials;
use crate::exit::{Code, Fail, code_of, fail};
use crate::output::{self, Plain, Shape};
use crate::say;
use crate::text::sanitize;

/// A project ID no export has: listing its exports costs the API one empty answer, and tells
/// whether it accepts the key.
const CHECK_PROJECT: &str = "klap-export-auth-check";

pub fn run(a: &AuthArgs, g: &Flags) -> anyhow::Result<()> {
    let new_profile = matches!(a.action, AuthAction::Login { .. } | AuthAction::Logout);
    let s = Settings::load_for(g, new_profile)?;
    match a.action {
        AuthAction::Login { no_verify } => login(&s, no_verify),
        AuthAction::Status => status(&s),
        AuthAction::Logout => logout(&s),
    }
}

/// What the API said of a key. The texts are the error without the request's method and URL,
/// with the key blanked should the server have echoed it.
enum Check {
    Accepted,
    /// 401 or 403: `HTTP 401: message`.
    Refused(String),
    /// Network, 5xx, anything else: the key was not checked.
    Failed(String),
    /// A success that is not a JSON array (an HTML page, another API): a wrong base URL
    /// would otherwise "accept" any key.
    NotApi,
}

const NOT_API: &str = "not the Klap API at this base URL";
/// What [`NOT_API`] means, for the messages.
const NOT_API_WHY: &str = "its answer to GET /exports is not a JSON array";

/// One GET, not retried: a check should answer at once, and `status` says what failed.
fn check(api: &Api, key: &Secret) -> Check {
    let url = api.list_url(None, Some(CHECK_PROJECT));
    let e = match api.get_once(&url) {
        Ok(body) => {
            let array =
                serde_json::from_str::<serde_json::Value>(&body).is_ok_and(|v| v.is_array());
            return if array {
                Check::Accepted
            } else {
                Check::NotApi
            };
        }
        Err(e) => e,
    };
    let text = format!("{:#}", e.error);
    let prefix = format!("GET {url}: ");
    let text = text.strip_prefix(&prefix).unwrap_or(&text);
    let text = if key.expose().is_empty() {
        text.to_string()
    } else {
        text.replace(key.expose(), "***")
    };
    if code_of(&e.error) == Code::Auth {
        Check::Refused(text)
    } else {
        Check::Failed(text)
    }
}

fn login(s: &Settings, no_verify: bool) -> anyhow::Result<()> {
    // Everything that can be wrong with the settings is found before the user types a key.
    let path = s.credentials_file()?;
    credentials::check_folder(credentials::folder_of(&path))?;
    let base_url = s.base_url()?;
    let name = sanitize(&s.profile_name);
    let key = read_new_key(&name)?;
    if key.is_empty() {
        return Err(fail(Code::Auth, "no key given; nothing was stored"));
    }
    credentials::check_key_text(&key)
        .map_err(|why| fail(Code::Auth, format!("{why}; nothing was stored")))?;
    let secret = Secret::new(key.as_str());
    // Built even with --no-verify: it refuses a key that cannot go in a header.
    let api = s.api(base_url, secret.clone())?;
    if !no_verify {
        match check(&api, &secret) {
            Check::Accepted => {}
            Check::Refused(why) => {
                return Err(fail(
                    Code::Auth,
                    format!("the API refused the key ({why}); nothing was stored"),
                ));
            }
            Check::NotApi => {
                return Err(Fail::new(
                    Code::Error,
                    format!("{NOT_API} ({NOT_API_WHY}); nothing was stored"),
                )
                .hint("check --base-url, KLAP_BASE_URL or the profile's base_url")
                .into());
            }
            Check::Failed(why) => {
                return Err(Fail::new(
                    Code::Error,
                    format!("could not check the key: {why}; nothing was stored"),
                )
                .hint(format!(
                    "`klap-export auth login{} --no-verify` stores it without the check",
                    s.profile_arg()
                ))
                .into());
            }
        }
    }
    credentials::store_key(&path, &s.profile_name, &key)?;
    say!(
        "klap-export: stored the key for profile '{name}' in {}",
        sanitize(&path.display().to_string())
    );
    if let Some(source) = s.key_source_before_stored() {
        say!("klap-export: note: {source} is set and comes before the stored key");
    }
    Ok(())
}

/// The key from stdin when it is piped (trimmed, at most 4 KiB, as key files), else typed
/// at a prompt without echo.
fn read_new_key(profile_name: &str) -> anyhow::Result<String> {
    if !io::stdin().is_terminal() {
        return credentials::read_key_file(Path::new("-"));
    }
    let config = rpassword::ConfigBuilder::new()
        .output_writer(io::stderr())
        .build();
    let key = rpassword::prompt_password_with_config(
        format!("API key for profile '{profile_name}': "),
        config,
    )
    .map_err(|e| {
        // Enter ends the prompt's line; Ctrl-D or an error does not: the error needs its own.
        eprintln!();
        if e.kind() == io::ErrorKind::UnexpectedEof {
            fail(Code::Auth, "no key given; nothing was stored")
        } else {
            fail(Code::Auth, format!("cannot read the key: {e}"))
        }
    })?;
    if key.len() > credentials::KEY_CAP {
        return Err(fail(Code::Auth, "the key is larger than 4 KiB"));
    }
    Ok(key.trim().to_string())
}

/// The whole block is printed whatever fails in finding the key: that is when it is needed.
fn status(s: &Settings) -> anyhow::Result<()> {
    let ui = s.ui()?;
    let base_url = s.base_url()?;
    let (key, key_error) = match s.find_key() {
        Ok(key) => (key, None),
        Err(e) => (None, Some(e)),
    };
    let checked = match &key {
        Some(key) => Some(check(
            &s.api(base_url.clone(), key.secret.clone())?,
            &key.secret,
        )),
        None => None,
    };
    let config = s.config_path.as_deref();
    let found = config.is_some_and(Path::exists);
    let credentials = s.credentials_path.as_deref();
    let why_no_key = key_error.as_ref().map(|e| format!("{e:#}"));
    let (api, detail) = match &checked {
        Some(Check::Accepted) => ("accepted", None),
        Some(Check::Refused(why)) => ("refused", Some(why.as_str())),
        Some(Check::Failed(why)) => ("not checked", Some(why.as_str())),
        Some(Check::NotApi) => (NOT_API, Some(NOT_API_WHY)),
        None => (
            "not checked",
            Some(why_no_key.as_deref().unwrap_or("no key")),
        ),
    };
    let source = key.as_ref().map(|k| k.source.as_str());
    let mut set_aside = s.settings_set_aside();
    if let Some(key) = &key {
        set_aside.extend(&key.set_aside);
    }
    let value = json!({
        "profile": s.profile_name,
        "config_file": config.map(|p| p.display().to_string()),
        "config_file_found": found,
        "credentials_file": credentials.map(|p| p.display().to_string()),
        "base_url": base_url.as_str(),
        "key_source": source,
        "set_aside": set_aside,
        "api": api,
        "detail": detail,
    });
    let (config, credentials) = (file_line(config), file_line(credentials));
    let source = match (source, &why_no_key) {
        (Some(source), _) => source.to_string(),
        (None, Some(why)) => format!("failed: {why}"),
        (None, None) => "none".into(),
    };
    let api = match (&checked, detail) {
        (Some(Check::Failed(_)), Some(why)) => format!("{api}: {why}"),
        (None, Some(_)) if key_error.is_some() => format!("{api} (no key)"),
        (_, Some(why)) => format!("{api} ({why})"),
        (_, None) => api.to_string(),
    };
    let aside = (!set_aside.is_empty())
        .then(|| format!("{} (by --profile {})", set_aside.join(", "), s.profile_name));
    let mut lines = vec![
        ("profile", s.profile_name.as_str()),
        ("config file", &config),
        ("credentials", &credentials),
        ("base URL", base_url.as_str()),
        ("key source", &source),
    ];
    if let Some(aside) = &aside {
        lines.push(("set aside", aside));
    }
    lines.push(("API", &api));
    let lines = lines
        .iter()
        .map(|(label, value)| format!("{:<12} {}", format!("{label}:"), sanitize(value)))
        .collect();
    // `-q`: the exit code says it all.
    output::print(
        ui,
        &mut Plain {
            shape: Shape::Object,
            json: vec![value.to_string()],
            lines,
            refs: Vec::new(),
        },
    )?;
    if let Some(e) = key_error {
        return Err(e);
    }
    match checked {
        Some(Check::Accepted) => Ok(()),
        Some(Check::Refused(_)) => Err(fail(Code::Auth, "the API refused the key")),
        Some(Check::Failed(why)) => {
            Err(fail(Code::Error, format!("could not check the key: {why}")))
        }
        Some(Check::NotApi) => Err(fail(Code::Error, format!("{NOT_API} ({NOT_API_WHY})"))),
        None => Err(s.no_key().into()),
    }
}

/// A file of `auth status`: its path, and whether it is there.
fn file_line(path: Option<&Path>) -> String {
    match path {
        Some(p) if p.exists() => p.display().to_string(),
        Some(p) => format!("{} (not found)", p.display()),
        None => "none".into(),
    }
}

fn logout(s: &Settings) -> anyhow::Result<()> {
    let path = s.credentials_file()?;
    let shown = sanitize(&path.display().to_string()).into_owned();
    let name = sanitize(&s.profile_name);
    if credentials::remove_key(&path, &s.profile_name)? {
        say!("klap-export: removed the stored key of profile '{name}' from {shown}");
    } else {
        say!("klap-export: no stored key for profile '{name}' in {shown}");
    }
    Ok(())
}
