//! End to end against the real `sandbox` command, and the one-command `--sandbox`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use crate::{bin, run};

pub const MP4: &[u8] = include_bytes!("../../src/sandbox/sample.mp4");

/// A `klap-export sandbox` child on a free port, killed when dropped.
pub struct Sandbox {
    child: Child,
    pub url: String,
    /// The first line it printed: where it listens, as bound.
    pub listening: String,
}

impl Sandbox {
    pub fn start(extra: &[&str]) -> Sandbox {
        Sandbox::start_on("127.0.0.1:0", extra)
    }

    /// Listens on `listen`; the URL to use must be a loopback one all the same.
    pub fn start_on(listen: &str, extra: &[&str]) -> Sandbox {
        let mut child = crate::process()
            .args(["sandbox", "--listen", listen])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let listening = lines.next().unwrap().unwrap();
        let export = lines.next().unwrap().unwrap();
        let url = export
            .strip_prefix("export KLAP_BASE_URL=")
            .unwrap_or_else(|| panic!("{listening}\n{export}"))
            .to_string();
        assert!(
            url.starts_with("http://127.0.0.1:") && url.ends_with("/v2"),
            "{export}"
        );
        assert_eq!(
            lines.next().unwrap().unwrap(),
            "export KLAP_API_KEY=sandbox"
        );
        Sandbox {
            child,
            url,
            listening,
        }
    }

    /// Where `/files/` lives.
    pub fn origin(&self) -> &str {
        self.url.trim_end_matches("/v2")
    }

    /// Stops the sandbox and returns what it wrote on stderr.
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let mut err = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            std::io::Read::read_to_string(&mut stderr, &mut err).unwrap();
        }
        err
    }

    pub fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = bin();
        cmd.env("KLAP_BASE_URL", &self.url)
            .env("KLAP_API_KEY", crate::KEY);
        cmd
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn create_status_list_wait_download_end_to_end() {
    let sb = Sandbox::start(&["--ready-after", "0.3s"]);
    let created = run(sb.cmd().args(["create", "demo/clip", "-q"]));
    assert_eq!(created.code, 0, "{}", created.stderr);
    let r#ref = created.stdout.trim().to_string();
    assert!(r#ref.starts_with("demo/clip/exp_"), "{ref}");

    let status = run(sb.cmd().args(["status", &r#ref, "--json"]));
    let v: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(format!("demo/clip/{}", v["id"].as_str().unwrap()), r#ref);
    assert_eq!(v["folder_id"], "demo");
    assert!(v["created_at"].as_str().unwrap().ends_with('Z'));

    // A new export is processing, with no file yet; a direct one has no folder.
    let direct = run(sb.cmd().args(["create", "solo", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&direct.stdout).unwrap();
    assert_eq!(v["status"], "processing");
    assert_eq!(v["src_url"], serde_json::Value::Null);
    assert_eq!(v["finished_at"], serde_json::Value::Null);
    assert_eq!(v["folder_id"], serde_json::Value::Null);

    let list = run(sb.cmd().args(["list", "--folder", "demo", "-q"]));
    assert_eq!(list.stdout, format!("{ref}\n"));
    let list = run(sb
        .cmd()
        .args(["list", "--project", "solo", "--format", "tsv"]));
    assert_eq!(list.stdout.lines().count(), 1);
    assert!(list.stdout.starts_with("solo/exp_"));

    let dir = tempfile::tempdir().unwrap();
    let waited = run(sb
        .cmd()
        .args(["wait", &r#ref, "--interval", "0.1", "--download"])
        .arg(dir.path()));
    assert_eq!(waited.code, 0, "{}", waited.stderr);
    let id = r#ref.rsplit('/').next().unwrap();
    assert_eq!(
        std::fs::read(dir.path().join(format!("{id}.mp4"))).unwrap(),
        MP4
    );

    let out = sb.cmd().args(["download", id, "-o", "-"]).output().unwrap();
    assert_eq!(out.stdout, MP4, "a bare ID works too");

    // A project/folder mismatch is not found.
    let r = run(sb.cmd().args(["status", &format!("other/clip/{id}")]));
    assert_eq!(r.code, 3, "{}", r.stderr);
}

#[test]
fn fail_projects_end_in_error_and_keys_are_required() {
    let sb = Sandbox::start(&["--ready-after", "0.1"]);
    let r = run(sb
        .cmd()
        .args(["create", "fail-render", "--wait", "--interval", "0.1", "-q"]));
    assert_eq!(r.code, 5, "{}", r.stderr);

    let r = run(bin().env("KLAP_BASE_URL", &sb.url).args(["list"]));
    assert_eq!(r.code, 4, "no key: {}", r.stderr);

    // The server itself refuses a missing key and a bad body.
    let http = crate::http();
    let resp = http.get(format!("{}/exports", sb.url)).send().unwrap();
    assert_eq!(resp.status(), 401);
    assert!(resp.text().unwrap().contains("\"message\""));
    let post = |body: &str| {
        http.post(format!("{}/projects/p/exports", sb.url))
            .header("Authorization", "Bearer x")
            .body(body.to_string())
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(post("{nope"), 400);
    assert_eq!(post(r#"{"watermark":{"pos_x":0.5}}"#), 422);
    assert_eq!(
        post(r#"{"watermark":{"src_url":"https://x/l.png","scale":0}}"#),
        422
    );
    assert_eq!(
        post(r#"{"watermark":{"src_url":"https://x/l.png","pos_x":0.2}}"#),
        200
    );
    assert_eq!(post(""), 200);
}

#[test]
fn a_stalled_client_does_not_block_others() {
    use std::io::Write;
    let sb = Sandbox::start(&[]);
    let addr = sb
        .url
        .trim_start_matches("http://")
        .trim_end_matches("/v2")
        .to_string();
    // Clients that promise bodies they never send: each holds one of the workers.
    let stalled: Vec<_> = (0..8)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            let head = "POST /v2/projects/p/exports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nContent-Length: 100000\r\n\r\n{";
            s.write_all(head.as_bytes()).unwrap();
            s
        })
        .collect();
    let r = run(sb.cmd().args(["list", "--json", "--http-timeout", "5"]));
    assert_eq!((r.code, r.stdout.as_str()), (0, "[]\n"), "{}", r.stderr);
    drop(stalled);
}

#[test]
fn seed_fills_the_list_with_mixed_states() {
    let sb = Sandbox::start(&["--seed", "40"]);
    let r = run(sb.cmd().args(["list", "--format", "tsv"]));
    let rows: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(rows.len(), 40);
    for status in ["processing", "ready", "error"] {
        assert!(
            rows.iter().any(|l| l.split('\t').nth(1) == Some(status)),
            "{status}"
        );
    }
    let created: Vec<&str> = rows.iter().map(|l| l.split('\t').nth(3).unwrap()).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first");
}

#[test]
fn one_command_sandbox_writes_the_embedded_mp4() {
    let dir = tempfile::tempdir().unwrap();
    // Twice: a fresh sandbox's IDs never clash with the file of an earlier run.
    for run_number in 1..=2 {
        let r = run(bin().current_dir(dir.path()).args([
            "--sandbox",
            "create",
            "demo/clip",
            "--download",
            ".",
            "--interval",
            "0.2",
            "-q",
        ]));
        assert_eq!(r.code, 0, "run {run_number}: {}", r.stderr);
        let id = r.stdout.trim().rsplit('/').next().unwrap().to_string();
        assert_eq!(
            std::fs::read(dir.path().join(format!("{id}.mp4"))).unwrap(),
            MP4
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            run_number,
            "one new file a run, no .part left"
        );
    }
}
