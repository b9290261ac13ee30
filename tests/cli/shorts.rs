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
fn with_name_a_leftover_id_file_is_not_the_target() {
    // `e1.mp4` is what the default name would write; under --name nothing writes it.
    let (server, files) = two_exports("One", "Two");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("e1.mp4"), "leftover").unwrap();
    let r = run(api(&server.base_url())
        .args(["download", "f/pe1/e1", "f/pe2/e2", "-o"])
        .arg(dir.path())
        .args(["--name", "{rank}-{name}"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    files.assert_calls(2);
    assert_eq!(dir_names(dir.path()), ["1-One.mp4", "2-Two.mp4", "e1.mp4"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("e1.mp4")).unwrap(),
        "leftover"
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
        .args(["shorts", URL, "--interval", "0.1", "--download"])
        .arg(dir)
        .args(extra);
    if !extra.contains(&"--top") {
        cmd.args(["--top", "3"]);
    }
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

fn slow() -> Config {
    Config {
        task_after: std::time::Duration::from_millis(600),
        empty_for: std::time::Duration::from_millis(600),
        export_after: std::time::Duration::from_millis(600),
        ..Config::default()
    }
}

#[test]
fn stdout_is_the_clips_table_json_or_paths() {
    let klap = Klap::start(Config::default());
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    let r = shorts(&klap, &dir, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let head = r.stdout.lines().next().unwrap();
    assert!(
        head.starts_with("RANK  NAME")
            && head.contains("SCORE")
            && head.contains("EXPORT")
            && head.ends_with("FILE"),
        "{head}"
    );
    assert!(
        r.stdout
            .contains("01    Clip 6  0.85   exp1    01-Clip 6.mp4"),
        "{}",
        r.stdout
    );
    r.stderr_has(&["3 clips: 3 ready, 0 failed, 0 in progress; 3 saved"]);
    let r = shorts(&klap, &dir, &["--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v, manifest(&dir)["clips"]);
    let r = shorts(&klap, &dir, &["-q"]);
    let paths: Vec<String> = r.stdout.lines().map(String::from).collect();
    assert_eq!(paths.len(), 3);
    assert!(paths[0].ends_with("c/01-Clip 6.mp4"), "{paths:?}");
    assert_eq!(r.stderr, "");
}

#[test]
fn a_failed_task_is_exit_5_with_its_error() {
    let klap = Klap::start(Config::default());
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = api(klap.base());
    cmd.args([
        "shorts",
        "https://example.com/fail.mp4",
        "--interval",
        "0.1",
        "--download",
    ])
    .arg(tmp.path());
    let r = run(&mut cmd);
    assert_eq!(r.code, 5, "{}", r.stderr);
    r.stderr_has(&["task task1 failed (error): video_too_long"]);
    assert_eq!(manifest(tmp.path())["task"]["status"], "error");
}

#[test]
fn a_task_that_never_ends_is_exit_6_with_the_same_command_to_pick_up() {
    let klap = Klap::start(Config::default());
    klap.faults(|f| f.task_never_ready = true);
    let tmp = tempfile::tempdir().unwrap();
    let r = shorts(&klap, tmp.path(), &["--timeout", "0.5"]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    r.stderr_has(&[
        "still in progress: task1",
        "pick up again with: klap-export shorts https://example.com/talk.mp4 --download",
        "--top 3",
        "--timeout 500ms",
    ]);
    assert_eq!(manifest(tmp.path())["task"]["id"], "task1");
    // Picked up: the same task, no second POST.
    klap.faults(|f| f.task_never_ready = false);
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(klap.count("POST", "/v2/tasks/"), 1);
}

#[test]
fn a_folder_still_empty_at_the_deadline_is_exit_6() {
    let klap = Klap::start(Config::default());
    klap.faults(|f| f.folder_empty = true);
    let tmp = tempfile::tempdir().unwrap();
    let r = shorts(&klap, tmp.path(), &["--timeout", "1"]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    r.stderr_has(&[
        "folder fold1 still lists no projects",
        "lists no projects yet; asking again every 100ms",
    ]);
    assert!(klap.count("GET", "/v2/projects/fold1") >= 3);
    assert_eq!(manifest(tmp.path())["folder_id"], "fold1");
}

#[test]
fn a_401_half_way_keeps_what_was_done() {
    let klap = Klap::start(Config::default());
    // The task POST, its polls, the listings: then the key is refused.
    klap.faults(|f| f.unauthorized_after = Some(6));
    let tmp = tempfile::tempdir().unwrap();
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    let m = manifest(tmp.path());
    assert_eq!(m["task"]["id"], "task1");
    klap.faults(|f| f.unauthorized_after = None);
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(klap.count("POST", "/v2/tasks/"), 1);
    assert_eq!(klap.count("POST", "/v2/projects/"), 3);
}

#[test]
fn a_manifest_of_another_video_is_exit_2_and_one_not_json_exit_1() {
    let klap = Klap::start(Config::default());
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("klap-export.json");
    std::fs::write(
        &path,
        r#"{"source_video_url": "https://example.com/other.mp4"}"#,
    )
    .unwrap();
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&["the job of another video (https://example.com/other.mp4)"]);
    std::fs::write(&path, "{not json").unwrap();
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["klap-export.json cannot be used", "left as it is"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{not json");
    // A file name in it that would leave DIR is refused the same way.
    std::fs::write(&path, serde_json::json!({"source_video_url": URL, "clips": [{"rank": 1, "project_id": "p", "name": null, "virality_score": null, "export_id": null, "file": "../../x.mp4", "bytes": null, "status": "pending"}]}).to_string()).unwrap();
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(klap.router.hits().is_empty());
}

#[test]
fn hostile_and_equal_project_names_give_safe_distinct_files() {
    let klap = Klap::start(Config {
        names: vec![
            json!("same"),
            json!("../../etc/passwd"),
            json!("x\u{1b}[31m\u{202e}y"),
            json!("same"),
            json!("Same"),
            json!(".."),
        ],
        ..Config::default()
    });
    let tmp = tempfile::tempdir().unwrap();
    let r = shorts(&klap, tmp.path(), &["--top", "6"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files = dir_names(tmp.path());
    assert_eq!(
        files,
        [
            "01-.mp4",
            "02-Same.mp4",
            "03-.._.._etc_passwd.mp4",
            "04-same.mp4",
            "05-same.mp4",
            "06-x_[31m_y.mp4",
            "klap-export.json"
        ],
    );
    // Without {rank}, two clips on one name: exit 2 before any export is created.
    let other = tempfile::tempdir().unwrap();
    let r = shorts(&klap, other.path(), &["--top", "6", "--name", "{name}"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&["would both be saved as"]);
    assert_eq!(klap.count("POST", "/v2/projects/"), 6);
}

#[test]
fn a_task_post_whose_answer_is_lost_stops_the_rerun_until_new_task() {
    let klap = Klap::start(Config::default());
    klap.faults(|f| f.drop_task_answer = true);
    let tmp = tempfile::tempdir().unwrap();
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["the task may have been created", "no route lists tasks"]);
    let m = manifest(tmp.path());
    assert_eq!(
        m["task"],
        json!({"id": null, "type": null, "status": "sent", "output_id": null})
    );
    klap.faults(|f| f.drop_task_answer = false);
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["sent for this video without an answer", "--new-task"]);
    assert_eq!(klap.count("POST", "/v2/tasks/"), 1);
    let r = shorts(&klap, tmp.path(), &["--new-task"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(klap.count("POST", "/v2/tasks/"), 2);
}

#[test]
fn a_failed_export_is_exit_5_and_the_rerun_makes_only_that_one_again() {
    let klap = Klap::start(Config::default());
    klap.faults(|f| f.failing = vec!["p05".into()]);
    let tmp = tempfile::tempdir().unwrap();
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 5, "{}", r.stderr);
    r.stderr_has(&[
        "export fold1/p05/exp2 (clip 02, 02-Clip 5.mp4) failed (error)",
        "3 clips: 2 ready, 1 failed",
    ]);
    assert_eq!(manifest(tmp.path())["clips"][1]["status"], "failed");
    klap.faults(|f| f.failing.clear());
    // The old export of p05 now shows ready in the fake; fail it for good by its id.
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(klap.count("POST", "/v2/tasks/"), 1);
    assert!(klap.count("POST", "/v2/projects/") <= 4);
    assert_eq!(dir_names(tmp.path()).len(), 4);
}

#[test]
fn an_export_gone_from_its_folder_ends_its_clip_not_the_wait() {
    // Missing from the list and 404 on its route: exit 3 now, not a wait to the deadline.
    let klap = Klap::start(Config::default());
    klap.faults(|f| f.vanished = vec!["p05".into()]);
    let tmp = tempfile::tempdir().unwrap();
    let r = shorts(&klap, tmp.path(), &["--timeout", "20"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    r.stderr_has(&["clip 02: GET", "HTTP 404"]);
    assert_eq!(dir_names(tmp.path()).len(), 3, "two clips and the manifest");
    assert_eq!(manifest(tmp.path())["clips"][1]["status"], "failed");
}

#[test]
fn dry_run_writes_nothing_and_sends_only_gets() {
    let klap = Klap::start(Config::default());
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let r = shorts(&klap, &dir, &["--dry-run", "--clips", "4"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&[r#"would POST /tasks/video-to-shorts {"source_video_url":"https://example.com/talk.mp4","target_clip_count":4}"#]);
    assert!(!dir.exists());
    assert!(klap.router.hits().is_empty());
    // With a task recorded: the folder's projects and what --reuse would take.
    klap.faults(|f| f.task_never_ready = true);
    let r = shorts(&klap, tmp.path(), &["--timeout", "0.3"]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    klap.faults(|f| f.task_never_ready = false);
    // Until the task's folder lists its projects.
    std::thread::sleep(std::time::Duration::from_millis(400));
    let before = std::fs::read_to_string(tmp.path().join("klap-export.json")).unwrap();
    let n = klap.router.hits().len();
    let r = shorts(&klap, tmp.path(), &["--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&[
        "would reuse task task1",
        "would create fold1/p06",
        "would create fold1/p02",
    ]);
    assert!(
        klap.router.lines()[n..]
            .iter()
            .all(|l| l.starts_with("GET "))
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("klap-export.json")).unwrap(),
        before
    );
}

#[test]
fn create_dry_run_says_what_it_would_create_and_reuse() {
    let server = MockServer::start();
    let list = server.mock(|when, then| {
        when.method(GET).path("/v2/exports").query_param("folder_id", "f");
        then.status(200).json_body(json!([
            {"id": "e1", "status": "ready", "project_id": "p1", "folder_id": "f", "src_url": "https://x/e1.mp4", "created_at": "2023-10-02T09:00:00Z"}
        ]));
    });
    let other = server.mock(|when, then| {
        when.method(httpmock::Method::POST);
        then.status(599);
    });
    let r = run(api(&server.base_url()).args(["create", "f/p1", "f/p2", "--reuse", "--dry-run"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&["would reuse f/p1/e1 (ready)", "would create f/p2"]);
    assert_eq!(r.stdout, "");
    list.assert_calls(1);
    other.assert_calls(0);
    let r = run(api(&server.base_url()).args(["create", "f/p1", "--dry-run"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&["would create f/p1"]);
    other.assert_calls(0);
}

/// Runs the job, sends SIGINT once `when` holds for the manifest, and checks that the run
/// ended 130 with a whole manifest; then the same command finishes the job.
fn interrupted_then_rerun(step: &str, when: impl Fn(&serde_json::Value) -> bool) {
    let klap = Klap::start(Config {
        export_stagger: std::time::Duration::from_millis(400),
        ..slow()
    });
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = crate::process_api(klap.base());
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
        .arg(tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    let path = tmp.path().join("klap-export.json");
    let reached = crate::poll_until(|| {
        std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .is_some_and(|m| when(&m))
    });
    assert!(reached, "{step}: never reached");
    crate::signal(&child, "INT");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{step}: {stderr}");
    assert!(
        stderr.contains("klap-export shorts https://example.com/talk.mp4 --download"),
        "{step}: {stderr}"
    );
    let m = manifest(tmp.path());
    assert_eq!(m["source_video_url"], URL, "{step}: a whole manifest");
    assert!(
        dir_names(tmp.path()).iter().all(|n| !n.ends_with(".part")),
        "{step}"
    );
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 0, "{step}: {}", r.stderr);
    assert_eq!(klap.count("POST", "/v2/tasks/"), 1, "{step}: one task");
    assert_eq!(
        klap.count("POST", "/v2/projects/"),
        3,
        "{step}: one export per clip"
    );
    assert_eq!(dir_names(tmp.path()).len(), 4, "{step}");
    let m = manifest(tmp.path());
    assert!(
        m["clips"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "saved")
    );
}

#[test]
fn ctrl_c_while_the_task_runs() {
    interrupted_then_rerun("task", |m| m["task"]["id"] == "task1");
}

#[test]
fn ctrl_c_while_the_folder_is_still_empty() {
    interrupted_then_rerun("folder", |m| m["folder_id"] == "fold1");
}

#[test]
fn ctrl_c_while_the_exports_render() {
    interrupted_then_rerun("exports", |m| {
        m["clips"]
            .as_array()
            .is_some_and(|c| c.len() == 3 && c.iter().all(|c| c["status"] == "processing"))
    });
}

#[test]
fn ctrl_c_between_downloads() {
    interrupted_then_rerun("downloads", |m| {
        m["clips"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["status"] == "saved"))
    });
}

#[test]
fn on_a_terminal_each_clip_has_a_line_and_the_table_follows() {
    let klap = Klap::start(Config::default());
    let tmp = tempfile::tempdir().unwrap();
    let screen = crate::in_terminal(
        klap.base(),
        &format!(
            "shorts {URL} --top 2 --interval 0.1 --download {}",
            tmp.path().display()
        ),
    );
    assert!(screen.contains("saved"), "{screen}");
    assert!(
        screen.contains("RANK") && screen.contains("exp1    01-Clip 6.mp4"),
        "{screen}"
    );
    assert!(
        screen.contains("2 clips: 2 ready, 0 failed, 0 in progress; 2 saved"),
        "{screen}"
    );
    assert_eq!(dir_names(tmp.path()).len(), 3);
}

// ---- against the sandbox ----

#[test]
fn the_readme_command_runs_offline_in_seconds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("clips");
    let started = std::time::Instant::now();
    let mut cmd = crate::bin();
    cmd.env("CI", "1")
        .args(["--sandbox", "shorts", URL, "--top", "3", "--download"])
        .arg(&dir);
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    let names = dir_names(&dir);
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(
        names[0].starts_with("01-") && names[2].starts_with("03-"),
        "{names:?}"
    );
    for n in names.iter().filter(|n| n.ends_with(".mp4")) {
        assert_eq!(
            std::fs::read(dir.join(n)).unwrap(),
            crate::sandbox::MP4,
            "{n}"
        );
    }
    let m = manifest(&dir);
    assert_eq!(m["task"]["status"], "ready");
    assert!(
        m["clips"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "saved")
    );
    r.stderr_has(&["3 clips: 3 ready, 0 failed, 0 in progress; 3 saved"]);
}

#[test]
fn the_sandbox_fails_fail_urls_and_serves_task_pipelines() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = crate::bin();
    cmd.args([
        "--sandbox",
        "shorts",
        "https://example.com/fail.mp4",
        "--download",
    ])
    .arg(tmp.path());
    let r = run(&mut cmd);
    assert_eq!(r.code, 5, "{}", r.stderr);
    r.stderr_has(&["failed (error)"]);
    let mut cmd = crate::bin();
    cmd.args([
        "--sandbox",
        "task",
        "create",
        URL,
        "--max-clips",
        "4",
        "--wait",
        "-q",
    ]);
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

#[test]
fn against_one_sandbox_a_rerun_sends_no_post_and_no_file_get() {
    let sandbox = crate::sandbox::Sandbox::start(&["--ready-after", "0.5s", "-v"]);
    let tmp = tempfile::tempdir().unwrap();
    let job = |extra: &[&str]| {
        let mut cmd = sandbox.cmd();
        cmd.env("CI", "1")
            .args([
                "shorts",
                URL,
                "--top",
                "4",
                "--interval",
                "0.1",
                "--download",
            ])
            .arg(tmp.path())
            .args(extra);
        run(&mut cmd)
    };
    let r = job(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = job(&["--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let clips: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(clips.as_array().unwrap().len(), 4);
    let log = sandbox.stop();
    let posts = log.lines().filter(|l| l.starts_with("POST ")).count();
    let files = log.lines().filter(|l| l.contains("/files/")).count();
    assert_eq!(posts, 1 + 4, "one task, one export per clip:\n{log}");
    assert_eq!(files, 4, "each file fetched once:\n{log}");
}

#[test]
fn download_name_with_skip_existing_keeps_the_named_file() {
    let (server, files) = two_exports("One", "Two");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("1-One.mp4"), "kept").unwrap();
    let r = run(api(&server.base_url())
        .args(["download", "f/pe1/e1", "f/pe2/e2", "--skip-existing", "-o"])
        .arg(dir.path())
        .args(["--name", "{rank}-{name}"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    files.assert_calls(1);
    assert_eq!(dir_names(dir.path()), ["1-One.mp4", "2-Two.mp4"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("1-One.mp4")).unwrap(),
        "kept"
    );
}

// ---- what is at a clip's path ----

#[cfg(unix)]
#[test]
fn a_planted_symlink_at_a_clip_path_is_exit_2_before_any_export_and_on_every_rerun() {
    let klap = Klap::start(Config::default());
    let tmp = tempfile::tempdir().unwrap();
    let link = tmp.path().join("01-Clip 6.mp4");
    std::os::unix::fs::symlink("/etc/passwd", &link).unwrap();
    for _ in 0..2 {
        let r = shorts(&klap, tmp.path(), &["-q"]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        r.stderr_has(&["01-Clip 6.mp4 (clip 01: a symbolic link)", "move it away"]);
        assert_eq!(r.stdout, "");
        assert_eq!(klap.count("POST", "/v2/projects/"), 0, "no export paid for");
        assert!(klap.count("GET", "/files/") == 0);
        let m = manifest(tmp.path());
        assert!(
            m["clips"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["status"] != "saved")
        );
        assert_eq!(
            std::fs::read_link(&link).unwrap(),
            std::path::Path::new("/etc/passwd")
        );
    }
    let r = shorts(&klap, tmp.path(), &["--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&[
        "would stop before any export: ",
        "01-Clip 6.mp4 is in the way of clip 01 (a symbolic link)",
    ]);
    std::fs::remove_file(&link).unwrap();
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(&link).unwrap(), crate::klap::FILE);
    assert_eq!(klap.count("POST", "/v2/tasks/"), 1);
}

#[test]
fn a_file_already_in_a_fresh_dir_is_not_adopted_as_a_clip() {
    let klap = Klap::start(Config::default());
    let tmp = tempfile::tempdir().unwrap();
    let mine = tmp.path().join("02-Clip 5.mp4");
    std::fs::write(&mine, "my own video").unwrap();
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&[
        "02-Clip 5.mp4 (clip 02: a file the manifest does not record as this clip's)",
        "move it away",
    ]);
    assert!(!r.stderr.contains("kept"), "{}", r.stderr);
    assert_eq!(klap.count("POST", "/v2/projects/"), 0);
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my own video");
}

#[cfg(unix)]
#[test]
fn a_saved_clip_counts_only_while_its_file_is_the_one_saved() {
    let klap = Klap::start(Config::default());
    let tmp = tempfile::tempdir().unwrap();
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = crate::klap::FILE.len();
    assert_eq!(manifest(tmp.path())["clips"][0]["bytes"], bytes);
    let first = tmp.path().join("01-Clip 6.mp4");
    // Emptied: not the file saved.
    std::fs::write(&first, "").unwrap();
    let r = shorts(&klap, tmp.path(), &["-q"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&[&format!(
        "(clip 01: 0 bytes, not the {bytes} the manifest records)"
    )]);
    assert_eq!(r.stdout, "");
    // Swapped for a symlink: never followed, never recorded with the target's size.
    std::fs::remove_file(&first).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", &first).unwrap();
    let r = shorts(&klap, tmp.path(), &["-q"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&["(clip 01: a symbolic link)"]);
    assert!(!r.stdout.contains("01-Clip 6.mp4"), "{}", r.stdout);
    assert_eq!(manifest(tmp.path())["clips"][0]["bytes"], bytes);
    // Gone: fetched again from the export already made.
    std::fs::remove_file(&first).unwrap();
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(&first).unwrap(), crate::klap::FILE);
    assert_eq!(klap.count("POST", "/v2/projects/"), 3);
    assert_eq!(klap.count("GET", "/files/"), 4);
}

#[test]
fn after_new_task_the_old_files_are_not_kept_as_the_new_clips() {
    let klap = Klap::start(Config::default());
    let tmp = tempfile::tempdir().unwrap();
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = shorts(&klap, tmp.path(), &["--new-task"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&[
        "move them away",
        "01-Clip 6.mp4 (clip 01:",
        "03-Clip 2.mp4 (clip 03:",
    ]);
    assert_eq!(klap.count("POST", "/v2/tasks/"), 2);
    assert_eq!(
        klap.count("POST", "/v2/projects/"),
        3,
        "no export for the new task yet"
    );
    let m = manifest(tmp.path());
    assert_eq!(m["task"]["id"], "task2");
    assert!(
        m["clips"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] != "saved")
    );
}

// ---- task options ----

/// The bodies of the task POSTs the fake saw.
fn task_bodies(klap: &Klap) -> Vec<serde_json::Value> {
    klap.router
        .hits()
        .iter()
        .filter(|h| h.seen.method == "POST" && h.seen.path.starts_with("/v2/tasks/"))
        .map(|h| serde_json::from_str(&h.seen.body).unwrap())
        .collect()
}

#[test]
fn a_manifest_without_a_task_sends_the_options_given_now() {
    // What a first run leaves when its task POST is refused (no task), or a record of one
    // that was never sent (no ID, not "sent"): the options that run was given.
    let unsent = json!({"id": null, "type": null, "status": "refused", "output_id": null});
    for task in [serde_json::Value::Null, unsent] {
        let klap = Klap::start(Config::default());
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join("klap-export.json"),
            json!({"source_video_url": URL, "task_options": {"target_clip_count": 9}, "task": task})
                .to_string(),
        )
        .unwrap();
        let r = shorts(&klap, tmp.path(), &["--clips", "4", "--dry-run"]);
        assert_eq!(r.code, 0, "{task}: {}", r.stderr);
        r.stderr_has(&[&format!(
            r#"would POST /tasks/video-to-shorts {{"source_video_url":"{URL}","target_clip_count":4}}"#
        )]);
        assert!(klap.router.hits().is_empty());
        let r = shorts(&klap, tmp.path(), &["--clips", "4"]);
        assert_eq!(r.code, 0, "{task}: {}", r.stderr);
        assert_eq!(
            task_bodies(&klap),
            [json!({"source_video_url": URL, "target_clip_count": 4})]
        );
        assert_eq!(
            manifest(tmp.path())["task_options"],
            json!({"target_clip_count": 4})
        );
    }
}

#[test]
fn other_options_on_a_rerun_are_said_not_ignored_silently() {
    let klap = Klap::start(Config::default());
    let tmp = tempfile::tempdir().unwrap();
    let r = shorts(&klap, tmp.path(), &["--clips", "2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (extra, warned) in [
        (&["--clips", "4"][..], true),
        (&["--clips", "4", "--dry-run"], true),
        (&["--clips", "2"], false),
        (&[], false),
    ] {
        let r = shorts(&klap, tmp.path(), extra);
        assert_eq!(r.code, 0, "{extra:?}: {}", r.stderr);
        let lines: Vec<&str> = r.stderr.lines().filter(|l| l.contains("warning")).collect();
        if warned {
            assert_eq!(lines.len(), 1, "{extra:?}: {}", r.stderr);
            assert!(
                lines[0].contains(r#"task task1 of "#)
                    && lines[0].contains(
                        r#"goes on with the options it was made with, {"target_clip_count":2}; those given now are not sent"#
                    ),
                "{}",
                lines[0]
            );
        } else {
            assert!(lines.is_empty(), "{extra:?}: {}", r.stderr);
        }
    }
    assert_eq!(task_bodies(&klap).len(), 1);
}

// ---- what is kept ----

#[test]
fn top_0_is_exit_2_with_nothing_sent_and_no_dir() {
    let server = MockServer::start();
    let any = server.mock(|_, then| {
        then.status(599);
    });
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let r = run(api(&server.base_url())
        .args(["shorts", URL, "--top", "0", "--download"])
        .arg(&dir));
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&["'--top <N>': must be at least 1"]);
    assert!(!dir.exists());
    // As projects takes it.
    let r = run(api(&server.base_url()).args(["projects", "f", "--top", "0"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&["'--top <N>': must be at least 1"]);
    any.assert_calls(0);
}

#[test]
fn min_virality_above_every_score_is_said_and_exit_0() {
    let klap = Klap::start(Config::default());
    let tmp = tempfile::tempdir().unwrap();
    let r = shorts(&klap, tmp.path(), &["--min-virality", "0.99"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&[
        "klap-export: warning: no project of folder fold1 has a virality score >= 0.99",
        "0 clips: 0 ready",
    ]);
    assert_eq!(klap.count("POST", "/v2/projects/"), 0);
    assert_eq!(manifest(tmp.path())["clips"], json!([]));
}

// ---- checked before any export is paid for ----

#[test]
fn a_directory_at_a_clip_path_is_found_before_any_export() {
    let klap = Klap::start(Config::default());
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("02-Clip 5.mp4")).unwrap();
    let r = shorts(&klap, tmp.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&["02-Clip 5.mp4 (clip 02: a directory)"]);
    assert_eq!(klap.count("POST", "/v2/projects/"), 0);
    assert_eq!(klap.count("GET", "/v2/exports"), 0);
}

#[test]
fn a_rerun_whose_name_makes_two_clips_one_file_is_exit_2_before_any_export() {
    let klap = Klap::start(Config {
        names: vec![json!("same"); 6],
        ..Config::default()
    });
    let tmp = tempfile::tempdir().unwrap();
    // Clips chosen, no export yet (as a run stopped after the listing leaves it).
    let clip = |rank: usize, project: &str| {
        json!({"rank": rank, "project_id": project, "name": "same", "virality_score": null,
               "export_id": null, "file": format!("{rank:02}-same.mp4"), "bytes": null,
               "status": "pending"})
    };
    std::fs::write(
        tmp.path().join("klap-export.json"),
        json!({"source_video_url": URL, "task_options": {},
               "task": {"id": "task1", "type": "video-to-shorts", "status": "ready", "output_id": "fold1"},
               "folder_id": "fold1", "clips": [clip(1, "p01"), clip(2, "p02")]})
        .to_string(),
    )
    .unwrap();
    let r = shorts(&klap, tmp.path(), &["--name", "{name}", "--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&["would stop before any export: clips 1 and 2 would both be saved as same.mp4"]);
    let r = shorts(&klap, tmp.path(), &["--name", "{name}"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&["clips 1 and 2 would both be saved as same.mp4"]);
    assert_eq!(klap.count("POST", "/v2/projects/"), 0);
    // With a --name that tells them apart, the job goes on under it.
    let r = shorts(&klap, tmp.path(), &["--name", "{rank}-{name}"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        dir_names(tmp.path()),
        ["1-same.mp4", "2-same.mp4", "klap-export.json"]
    );
}
