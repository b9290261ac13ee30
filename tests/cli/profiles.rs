//! The config file and its profiles, the key chain, key commands and `auth`.
//!
//! Each test has its own HOME (a temporary directory) holding its config file; XDG_CONFIG_HOME
//! and KLAP_CONFIG are unset unless the test is about them.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use httpmock::Method::GET;
use httpmock::{Mock, MockServer};
use serde_json::json;
use tempfile::TempDir;

use crate::{Run, bin, export, private_file, run};

const CHECK_QUERY: (&str, &str) = ("project_id", "klap-export-auth-check");

/// A temporary HOME, with the config file at its default place.
struct Home {
    dir: TempDir,
}

impl Home {
    /// A HOME whose config file holds `config` (no file when it is empty).
    fn new(config: &str) -> Home {
        let home = Home {
            dir: tempfile::tempdir().unwrap(),
        };
        if !config.is_empty() {
            home.write_config(config);
        }
        home
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn config_dir(&self) -> PathBuf {
        self.path().join(".config").join("klap-export")
    }

    fn config(&self) -> PathBuf {
        self.config_dir().join("config.toml")
    }

    fn credentials(&self) -> PathBuf {
        self.config_dir().join("credentials.toml")
    }

    fn write_config(&self, config: &str) {
        fs::create_dir_all(self.config_dir()).unwrap();
        fs::write(self.config(), config).unwrap();
    }

    /// A file only its owner can read, in HOME.
    fn key_file(&self, name: &str, key: &str) -> PathBuf {
        let path = self.path().join(name);
        private_file(&path, &format!("{key}\n"));
        path
    }

    /// Stored keys, as `auth login` writes them.
    fn store(&self, keys: &[(&str, &str)]) {
        fs::create_dir_all(self.config_dir()).unwrap();
        let text: String = keys
            .iter()
            .map(|(profile, key)| format!("[{profile}]\napi_key = \"{key}\"\n"))
            .collect();
        private_file(&self.credentials(), &text);
    }

    fn cmd(&self) -> Command {
        let mut cmd = bin();
        cmd.env("HOME", self.path()).env_remove("XDG_CONFIG_HOME");
        cmd
    }

    /// `cmd()` pointed at a server's `/v2`.
    fn at(&self, server: &MockServer) -> Command {
        let mut cmd = self.cmd();
        cmd.env("KLAP_BASE_URL", v2(server));
        cmd
    }
}

fn v2(server: &MockServer) -> String {
    format!("{}/v2", server.base_url())
}

/// `GET /v2/exports` answered with an empty list.
fn list(server: &MockServer) -> Mock<'_> {
    server.mock(|when, then| {
        when.method(GET).path("/v2/exports");
        then.status(200).body("[]");
    })
}

/// `GET /v2/exports` sent with exactly this key.
fn list_with_key<'a>(server: &'a MockServer, key: &str) -> Mock<'a> {
    server.mock(|when, then| {
        when.method(GET)
            .path("/v2/exports")
            .header("authorization", format!("Bearer {key}"));
        then.status(200).body("[]");
    })
}

/// Matches every request: tests of refused input assert it saw none.
fn any(server: &MockServer) -> Mock<'_> {
    server.mock(|_, then| {
        then.status(599);
    })
}

/// Asserts that no run of 4 or more characters of `key` shows in stdout or stderr.
#[track_caller]
fn never_shows(r: &Run, key: &str) {
    let all = format!("{}\n{}", r.stdout, r.stderr);
    let chars: Vec<char> = key.chars().collect();
    for part in chars.windows(4) {
        let part: String = part.iter().collect();
        assert!(!all.contains(&part), "{part:?} of the key shows:\n{all}");
    }
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

// ---- where the config file is ----

#[test]
fn the_config_file_is_klap_config_else_xdg_else_home() {
    let (by_home, by_xdg, by_var) = (
        MockServer::start(),
        MockServer::start(),
        MockServer::start(),
    );
    let (home_mock, xdg_mock, var_mock) = (list(&by_home), list(&by_xdg), list(&by_var));
    let home = Home::new(&format!("[default]\nbase_url = \"{}\"\n", v2(&by_home)));
    let xdg = home.path().join("xdg");
    fs::create_dir_all(xdg.join("klap-export")).unwrap();
    let xdg_config = format!("[default]\nbase_url = \"{}\"\n", v2(&by_xdg));
    fs::write(xdg.join("klap-export/config.toml"), xdg_config).unwrap();
    let custom = home.path().join("custom.toml");
    fs::write(
        &custom,
        format!("[default]\nbase_url = \"{}\"\n", v2(&by_var)),
    )
    .unwrap();

    let r = run(home.cmd().env("KLAP_API_KEY", "k").arg("list"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(home
        .cmd()
        .env("KLAP_API_KEY", "k")
        .env("XDG_CONFIG_HOME", &xdg)
        .arg("list"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(home
        .cmd()
        .env("KLAP_API_KEY", "k")
        .env("XDG_CONFIG_HOME", &xdg)
        .env("KLAP_CONFIG", &custom)
        .arg("list"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    home_mock.assert_calls(1);
    xdg_mock.assert_calls(1);
    var_mock.assert_calls(1);
}

// ---- precedence: flag, then variable, then profile, then default ----

/// Three servers: the flag's, the variable's, the profile's; the config points at the last.
struct ThreeServers {
    flag: MockServer,
    env: MockServer,
    profile: MockServer,
    home: Home,
}

impl ThreeServers {
    fn new() -> ThreeServers {
        let profile = MockServer::start();
        let home = Home::new(&format!("[default]\nbase_url = \"{}\"\n", v2(&profile)));
        ThreeServers {
            flag: MockServer::start(),
            env: MockServer::start(),
            profile,
            home,
        }
    }

    /// How many requests each server got from `cmd`, which must succeed.
    fn hits(&self, cmd: &mut Command) -> [usize; 3] {
        let mocks = [list(&self.flag), list(&self.env), list(&self.profile)];
        let r = run(cmd.env("KLAP_API_KEY", "k").arg("list"));
        assert_eq!(r.code, 0, "{}", r.stderr);
        mocks.map(|m| m.calls())
    }
}

#[test]
fn base_url_flag_beats_variable_and_profile() {
    let s = ThreeServers::new();
    let hits = s.hits(
        s.home
            .cmd()
            .args(["--base-url", &v2(&s.flag)])
            .env("KLAP_BASE_URL", v2(&s.env)),
    );
    assert_eq!(hits, [1, 0, 0]);
}

#[test]
fn base_url_variable_beats_profile() {
    let s = ThreeServers::new();
    let hits = s.hits(s.home.cmd().env("KLAP_BASE_URL", v2(&s.env)));
    assert_eq!(hits, [0, 1, 0]);
}

#[test]
fn base_url_profile_beats_default() {
    let s = ThreeServers::new();
    assert_eq!(s.hits(&mut s.home.cmd()), [0, 0, 1]);
}

#[test]
fn base_url_default_applies_without_profile() {
    // No key: status shows the URL without sending anything (tests reach no outside host).
    let home = Home::new("[default]\nretries = 1\n");
    let r = run(home.cmd().args(["auth", "status"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("\nbase URL:    https://api.klap.app/v2\n"),
        "{}",
        r.stdout
    );
}

/// `list` against a server with one export, the config giving `format = "ndjson"` (or none).
fn list_output(profile_format: Option<&str>, cmd: impl FnOnce(&mut Command)) -> String {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET).path("/v2/exports");
        then.status(200).json_body(json!([export(
            "e1",
            "ready",
            Some("f1"),
            "p1",
            "2023-10-01T09:00:00Z"
        )]));
    });
    let config = profile_format.map_or(String::new(), |f| format!("[default]\nformat = \"{f}\"\n"));
    let home = Home::new(&config);
    let mut c = home.at(&server);
    c.env("KLAP_API_KEY", "k").arg("list");
    cmd(&mut c);
    let r = run(&mut c);
    assert_eq!(r.code, 0, "{}", r.stderr);
    mock.assert_calls(1);
    r.stdout
}

#[test]
fn format_flag_beats_variable_and_profile() {
    let out = list_output(Some("ndjson"), |c| {
        c.args(["--format", "tsv"]).env("KLAP_FORMAT", "json");
    });
    assert!(out.starts_with("f1/p1/e1\tready\tClip e1\t"), "{out}");
}

#[test]
fn format_variable_beats_profile() {
    let out = list_output(Some("ndjson"), |c| {
        c.env("KLAP_FORMAT", "json");
    });
    assert!(out.starts_with("[\n  {\n    \"id\": \"e1\","), "{out}");
}

#[test]
fn format_profile_beats_default() {
    let out = list_output(Some("ndjson"), |_| {});
    assert!(
        out.starts_with("{\"id\":\"e1\",") && out.lines().count() == 1,
        "{out}"
    );
}

#[test]
fn format_default_is_a_table() {
    let out = list_output(None, |_| {});
    assert!(out.starts_with("ID  "), "{out}");
}

/// Requests a 503 server got from `list` (`Retry-After: 0` keeps the retries instant).
fn attempts(profile_retries: Option<u32>, cmd: impl FnOnce(&mut Command)) -> usize {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET).path("/v2/exports");
        then.status(503)
            .header("retry-after", "0")
            .json_body(json!({"message": "busy"}));
    });
    let config = profile_retries.map_or(String::new(), |n| format!("[default]\nretries = {n}\n"));
    let home = Home::new(&config);
    let mut c = home.at(&server);
    c.env("KLAP_API_KEY", "k").arg("list");
    cmd(&mut c);
    let r = run(&mut c);
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["HTTP 503: busy"]);
    mock.calls()
}

#[test]
fn retries_flag_beats_variable_and_profile() {
    let n = attempts(Some(0), |c| {
        c.args(["--retries", "2"]).env("KLAP_RETRIES", "1");
    });
    assert_eq!(n, 3);
}

#[test]
fn retries_variable_beats_profile() {
    assert_eq!(
        attempts(Some(0), |c| {
            c.env("KLAP_RETRIES", "1");
        }),
        2
    );
}

#[test]
fn retries_profile_beats_default() {
    assert_eq!(attempts(Some(0), |_| {}), 1);
}

#[test]
fn retries_default_is_three() {
    assert_eq!(attempts(None, |_| {}), 4);
}

// ---- the key chain ----

/// The key sources, first to last, and the key each gives.
const CHAIN: [&str; 6] = [
    "k0-flag-file",
    "k1-variable",
    "k2-variable-file",
    "k3-command",
    "k4-profile-file",
    "k5-stored",
];

/// Sets every source from `level` down; the server must see the key of `level`, and `-v`
/// must name its source.
fn key_chain_row(level: usize) {
    let server = MockServer::start();
    let seen = list_with_key(&server, CHAIN[level]);
    let home = Home::new("");
    let mut config = String::from("[default]\n");
    if level <= 3 {
        config.push_str("api_key_command = \"echo '  k3-command  '\"\n");
    }
    if level <= 4 {
        home.key_file("k4", CHAIN[4]);
        config.push_str("api_key_file = \"~/k4\"\n");
    }
    home.write_config(&config);
    home.store(&[("default", CHAIN[5]), ("other", "k6-other")]);
    let mut cmd = home.at(&server);
    cmd.args(["list", "-v"]);
    if level <= 2 {
        cmd.env("KLAP_API_KEY_FILE", home.key_file("k2", CHAIN[2]));
    }
    if level <= 1 {
        cmd.env("KLAP_API_KEY", CHAIN[1]);
    }
    if level == 0 {
        cmd.arg("--api-key-file").arg(home.key_file("k0", CHAIN[0]));
    }
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    seen.assert_calls(1);
    let home_dir = home.path().display();
    let source = match level {
        0 => format!("--api-key-file {home_dir}/k0"),
        1 => "KLAP_API_KEY".into(),
        2 => format!("KLAP_API_KEY_FILE ({home_dir}/k2)"),
        3 => "the api_key_command of profile 'default'".into(),
        4 => format!("the api_key_file of profile 'default' ({home_dir}/k4)"),
        _ => format!(
            "the key stored for profile 'default' ({})",
            home.credentials().display()
        ),
    };
    r.stderr_has(&[&format!("klap-export: API key from {source}\n")]);
    for key in CHAIN {
        assert!(!r.stderr.contains(key), "{key} shows:\n{}", r.stderr);
    }
}

#[test]
fn key_from_the_flag_file_beats_all() {
    key_chain_row(0);
}

#[test]
fn key_from_klap_api_key_beats_the_variable_file() {
    key_chain_row(1);
}

#[test]
fn key_from_klap_api_key_file_beats_the_profile() {
    key_chain_row(2);
}

#[test]
fn key_command_beats_the_profile_key_file() {
    key_chain_row(3);
}

#[test]
fn profile_key_file_beats_the_stored_key() {
    key_chain_row(4);
}

#[test]
fn stored_key_is_the_last_source() {
    key_chain_row(5);
}

#[test]
fn verbose_says_when_a_variable_overrides_the_named_profile() {
    let (server, staging) = (MockServer::start(), MockServer::start());
    let seen = list_with_key(&server, "k-variable");
    let unused = any(&staging);
    let home = Home::new(&format!(
        "[default]\nretries = 0\n\n[staging]\nbase_url = \"{}\"\napi_key_command = \"echo k-staging\"\n",
        v2(&staging)
    ));
    let r = run(home.at(&server).env("KLAP_API_KEY", "k-variable").args([
        "--profile",
        "staging",
        "list",
        "-v",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    seen.assert_calls(1);
    unused.assert_calls(0);
    r.stderr_has(&[
        "klap-export: KLAP_BASE_URL overrides the profile 'staging'\n",
        "klap-export: KLAP_API_KEY overrides the key of profile 'staging'\n",
        "klap-export: API key from KLAP_API_KEY\n",
    ]);
    assert!(!r.stderr.contains("k-variable") && !r.stderr.contains("k-staging"));

    // KLAP_PROFILE names it too; without a name, nothing is said about overriding.
    let r = run(home
        .at(&server)
        .env("KLAP_API_KEY", "k-variable")
        .env("KLAP_PROFILE", "staging")
        .args(["list", "-v"]));
    r.stderr_has(&["KLAP_API_KEY overrides the key of profile 'staging'"]);
    let r = run(home
        .at(&server)
        .env("KLAP_API_KEY", "k-variable")
        .args(["list", "-v"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("overrides"), "{}", r.stderr);
    seen.assert_calls(3);
}

// ---- bad config, bad variables ----

#[test]
fn an_unknown_key_is_a_usage_error_naming_file_and_line() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("[default]\nretries = 1\n\n[staging]\ncolour = \"never\"\n");
    let r = run(home.at(&server).env("KLAP_API_KEY", "k").arg("list"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "klap-export: error: {}:5: unknown key 'colour' in [staging]; expected one of \
             base_url, api_key_file, api_key_command, format, color, http_timeout, retries\n",
            home.config().display()
        )
    );
    catch.assert_calls(0);
}

#[test]
fn a_missing_profile_is_a_usage_error() {
    let server = MockServer::start();
    let mut catch = any(&server);
    let home = Home::new("[default]\nretries = 1\n\n[staging]\nretries = 2\n");
    let want = format!(
        "klap-export: error: no profile 'missing' in {} (it has default, staging)\n",
        home.config().display()
    );
    let r = run(home
        .at(&server)
        .env("KLAP_API_KEY", "k")
        .args(["--profile", "missing", "list"]));
    assert_eq!((r.code, r.stderr.as_str()), (2, want.as_str()));
    let r = run(home
        .at(&server)
        .env("KLAP_API_KEY", "k")
        .env("KLAP_PROFILE", "missing")
        .args(["auth", "status"]));
    assert_eq!((r.code, r.stderr.as_str()), (2, want.as_str()));
    catch.assert_calls(0);
    catch.delete();

    // `default` may be absent, even when named.
    let ok = list(&server);
    let home = Home::new("");
    let r = run(home
        .at(&server)
        .env("KLAP_API_KEY", "k")
        .args(["--profile", "default", "list"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    ok.assert_calls(1);
}

#[test]
fn a_bad_variable_fails_only_the_commands_that_use_it() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("");
    let r = run(home
        .at(&server)
        .env("KLAP_FORMAT", "xml")
        .args(["completions", "bash"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("klap-export"));
    let r = run(home
        .at(&server)
        .env("KLAP_API_KEY", "k")
        .env("KLAP_FORMAT", "xml")
        .arg("list"));
    assert_eq!(r.code, 2);
    r.stderr_has(&["klap-export: error: KLAP_FORMAT=xml: "]);
    catch.assert_calls(0);
}

// ---- api_key_command ----

/// Runs `list` with `[default] api_key_command = cmd`; it must fail with exit 4 and send nothing.
fn key_command_error(cmd: &str, limit: Option<&str>) -> Run {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new(&format!("[default]\napi_key_command = '''{cmd}'''\n"));
    let mut c = home.at(&server);
    if let Some(limit) = limit {
        c.env("KLAP_TEST_KEY_COMMAND_LIMIT", limit);
    }
    let r = run(c.arg("list"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(!r.stderr.contains("sk-leak"), "{}", r.stderr);
    catch.assert_calls(0);
    r
}

#[test]
fn a_failing_key_command_is_exit_4_with_its_first_stderr_line() {
    let r = key_command_error(
        "echo sk-leak-1; echo; echo 'gpg: decryption failed: No secret key' >&2; echo more >&2; exit 2",
        None,
    );
    assert_eq!(
        r.stderr,
        "klap-export: error: the api_key_command exited with 2: gpg: decryption failed: No secret key\n"
    );
}

#[test]
fn a_key_command_that_prints_nothing_is_exit_4() {
    let r = key_command_error(
        "printf '  \\n'; echo 'pass: klap is not in the store' >&2",
        None,
    );
    assert_eq!(
        r.stderr,
        "klap-export: error: the api_key_command printed no key: pass: klap is not in the store\n"
    );
}

#[test]
fn a_slow_key_command_is_stopped() {
    if !crate::test_hooks("a_slow_key_command_is_stopped") {
        return;
    }
    let started = Instant::now();
    let r = key_command_error("sleep 10; echo sk-leak-late", Some("300ms"));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        r.stderr,
        "klap-export: error: the api_key_command gave no key within 300ms\n"
    );
}

// ---- auth login ----

/// The check `auth login` and `auth status` send, answered with `status`.
fn check_mock<'a>(server: &'a MockServer, key: &str, status: u16) -> Mock<'a> {
    server.mock(|when, then| {
        when.method(GET)
            .path("/v2/exports")
            .query_param(CHECK_QUERY.0, CHECK_QUERY.1)
            .header("authorization", format!("Bearer {key}"));
        if status == 200 {
            then.status(200).body("[]");
        } else {
            then.status(status)
                .json_body(json!({"message": "invalid API key"}));
        }
    })
}

fn stored(home: &Home) -> toml::Table {
    fs::read_to_string(home.credentials())
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn login_checks_the_key_and_stores_it_privately() {
    let server = MockServer::start();
    let first = check_mock(&server, "k-first-AAAA", 200);
    let home = Home::new("");
    let r = run(home
        .at(&server)
        .args(["auth", "login"])
        .write_stdin("  k-first-AAAA \n"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    first.assert_calls(1);
    assert_eq!(r.stdout, "");
    let creds = home.credentials();
    assert_eq!(
        r.stderr,
        format!(
            "klap-export: stored the key for profile 'default' in {}\n",
            creds.display()
        )
    );
    assert_eq!(mode(&creds), 0o600);
    assert_eq!(mode(&home.config_dir()), 0o700);
    assert_eq!(
        fs::read_to_string(&creds).unwrap(),
        "[default]\napi_key = \"k-first-AAAA\"\n"
    );

    // Another profile's key is added beside it.
    home.write_config("[staging]\nretries = 0\n");
    let staging = check_mock(&server, "k-staging-BBBB", 200);
    let r = run(home
        .at(&server)
        .args(["--profile", "staging", "auth", "login"])
        .write_stdin("k-staging-BBBB"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    staging.assert_calls(1);

    // Login again: the file is replaced (a new file renamed over it), the other key kept.
    let before = fs::metadata(&creds).unwrap().ino();
    let second = check_mock(&server, "k-second-CCCC", 200);
    let r = run(home
        .at(&server)
        .args(["auth", "login"])
        .write_stdin("k-second-CCCC\n"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    second.assert_calls(1);
    assert_ne!(fs::metadata(&creds).unwrap().ino(), before);
    assert_eq!(mode(&creds), 0o600);
    let table = stored(&home);
    assert_eq!(table["default"]["api_key"].as_str(), Some("k-second-CCCC"));
    assert_eq!(table["staging"]["api_key"].as_str(), Some("k-staging-BBBB"));
    let mut names: Vec<String> = fs::read_dir(home.config_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["config.toml", "credentials.toml"],
        "no temporary left"
    );

    // The stored key is what later commands send.
    let used = list_with_key(&server, "k-second-CCCC");
    let r = run(home.at(&server).arg("list"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    used.assert_calls(1);
}

#[test]
fn a_refused_key_is_not_stored() {
    let server = MockServer::start();
    let refused = check_mock(&server, "k-bad-DDDD", 401);
    let home = Home::new("");
    let r = run(home
        .at(&server)
        .args(["auth", "login"])
        .write_stdin("k-bad-DDDD\n"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    refused.assert_calls(1);
    assert_eq!(
        r.stderr,
        "klap-export: error: the API refused the key (HTTP 401: invalid API key); nothing was stored\n"
    );
    assert!(!home.credentials().exists());
}

#[test]
fn a_failed_check_stores_nothing_and_points_at_no_verify() {
    let server = MockServer::start();
    let down = check_mock(&server, "k-ok-EEEE", 503);
    let home = Home::new("");
    let r = run(home
        .at(&server)
        .args(["auth", "login"])
        .write_stdin("k-ok-EEEE\n"));
    assert_eq!(r.code, 1, "{}", r.stderr);
    down.assert_calls(1);
    assert_eq!(
        r.stderr,
        "klap-export: error: could not check the key: HTTP 503: invalid API key; nothing was stored\n\
         hint: `klap-export auth login --no-verify` stores it without the check\n"
    );
    assert!(!home.credentials().exists());
}

#[test]
fn login_no_verify_sends_nothing() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("");
    let r = run(home
        .at(&server)
        .args(["auth", "login", "--no-verify"])
        .write_stdin("k-unchecked-FFFF\n"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    catch.assert_calls(0);
    assert_eq!(
        stored(&home)["default"]["api_key"].as_str(),
        Some("k-unchecked-FFFF")
    );
}

#[test]
fn login_without_a_key_stores_nothing() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("");
    for stdin in ["", "  \n\n"] {
        let r = run(home.at(&server).args(["auth", "login"]).write_stdin(stdin));
        assert_eq!(r.code, 4, "{}", r.stderr);
        assert_eq!(
            r.stderr,
            "klap-export: error: no key given; nothing was stored\n"
        );
    }
    let r = run(home
        .at(&server)
        .args(["auth", "login"])
        .write_stdin("x".repeat(5000)));
    assert_eq!(r.code, 4);
    r.stderr_has(&["the API key on stdin is larger than 4 KiB"]);
    catch.assert_calls(0);
    assert!(!home.credentials().exists());
}

#[test]
fn login_notes_a_source_that_comes_before_the_stored_key() {
    let home = Home::new("");
    let r = run(home
        .cmd()
        .env("KLAP_API_KEY", "k-env")
        .args(["auth", "login", "--no-verify"])
        .write_stdin("k-new\n"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&["klap-export: note: KLAP_API_KEY is set and comes before the stored key\n"]);
}

#[test]
fn login_on_a_terminal_prompts_without_echo() {
    use std::io::{Read, Write};
    use std::process::Stdio;
    use std::sync::mpsc;

    const PROMPT: &str = "API key for profile 'default': ";
    let home = Home::new("");
    let bin = assert_cmd::cargo::cargo_bin("klap-export");
    // script(1) runs it under a pseudo-terminal fed from our pipe.
    let mut script = std::process::Command::new("script");
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("KLAP_") {
            script.env_remove(name);
        }
    }
    let mut child = script
        .args([
            "-qec",
            &format!("{} auth login --no-verify", bin.display()),
            "/dev/null",
        ])
        .env("HOME", home.path())
        .env_remove("XDG_CONFIG_HOME")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux");
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0; 256];
        while let Ok(n @ 1..) = stdout.read(&mut buf) {
            if tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut screen = Vec::new();
    while !String::from_utf8_lossy(&screen).contains(PROMPT) {
        screen.extend(
            rx.recv_timeout(Duration::from_secs(10))
                .expect("the prompt"),
        );
    }
    // Echo goes off just after the prompt is written; typing earlier would be echoed.
    std::thread::sleep(Duration::from_millis(200));
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"k-typed-XYZW\r").unwrap();
    assert!(child.wait().unwrap().success());
    screen.extend(rx.iter().flatten());
    drop(stdin);
    let screen = String::from_utf8_lossy(&screen);
    assert!(!screen.contains("XYZW"), "the key was echoed: {screen}");
    assert!(
        screen.contains("klap-export: stored the key for profile 'default' in "),
        "{screen}"
    );
    assert_eq!(
        stored(&home)["default"]["api_key"].as_str(),
        Some("k-typed-XYZW")
    );
}

// ---- auth status ----

const SECRET: &str = "Zq8vWx3mA1Lp";

#[test]
fn status_reports_an_accepted_key_and_never_shows_it() {
    let server = MockServer::start();
    let accepted = check_mock(&server, SECRET, 200);
    let home = Home::new("[default]\nretries = 0\n");
    home.store(&[("default", SECRET)]);
    let r = run(home.at(&server).args(["auth", "status"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    never_shows(&r, SECRET);
    assert_eq!(
        r.stdout,
        format!(
            "profile:     default\n\
             config file: {}\n\
             base URL:    {}\n\
             key source:  the key stored for profile 'default' ({})\n\
             API:         accepted\n",
            home.config().display(),
            v2(&server),
            home.credentials().display()
        )
    );
    assert_eq!(r.stderr, "");

    let r = run(home.at(&server).args(["auth", "status", "--json", "-v"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    never_shows(&r, SECRET);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v,
        json!({
            "profile": "default",
            "config_file": home.config().display().to_string(),
            "config_file_found": true,
            "base_url": v2(&server),
            "key_source": format!("the key stored for profile 'default' ({})", home.credentials().display()),
            "api": "accepted",
            "detail": null,
        })
    );
    r.stderr_has(&["> Authorization: Bearer ***"]);
    accepted.assert_calls(2);
}

#[test]
fn status_of_a_refused_key_is_exit_4() {
    let server = MockServer::start();
    // A careless server that echoes the key in its message.
    let refused = server.mock(|when, then| {
        when.method(GET)
            .path("/v2/exports")
            .query_param(CHECK_QUERY.0, CHECK_QUERY.1);
        then.status(401)
            .json_body(json!({"message": format!("unknown key {SECRET}")}));
    });
    let home = Home::new("");
    let r = run(home
        .at(&server)
        .env("KLAP_API_KEY", SECRET)
        .args(["auth", "status"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    refused.assert_calls(1);
    never_shows(&r, SECRET);
    assert!(
        r.stdout.ends_with(
            "key source:  KLAP_API_KEY\nAPI:         refused (HTTP 401: unknown key ***)\n"
        ),
        "{}",
        r.stdout
    );
    assert_eq!(r.stderr, "klap-export: error: the API refused the key\n");
}

#[test]
fn status_without_a_key_is_exit_4_and_sends_nothing() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("");
    let r = run(home.at(&server).args(["auth", "status"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    catch.assert_calls(0);
    assert_eq!(
        r.stdout,
        format!(
            "profile:     default\n\
             config file: {} (not found)\n\
             base URL:    {}\n\
             key source:  none\n\
             API:         not checked (no key)\n",
            home.config().display(),
            v2(&server)
        )
    );
    r.stderr_has(&["klap-export: error: no API key\n"]);
}

// ---- auth logout ----

#[test]
fn logout_removes_the_profile_key_and_says_when_there_was_none() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("[staging]\nretries = 0\n");
    home.store(&[("default", "k-default"), ("staging", "k-staging")]);
    let creds = home.credentials().display().to_string();
    let r = run(home.cmd().args(["auth", "logout"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!("klap-export: removed the stored key of profile 'default' from {creds}\n")
    );
    let table = stored(&home);
    assert!(!table.contains_key("default"));
    assert_eq!(table["staging"]["api_key"].as_str(), Some("k-staging"));
    assert_eq!(mode(&home.credentials()), 0o600);

    let r = run(home.cmd().args(["auth", "logout"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!("klap-export: no stored key for profile 'default' in {creds}\n")
    );
    let r = run(home.at(&server).args(["auth", "status"]));
    assert_eq!(r.code, 4);
    catch.assert_calls(0);
}

// ---- files others can read ----

#[test]
fn key_files_others_can_read_are_refused() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("");
    home.store(&[("default", "k-stored")]);
    let creds = home.credentials();
    fs::set_permissions(&creds, fs::Permissions::from_mode(0o640)).unwrap();
    let r = run(home.at(&server).arg("list"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "klap-export: error: {0} is readable by others (mode 640); run: chmod 600 {0}\n",
            creds.display()
        )
    );

    let key = home.key_file("key", "k-file");
    fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).unwrap();
    home.write_config("[default]\napi_key_file = \"~/key\"\n");
    let r = run(home.at(&server).arg("list"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    r.stderr_has(&[&format!("run: chmod 600 {}\n", key.display())]);
    let r = run(home.at(&server).arg("list").arg("--api-key-file").arg(&key));
    assert_eq!(r.code, 4, "{}", r.stderr);
    r.stderr_has(&["is readable by others (mode 644); run: chmod 600 "]);
    catch.assert_calls(0);
}
