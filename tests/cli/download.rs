//! download, and wait --download: bytes on disk, no Authorization to the file host,
//! nothing left behind on failure.

use httpmock::{Mock, MockServer};
use serde_json::json;

use crate::dir_names as files;
use crate::script::{Script, Step, raw, stalled_file};
use crate::{api, export, run};

const MP4: &[u8] = b"\x00\x00\x00\x18ftypmp42 fake movie bytes \x00\x01\x02\xff";

/// A status route for `p/{id}` whose export is `status`, with its file at `file_url`.
fn status_mock<'a>(server: &'a MockServer, id: &str, status: &str, file_url: &str) -> Mock<'a> {
    let mut body = export(id, status, None, "p", "2023-10-02T09:00:00Z");
    if body["src_url"].is_string() {
        body["src_url"] = json!(file_url);
    }
    server.mock(|when, then| {
        when.path(format!("/v2/projects/p/exports/{id}"));
        then.status(200).json_body(body);
    })
}

fn file_mock<'a>(server: &'a MockServer, id: &str) -> Mock<'a> {
    server.mock(|when, then| {
        when.path(format!("/files/{id}.mp4"))
            .header_missing("authorization");
        then.status(200).body(MP4);
    })
}

#[test]
fn downloads_the_exact_bytes_without_the_key() {
    let server = MockServer::start();
    let status = status_mock(&server, "e", "ready", &server.url("/files/e.mp4"));
    let file = file_mock(&server, "e");
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&server.base_url())
        .current_dir(dir.path())
        .args(["download", "p/e"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "e.mp4\n");
    assert_eq!(std::fs::read(dir.path().join("e.mp4")).unwrap(), MP4);
    assert_eq!(files(dir.path()), ["e.mp4"]);
    status.assert();
    file.assert();

    // An existing file is not replaced without --force, and nothing is asked of the server.
    let r = run(api(&server.base_url())
        .current_dir(dir.path())
        .args(["download", "p/e"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&["already exists", "--force"]);
    status.assert_calls(1);
    std::fs::write(dir.path().join("e.mp4"), "old").unwrap();
    let r = run(api(&server.base_url())
        .current_dir(dir.path())
        .args(["download", "p/e", "--force", "-o", "."]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(dir.path().join("e.mp4")).unwrap(), MP4);
    file.assert_calls(2);
}

#[test]
fn dash_streams_to_stdout_and_a_path_names_the_file() {
    let server = MockServer::start();
    status_mock(&server, "e", "completed", &server.url("/files/e.mp4"));
    let file = file_mock(&server, "e");
    let out = api(&server.base_url())
        .args(["download", "p/e", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, MP4);
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("clip.mp4");
    let r = run(api(&server.base_url())
        .args(["download", "p/e", "-o"])
        .arg(&target));
    assert_eq!(r.stdout.trim_end(), target.display().to_string());
    assert_eq!(std::fs::read(&target).unwrap(), MP4);
    file.assert_calls(2);
}

#[test]
fn a_terminal_gets_a_progress_bar() {
    let server = MockServer::start();
    status_mock(&server, "e", "ready", &server.url("/files/e.mp4"));
    let file = file_mock(&server, "e");
    let dir = tempfile::tempdir().unwrap();
    let screen = crate::in_terminal(
        &server.base_url(),
        &format!("download p/e -o {}", dir.path().display()),
    );
    assert!(
        // A file done in well under a second has no ETA to show (r3).
        !screen.contains("ETA") && screen.contains(&format!("{} B/{} B", MP4.len(), MP4.len())),
        "{screen:?}"
    );
    assert_eq!(std::fs::read(dir.path().join("e.mp4")).unwrap(), MP4);
    file.assert();
}

#[test]
fn a_truncated_or_failed_file_leaves_nothing_behind() {
    let server = MockServer::start();
    let short = Script::serve(vec![Step::Raw({
        let mut r = raw(200, &[], MP4);
        r.truncate(r.len() - 10);
        r
    })]);
    status_mock(
        &server,
        "e",
        "ready",
        &format!("{}/files/e.mp4", short.base),
    );
    status_mock(&server, "gone", "ready", &server.url("/files/gone.mp4"));
    server.mock(|when, then| {
        when.path("/files/gone.mp4");
        then.status(403).body("<Error>expired</Error>");
    });
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&server.base_url())
        .args(["download", "p/e", "-o"])
        .arg(dir.path()));
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["download"]);
    assert_eq!(short.seen()[0].header("authorization"), None);
    let r = run(api(&server.base_url())
        .args(["download", "p/gone", "-o"])
        .arg(dir.path()));
    assert_eq!(
        r.code, 1,
        "a file host's 403 is a download failure, not ours: {}",
        r.stderr
    );
    r.stderr_has(&["HTTP 403"]);
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
}

#[test]
fn only_a_ready_export_is_downloaded() {
    let server = MockServer::start();
    status_mock(&server, "bad", "error", "");
    status_mock(&server, "busy", "processing", "");
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&server.base_url())
        .current_dir(dir.path())
        .args(["download", "p/bad"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    let r = run(api(&server.base_url())
        .current_dir(dir.path())
        .args(["download", "p/busy"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["not ready", "wait --download"]);
    assert!(files(dir.path()).is_empty());
}

#[test]
fn wait_download_saves_each_ready_export_in_a_directory() {
    let server = MockServer::start();
    // Two exports of one direct project: one poll of the project's list, no status route.
    let listed: Vec<_> = ["e1", "e2"]
        .iter()
        .map(|id| {
            let mut e = export(id, "ready", None, "p", "2023-10-02T09:00:00Z");
            e["src_url"] = json!(server.url(format!("/files/{id}.mp4")));
            e
        })
        .collect();
    let list = server.mock(|when, then| {
        when.path("/v2/exports").query_param("project_id", "p");
        then.status(200).json_body(json!(listed));
    });
    let (f1, f2) = (file_mock(&server, "e1"), file_mock(&server, "e2"));
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&server.base_url())
        .args(["wait", "p/e1", "p/e2", "-q", "--download"])
        .arg(dir.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "p/e1\np/e2\n");
    assert_eq!(files(dir.path()), ["e1.mp4", "e2.mp4"]);
    list.assert_calls(1);
    f1.assert();
    f2.assert();

    // Several exports need a directory; nothing is sent otherwise.
    let r = run(api(&server.base_url())
        .args(["wait", "p/e1", "p/e2", "--download"])
        .arg(dir.path().join("x.mp4")));
    assert_eq!(r.code, 2, "{}", r.stderr);
    f1.assert_calls(1);
}

#[test]
fn ctrl_c_during_a_download_removes_the_part_file() {
    let stall = stalled_file(100_000, 10_000);
    let server = MockServer::start();
    status_mock(
        &server,
        "e",
        "ready",
        &format!("{}/files/e.mp4", stall.base),
    );
    let dir = tempfile::tempdir().unwrap();
    let mut child = crate::process_api(&server.base_url())
        .args(["download", "p/e", "-o"])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    crate::signal_mid_download(&child, dir.path(), "INT", |parts| !parts.is_empty());
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
}

#[test]
fn a_stalled_file_says_it_timed_out() {
    let stall = stalled_file(10_000, 1_000);
    let server = MockServer::start();
    status_mock(
        &server,
        "e",
        "ready",
        &format!("{}/files/e.mp4", stall.base),
    );
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&server.base_url())
        .args([
            "download",
            "p/e",
            "--retries",
            "0",
            "--http-timeout",
            "0.5",
            "-o",
        ])
        .arg(dir.path()));
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["download failed after 1000 bytes: timed out (--http-timeout)"]);
    assert!(files(dir.path()).is_empty());
}
