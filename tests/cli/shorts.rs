//! shorts: the whole job, its manifest, re-runs and faults.

use httpmock::Method::GET;
use httpmock::MockServer;
use serde_json::json;

use crate::{api, dir_names, run};

/// A server with two ready exports of folder f (named `name1`, `name2`) and their files.
fn two_exports(name1: &str, name2: &str) -> (&'static MockServer, httpmock::Mock<'static>) {
    let server = Box::leak(Box::new(MockServer::start()));
    let mut all = Vec::new();
    for (e, name) in [("e1", name1), ("e2", name2)] {
        let src = server.url(format!("/files/{e}.mp4"));
        let body = json!({
            "id": e, "status": "ready", "src_url": src, "project_id": format!("p{e}"),
            "folder_id": "f", "name": name
        });
        all.push(body.clone());
        server.mock(move |when, then| {
            when.method(GET)
                .path(format!("/v2/projects/f/p{e}/exports/{e}"));
            then.status(200).json_body(body);
        });
    }
    server.mock(move |when, then| {
        when.method(GET)
            .path("/v2/exports")
            .query_param("folder_id", "f");
        then.status(200).json_body(json!(all));
    });
    let files = server.mock(|when, then| {
        when.method(GET).path_prefix("/files/");
        then.status(200).body("MP4");
    });
    (server, files)
}

#[test]
fn download_name_renders_each_file_safely() {
    let (server, files) = two_exports("Best: part/1", "..hidden\u{202e}");
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&server.base_url())
        .args(["download", "f/pe1/e1", "f/pe2/e2", "-o"])
        .arg(dir.path())
        .args(["--name", "{rank:02}-{name}-{project}"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    files.assert_calls(2);
    assert_eq!(
        dir_names(dir.path()),
        ["01-Best_ part_1-pe1.mp4", "02-..hidden_-pe2.mp4"]
    );
}

#[test]
fn two_exports_on_one_path_are_exit_2_before_any_file() {
    let (server, files) = two_exports("Same", "same");
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&server.base_url())
        .args(["download", "f/pe1/e1", "f/pe2/e2", "-o"])
        .arg(dir.path())
        .args(["--name", "{name}"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&["would both be saved as"]);
    files.assert_calls(0);
    assert!(dir_names(dir.path()).is_empty());
}

#[test]
fn an_unknown_placeholder_is_exit_2_with_nothing_sent() {
    let server = MockServer::start();
    let any = server.mock(|_, then| {
        then.status(599);
    });
    for args in [
        vec!["download", "f/p/e", "--name", "{nope}"],
        vec!["wait", "f/p/e", "--download", ".", "--name", "{title}"],
        vec!["create", "f/p", "--download", ".", "--name", "a/{id}"],
        vec!["wait", "f/p/e", "--name", "{id}"],
        vec![
            "shorts",
            "https://example.com/v.mp4",
            "--download",
            ".",
            "--name",
            "{x}",
        ],
    ] {
        let r = run(api(&server.base_url()).args(&args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    }
    any.assert_calls(0);
}

#[test]
fn wait_download_names_files_by_the_template() {
    let (server, files) = two_exports("One", "Two");
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = api(&server.base_url());
    cmd.args([
        "wait",
        "f/pe1/e1",
        "f/pe2/e2",
        "--interval",
        "0.1",
        "--download",
    ])
    .arg(dir.path())
    .args(["--name", "{rank}_{name}.mov"]);
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    files.assert_calls(2);
    assert_eq!(dir_names(dir.path()), ["1_One.mov", "2_Two.mov"]);
}

// ---- the whole job ----

use crate::klap::{Config, Klap};

const URL: &str = "https://example.com/talk.mp4";

fn shorts(klap: &Klap, dir: &std::path::Path, extra: &[&str]) -> crate::Run {
    let mut cmd = api(klap.base());
    cmd.env("CI", "1")
        .args([
            "shorts",
            URL,
            "--top",
            "3",
            "--interval",
            "0.1",
            "--download",
        ])
        .arg(dir)
        .args(extra);
    run(&mut cmd)
}

fn manifest(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("klap-export.json")).unwrap()).unwrap()
}

#[test]
fn the_whole_job_then_a_rerun_that_sends_nothing() {
    let klap = Klap::start(Config::default());
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("clips");
    let r = shorts(&klap, &dir, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    eprintln!("{}", r.stderr);
    eprintln!("{}", r.stdout);
    assert_eq!(
        dir_names(&dir),
        [
            "01-Clip 6.mp4",
            "02-Clip 5.mp4",
            "03-Clip 2.mp4",
            "klap-export.json"
        ]
    );
    assert_eq!(klap.count("POST", "/v2/tasks/"), 1);
    assert_eq!(klap.count("POST", "/v2/projects/"), 3);
    let m = manifest(&dir);
    let keys: Vec<&String> = m.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "source_video_url",
            "task_options",
            "task",
            "folder_id",
            "clips"
        ]
    );
    assert_eq!(m["task"]["status"], "ready");
    assert_eq!(m["clips"][0]["status"], "saved");
    assert_eq!(m["clips"][0]["publication_captions"]["tiktok"], "caption 5");
    assert!(m["clips"][0].get("transcript_text").is_none());
    let before = klap.router.hits().len();
    let r = shorts(&klap, &dir, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let again: Vec<String> = klap.router.lines()[before..].to_vec();
    assert!(again.iter().all(|l| l.starts_with("GET /v2/")), "{again:?}");
    assert!(!again.iter().any(|l| l.contains("/files/")), "{again:?}");
}
