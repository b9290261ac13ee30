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

use crate::{Run, bin, dir_names, export, private_file, run};

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

    /// Private modes, whatever the umask: a config file others can write is refused.
    fn write_config(&self, config: &str) {
        fs::create_dir_all(self.config_dir()).unwrap();
        fs::set_permissions(self.config_dir(), fs::Permissions::from_mode(0o700)).unwrap();
        private_file(&self.config(), config);
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
fn an_explicit_profile_flag_lifts_its_settings_above_the_variables() {
    let (leftover, staging) = (MockServer::start(), MockServer::start());
    let unused = any(&leftover);
    let seen = list_with_key(&staging, "k-staging");
    let home = Home::new(&format!(
        "[default]\nretries = 0\n\n[staging]\nbase_url = \"{}\"\napi_key_command = \"echo k-staging\"\n",
        v2(&staging)
    ));
    // A leftover KLAP_BASE_URL and KLAP_API_KEY from the sandbox steps.
    let r = run(home.at(&leftover).env("KLAP_API_KEY", "k-variable").args([
        "--profile",
        "staging",
        "list",
        "-v",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    seen.assert_calls(1);
    unused.assert_calls(0);
    r.stderr_has(&[
        "klap-export: API key from the api_key_command of profile 'staging'\n",
        "klap-export: --profile staging sets aside KLAP_BASE_URL, KLAP_API_KEY\n",
    ]);
    assert!(!r.stderr.contains("k-variable") && !r.stderr.contains("k-staging"));

    // auth status names them too (its check is answered by the same mock).
    let r = run(home.at(&leftover).env("KLAP_API_KEY", "k-variable").args([
        "--profile",
        "staging",
        "auth",
        "status",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    seen.assert_calls(2);
    assert!(
        r.stdout.contains(&format!(
            "base URL:    {}\nkey source:  the api_key_command of profile 'staging'\n\
             set aside:   KLAP_BASE_URL, KLAP_API_KEY (by --profile staging)\n",
            v2(&staging)
        )),
        "{}",
        r.stdout
    );
    let r = run(home.at(&leftover).env("KLAP_API_KEY", "k-variable").args([
        "--profile",
        "staging",
        "auth",
        "status",
        "--json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["set_aside"], json!(["KLAP_BASE_URL", "KLAP_API_KEY"]));

    // Flags still win over the profile.
    let by_flag = MockServer::start();
    let flagged = list_with_key(&by_flag, "k-flag");
    let r = run(home
        .at(&leftover)
        .arg("--base-url")
        .arg(v2(&by_flag))
        .arg("--api-key-file")
        .arg(home.key_file("flag-key", "k-flag"))
        .args(["--profile", "staging", "list", "-v"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    flagged.assert_calls(1);
    assert!(!r.stderr.contains("sets aside"), "{}", r.stderr);
    seen.assert_calls(3);
    unused.assert_calls(0);
}

#[test]
fn klap_profile_is_not_explicit_the_variables_still_win() {
    let (server, staging) = (MockServer::start(), MockServer::start());
    let seen = list_with_key(&server, "k-variable");
    let unused = any(&staging);
    let home = Home::new(&format!(
        "[default]\nretries = 0\n\n[staging]\nbase_url = \"{}\"\napi_key_command = \"echo k-staging\"\n",
        v2(&staging)
    ));
    let r = run(home
        .at(&server)
        .env("KLAP_API_KEY", "k-variable")
        .env("KLAP_PROFILE", "staging")
        .args(["list", "-v"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&[
        "klap-export: KLAP_BASE_URL overrides the profile 'staging'\n",
        "klap-export: KLAP_API_KEY overrides the key of profile 'staging'\n",
        "klap-export: API key from KLAP_API_KEY\n",
    ]);
    assert!(!r.stderr.contains("sets aside"), "{}", r.stderr);
    // Without a name, nothing is said about overriding.
    let r = run(home
        .at(&server)
        .env("KLAP_API_KEY", "k-variable")
        .args(["list", "-v"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("overrides"), "{}", r.stderr);
    seen.assert_calls(2);
    unused.assert_calls(0);
}

// ---- config files that cannot be trusted or read ----

#[test]
fn a_config_file_that_is_not_a_regular_file_never_blocks() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("");
    let fifo = home.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for (path, kind) in [(PathBuf::from("/dev/zero"), "a device"), (fifo, "a FIFO")] {
        let started = Instant::now();
        let r = run(home
            .at(&server)
            .env("KLAP_API_KEY", "k")
            .env("KLAP_CONFIG", &path)
            .arg("list"));
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(
            r.stderr,
            format!(
                "klap-export: error: the config file {} is not a regular file (it is {kind})\n",
                path.display()
            )
        );
    }
    catch.assert_calls(0);
}

#[test]
fn a_config_file_others_can_write_is_refused_and_its_command_never_runs() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("");
    let marker = home.path().join("ran");
    home.write_config(&format!(
        "[default]\napi_key_command = \"touch '{}'; echo k\"\n",
        marker.display()
    ));
    fs::set_permissions(home.config(), fs::Permissions::from_mode(0o666)).unwrap();
    let r = run(home.at(&server).arg("list"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "klap-export: error: refusing the config file {0}, which can run commands: \
             it is writable by group and others (mode 666); run: chmod go-w {0}\n",
            home.config().display()
        )
    );
    fs::set_permissions(home.config(), fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(home.config_dir(), fs::Permissions::from_mode(0o777)).unwrap();
    let r = run(home.at(&server).args(["auth", "status"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&[&format!(
        "its folder {0} is writable by group and others (mode 777); run: chmod go-w {0}\n",
        home.config_dir().display()
    )]);
    assert!(!marker.exists(), "the api_key_command ran");
    catch.assert_calls(0);
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
        "klap-export: error: no profile 'missing' in {} (it has default, staging) and no key \
         stored for it\nhint: `klap-export auth login --profile missing` creates it\n",
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
fn login_and_status_want_the_klap_api_not_any_page() {
    for body in [
        "<html><title>Welcome</title></html>",
        "{}",
        "",
        "[] trailing",
    ] {
        let server = MockServer::start();
        let page = server.mock(|when, then| {
            when.method(GET).path("/v2/exports");
            then.status(200).body(body);
        });
        let home = Home::new("");
        let r = run(home
            .at(&server)
            .args(["auth", "login"])
            .write_stdin("k-any-HHHH\n"));
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert_eq!(
            r.stderr,
            "klap-export: error: not the Klap API at this base URL (its answer to GET /exports \
             is not a JSON array); nothing was stored\n\
             hint: check --base-url, KLAP_BASE_URL or the profile's base_url\n",
            "{body}"
        );
        assert!(!home.credentials().exists());

        let r = run(home
            .at(&server)
            .env("KLAP_API_KEY", "k-any-HHHH")
            .args(["auth", "status"]));
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stdout.ends_with(
                "API:         not the Klap API at this base URL (its answer to GET /exports \
                 is not a JSON array)\n"
            ),
            "{}",
            r.stdout
        );
        page.assert_calls(2);
    }
}

#[test]
fn login_refuses_a_folder_others_can_write_before_asking_for_the_key() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("");
    let open = home.path().join("shared");
    fs::create_dir(&open).unwrap();
    fs::set_permissions(&open, fs::Permissions::from_mode(0o777)).unwrap();
    let r = run(home
        .at(&server)
        .env("KLAP_CREDENTIALS_FILE", open.join("credentials.toml"))
        .args(["auth", "login"])
        .write_stdin("k-open-IIII\n"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "klap-export: error: refusing to store the key in {0}: it is writable by group and \
             others (mode 777); run: chmod go-w {0}\n",
            open.display()
        )
    );
    assert_eq!(dir_names(&open), Vec::<String>::new());
    catch.assert_calls(0);
}

#[test]
fn the_next_login_or_logout_removes_what_a_killed_login_left() {
    let home = Home::new("");
    home.store(&[("default", "k-old")]);
    let leftover = home.config_dir().join(".credentials.Xy12ab.tmp");
    let other = home.config_dir().join("notes.tmp");
    for cmd in [vec!["auth", "logout"], vec!["auth", "login", "--no-verify"]] {
        private_file(&leftover, "[default]\napi_key = \"k-half\"\n");
        fs::write(&other, "mine").unwrap();
        let r = run(home.cmd().args(&cmd).write_stdin("k-new\n"));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(!leftover.exists(), "{cmd:?}");
        assert!(other.exists());
    }
}

#[test]
fn a_key_of_two_lines_is_refused_in_words() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("");
    let r = run(home
        .at(&server)
        .args(["auth", "login", "--no-verify"])
        .write_stdin("k-line-one\nk-line-two\n"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "klap-export: error: the key must be one line; nothing was stored\n"
    );
    assert!(!home.credentials().exists());

    let r = run(home
        .at(&server)
        .env("KLAP_API_KEY", "k-line-one\r\nk-line-two")
        .arg("list"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "klap-export: error: the key must be one line (KLAP_API_KEY)\n"
    );
    let two = home.key_file("two", "k-line-one\nk-line-two");
    let r = run(home.at(&server).env("KLAP_API_KEY_FILE", &two).arg("list"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    r.stderr_has(&["the key must be one line (KLAP_API_KEY_FILE ("]);
    catch.assert_calls(0);
}

#[test]
fn an_empty_variable_is_called_empty() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("");
    let r = run(home.at(&server).env("KLAP_API_KEY", "").arg("list"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "klap-export: error: no API key: KLAP_API_KEY is set but empty\n\
         hint: set KLAP_API_KEY, run `klap-export auth login`, or see `klap-export --help`\n"
    );
    let r = run(home
        .at(&server)
        .env("KLAP_API_KEY", "k")
        .env("KLAP_FORMAT", "yaml")
        .arg("list"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "klap-export: error: KLAP_FORMAT=yaml: expected one of table, json, ndjson, tsv\n"
    );
    catch.assert_calls(0);
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

/// Runs `auth login --no-verify` under a pseudo-terminal, types `input` at the prompt, and
/// returns whether it succeeded and the screen.
fn login_at_a_terminal(home: &Home, input: &[u8]) -> (bool, String) {
    use std::io::{Read, Write};
    use std::process::Stdio;
    use std::sync::mpsc;

    const PROMPT: &str = "API key for profile 'default': ";
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
        .env("NO_COLOR", "1")
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
    stdin.write_all(input).unwrap();
    let success = child.wait().unwrap().success();
    screen.extend(rx.iter().flatten());
    drop(stdin);
    (success, String::from_utf8_lossy(&screen).into_owned())
}

#[test]
fn login_on_a_terminal_prompts_without_echo() {
    let home = Home::new("");
    let (success, screen) = login_at_a_terminal(&home, b"k-typed-XYZW\r");
    assert!(success, "{screen}");
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

#[test]
fn ctrl_d_at_the_prompt_prints_the_error_on_its_own_line() {
    let home = Home::new("");
    let (success, screen) = login_at_a_terminal(&home, b"\x04");
    assert!(!success, "{screen}");
    assert!(
        screen.contains(
            "API key for profile 'default': \r\nklap-export: error: no key given; nothing was stored"
        ),
        "{screen:?}"
    );
    assert!(!home.credentials().exists());
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
             credentials: {2}\n\
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
            "credentials_file": home.credentials().display().to_string(),
            "base_url": v2(&server),
            "key_source": format!("the key stored for profile 'default' ({})", home.credentials().display()),
            "set_aside": [],
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
             credentials: {} (not found)\n\
             base URL:    {}\n\
             key source:  none\n\
             API:         not checked (no key)\n",
            home.config().display(),
            home.credentials().display(),
            v2(&server)
        )
    );
    r.stderr_has(&["klap-export: error: no API key\n"]);
}

#[test]
fn keys_are_stored_in_their_own_place_never_beside_klap_config() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("");
    // A config file in a project's working tree.
    let repo = home.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    fs::write(repo.join("config.toml"), "[default]\n").unwrap();
    let login = |cmd: &mut Command| {
        run(cmd
            .env("KLAP_CONFIG", repo.join("config.toml"))
            .args(["auth", "login", "--no-verify"])
            .write_stdin("k-own-place\n"))
    };
    let r = login(&mut home.at(&server));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(dir_names(&repo), ["config.toml"]);
    assert_eq!(
        stored(&home)["default"]["api_key"].as_str(),
        Some("k-own-place")
    );

    let xdg = home.path().join("xdg");
    let r = login(home.at(&server).env("XDG_CONFIG_HOME", &xdg));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&[&format!(
        "{}",
        xdg.join("klap-export/credentials.toml").display()
    )]);

    let chosen = home.path().join("keys").join("klap.toml");
    let r = login(home.at(&server).env("KLAP_CREDENTIALS_FILE", &chosen));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "klap-export: stored the key for profile 'default' in {}\n",
            chosen.display()
        )
    );
    assert_eq!(mode(&chosen), 0o600);
    // And it is where later commands look.
    let r = run(home
        .at(&server)
        .env("KLAP_CREDENTIALS_FILE", &chosen)
        .args(["auth", "status"]));
    assert!(
        r.stdout
            .contains(&format!("credentials: {}\n", chosen.display())),
        "{}",
        r.stdout
    );
    assert_eq!(dir_names(&repo), ["config.toml"]);
    catch.assert_calls(1);
}

#[test]
fn status_prints_the_whole_block_when_the_key_source_fails() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("[default]\napi_key_command = \"echo 'no entry' >&2; exit 1\"\n");
    let r = run(home.at(&server).args(["auth", "status"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        format!(
            "profile:     default\n\
             config file: {}\n\
             credentials: {} (not found)\n\
             base URL:    {}\n\
             key source:  failed: the api_key_command exited with 1: no entry\n\
             API:         not checked (no key)\n",
            home.config().display(),
            home.credentials().display(),
            v2(&server)
        )
    );
    assert_eq!(
        r.stderr,
        "klap-export: error: the api_key_command exited with 1: no entry\n"
    );
    let r = run(home.at(&server).args(["auth", "status", "--json"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["key_source"], json!(null));
    assert_eq!(
        v["detail"],
        json!("the api_key_command exited with 1: no entry")
    );
    catch.assert_calls(0);
}

#[test]
fn any_profile_can_log_in_and_then_exists() {
    let server = MockServer::start();
    let home = Home::new("[default]\nretries = 0\n");
    // No [staging] table: the hint under --profile staging keeps the profile.
    let mut catch = any(&server);
    let r = run(home
        .at(&server)
        .args(["--profile", "staging", "auth", "status"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&["hint: `klap-export auth login --profile staging` creates it\n"]);
    catch.assert_calls(0);
    catch.delete();

    let check = check_mock(&server, "k-staging-GGGG", 200);
    let r = run(home
        .at(&server)
        .args(["--profile", "staging", "auth", "login"])
        .write_stdin("k-staging-GGGG\n"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    check.assert_calls(1);
    assert_eq!(
        stored(&home)["staging"]["api_key"].as_str(),
        Some("k-staging-GGGG")
    );
    // The stored key makes the profile exist.
    let used = list_with_key(&server, "k-staging-GGGG");
    let r = run(home.at(&server).args(["--profile", "staging", "list"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    used.assert_calls(1);

    // A profile with a table but no key: the "no API key" hint names it.
    home.write_config("[default]\n\n[prod]\nretries = 0\n");
    let r = run(home.at(&server).args(["--profile", "prod", "list"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "klap-export: error: no API key\n\
         hint: set KLAP_API_KEY, run `klap-export auth login --profile prod`, or see \
         `klap-export --help`\n"
    );
    let r = run(home
        .at(&server)
        .args(["--profile", "prod", "auth", "status"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    r.stderr_has(&["run `klap-export auth login --profile prod`"]);
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
fn credentials_others_can_read_are_refused() {
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
            "klap-export: error: {0} is readable by group (mode 640); run: chmod 600 {0}\n",
            creds.display()
        )
    );
    fs::set_permissions(&creds, fs::Permissions::from_mode(0o622)).unwrap();
    let r = run(home.at(&server).arg("list"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    r.stderr_has(&["is writable by group and others (mode 622); run: chmod 600 "]);
    catch.assert_calls(0);
}

#[test]
fn key_files_the_user_names_are_used_with_one_warning_when_others_can_read_them() {
    let server = MockServer::start();
    let seen = list_with_key(&server, "k-file");
    let home = Home::new("");
    let key = home.key_file("key", "k-file");
    // A container secret: mounted read-only for all, and cannot be changed.
    fs::set_permissions(&key, fs::Permissions::from_mode(0o444)).unwrap();
    let warning = format!(
        "klap-export: warning: the API key file {0} is readable by group and others (mode 444); \
         run: chmod 600 {0}\n",
        key.display()
    );
    let runs = [
        run(home.at(&server).arg("--api-key-file").arg(&key).arg("list")),
        run(home.at(&server).env("KLAP_API_KEY_FILE", &key).arg("list")),
        {
            home.write_config("[default]\napi_key_file = \"~/key\"\n");
            run(home.at(&server).arg("list"))
        },
    ];
    for r in runs {
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.stderr, warning);
    }
    seen.assert_calls(3);
}

#[test]
fn key_and_credentials_files_must_be_regular_files() {
    let server = MockServer::start();
    let catch = any(&server);
    let home = Home::new("");
    let fifo = home.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    for (cmd, what, path) in [
        (
            home.at(&server)
                .arg("--api-key-file")
                .arg(&fifo)
                .arg("list"),
            "the API key file",
            fifo.clone(),
        ),
        (
            home.at(&server)
                .env("KLAP_API_KEY_FILE", "/dev/zero")
                .arg("list"),
            "the API key file",
            PathBuf::from("/dev/zero"),
        ),
        (
            home.at(&server)
                .env("KLAP_CREDENTIALS_FILE", &fifo)
                .arg("list"),
            "the credentials file",
            fifo.clone(),
        ),
        (
            home.at(&server)
                .env("KLAP_CREDENTIALS_FILE", home.path())
                .arg("list"),
            "the credentials file",
            home.path().to_path_buf(),
        ),
    ] {
        let r = run(cmd);
        assert_eq!(r.code, 4, "{}", r.stderr);
        r.stderr_has(&[&format!(
            "{what} {} is not a regular file (it is ",
            path.display()
        )]);
    }
    assert!(started.elapsed() < Duration::from_secs(3));
    catch.assert_calls(0);
}
