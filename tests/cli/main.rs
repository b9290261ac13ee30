//! Integration tests: the real binary against loopback servers the tests start.

mod batch;
mod completions;
mod core;
mod download;
mod faults;
mod files;
mod filters;
mod help;
mod hostile;
mod klap;
mod profiles;
mod rerun;
mod sandbox;
mod sandbox_http;
mod script;
mod shorts;
mod surrogate;
mod table;
mod task;
mod trust;
mod ux;
mod wait;

use std::process::Output;

use assert_cmd::Command;

/// The API key every test uses; no test output may ever contain it.
pub const KEY: &str = "sk-test-SECRET-7f3a9c";

/// The binary as a plain process (for pipes and signals), with a clean environment:
/// nothing from the developer's shell leaks in.
pub fn process() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("klap-export"));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        if name.starts_with("KLAP_")
            || ["HOME", "NO_COLOR", "CLICOLOR_FORCE", "CI"].contains(&name.as_str())
        {
            cmd.env_remove(&name);
        }
    }
    cmd.env("RUST_BACKTRACE", "0");
    cmd
}

/// `process()` pointed at a server's `/v2` with the test key.
pub fn process_api(base: &str) -> std::process::Command {
    let mut cmd = process();
    cmd.env("KLAP_BASE_URL", format!("{base}/v2"))
        .env("KLAP_API_KEY", KEY);
    cmd
}

pub fn bin() -> Command {
    Command::from_std(process())
}

pub fn api(base: &str) -> Command {
    Command::from_std(process_api(base))
}

/// What a run printed, checked for the key.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts that stderr contains each of `parts`.
    #[track_caller]
    pub fn stderr_has(&self, parts: &[&str]) {
        for part in parts {
            assert!(
                self.stderr.contains(part),
                "stderr lacks {part:?}:\n{}",
                self.stderr
            );
        }
    }
}

pub fn run(cmd: &mut Command) -> Run {
    let out: Output = cmd.output().expect("run");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stdout.contains(KEY) && !run.stderr.contains(KEY),
        "the API key leaked:\n{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "panic: {}", run.stderr);
    run
}

/// Runs the binary under a pseudo-terminal (`script` from util-linux) and returns the screen.
pub fn in_terminal(base: &str, args: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin("klap-export");
    let out = std::process::Command::new("script")
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .env("KLAP_BASE_URL", format!("{base}/v2"))
        .env("KLAP_API_KEY", KEY)
        .env_remove("CI")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .output()
        .expect("script(1) from util-linux");
    let screen = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{screen}");
    assert!(!screen.contains(KEY));
    screen
}

/// A blocking HTTP client, for tests that talk to a server themselves. reqwest comes
/// without a TLS crypto provider (Cargo.toml): install ring first, as the binary does.
pub fn http() -> reqwest::blocking::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::new()
}

/// The names in a directory, sorted.
pub fn dir_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Says on the terminal that a test skipped a check, and why. Written to stderr
/// itself: the test harness captures `eprintln!` of a passing test, which would hide it.
pub fn say_skipped(why: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "skipped: {why}");
}

/// Whether the binary reads the `KLAP_TEST_*` hooks: debug builds only (the tests and
/// the binary share a profile). A test that needs one returns early under
/// `cargo test --release`, and says so.
pub fn test_hooks(test: &str) -> bool {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: {test} needs the KLAP_TEST_* hooks of a debug build");
    }
    cfg!(debug_assertions)
}

/// Polls `ready` every 10 ms until it holds (true) or 10 s have passed (false): a short
/// interval and a deadline instead of a sleep.
pub fn poll_until(mut ready: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !ready() {
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    true
}

/// Sends `signal` (`INT`, `TERM`, ...) to a child.
pub fn signal(child: &std::process::Child, signal: &str) {
    let sent = std::process::Command::new("kill")
        .args([format!("-{signal}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success(), "kill -{signal}");
}

/// The sizes of the `.part` files in `dir` (the downloads in flight), by name.
pub fn part_files(dir: &std::path::Path) -> Vec<u64> {
    dir_names(dir)
        .iter()
        .filter(|n| n.ends_with(".part"))
        .map(|n| std::fs::metadata(dir.join(n)).map_or(0, |m| m.len()))
        .collect()
}

/// Waits until the `.part` files in `dir` satisfy `ready` (asserting they do in time),
/// then sends `signal` to the child downloading into it.
#[track_caller]
pub fn signal_mid_download(
    child: &std::process::Child,
    dir: &std::path::Path,
    signal: &str,
    ready: impl Fn(&[u64]) -> bool,
) {
    let started = poll_until(|| ready(&part_files(dir)));
    assert!(started, "the download started: {:?}", dir_names(dir));
    self::signal(child, signal);
}

/// Writes a file only its owner can read, as key files must be.
pub fn private_file(path: &std::path::Path, content: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, content).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// An export object as the API documents it.
pub fn export(
    id: &str,
    status: &str,
    folder: Option<&str>,
    project: &str,
    created: &str,
) -> serde_json::Value {
    let ready = status == "ready" || status == "completed";
    serde_json::json!({
        "id": id,
        "status": status,
        "src_url": if ready { Some(format!("https://cdn.example/{id}.mp4")) } else { None },
        "project_id": project,
        "created_at": created,
        "finished_at": if ready { Some("2023-10-02T09:15:00Z") } else { None },
        "name": format!("Clip {id}"),
        "author_id": "user_123",
        "folder_id": folder,
        "descriptions": "d",
    })
}
