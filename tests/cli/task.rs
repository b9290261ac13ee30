//! task create|status|wait: bodies, checks before sending, states, exit codes, outputs.

use httpmock::Method::{GET, POST};
use httpmock::MockServer;
use serde_json::json;

use crate::klap::{Config, FOLDER, Klap};
use crate::script::{Script, Step, json};
use crate::{KEY, api, run};

fn any(server: &MockServer) -> httpmock::Mock<'_> {
    server.mock(|_, then| {
        then.status(599);
    })
}

#[test]
fn create_sends_only_the_given_fields() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v2/tasks/video-to-shorts")
            .header("authorization", format!("Bearer {KEY}"))
            .json_body(json!({
                "source_video_url": "https://example.com/talk.mp4",
                "language": "en",
                "name": "Talk",
                "target_clip_count": 5,
                "min_duration": 15,
                "max_duration": 60,
                "editing_options": {"emojis": false, "remove_silences": true},
                "dimensions": {"width": 1080, "height": 1920}
            }));
        then.status(200).json_body(json!({
            "id": "task_001", "type": "video-to-shorts", "status": "processing",
            "created_at": "2023-10-01T12:00:00Z", "output_type": "folder", "output_id": null
        }));
    });
    let r = run(api(&server.base_url()).args([
        "task",
        "create",
        "https://example.com/talk.mp4",
        "--language",
        "en",
        "--title",
        "Talk",
        "--clips",
        "5",
        "--min-duration",
        "15",
        "--max-duration",
        "60",
        "--no-emojis",
        "--remove-silences",
        "--size",
        "1080x1920",
    ]));
    mock.assert();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = r.stdout.lines();
    let head = lines.next().unwrap();
    for col in ["ID", "TYPE", "STATUS", "OUTPUT", "CREATED"] {
        assert!(head.contains(col), "{head}");
    }
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("task_001  video-to-shorts  processing")
    );
}

#[test]
fn create_q_prints_the_id_and_json_is_verbatim() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST)
            .path("/v2/tasks/video-to-video")
            .json_body(json!({
                "source_video_url": "http://example.com/v.mp4", "language": "fr"
            }));
        then.status(200).json_body(json!({
            "id": "t9", "type": "video-to-video", "status": "processing", "extra": [1]
        }));
    });
    let url = "http://example.com/v.mp4";
    let r = run(api(&server.base_url()).args([
        "task",
        "create",
        url,
        "--video-to-video",
        "--language",
        "fr",
        "-q",
    ]));
    assert_eq!((r.code, r.stdout.as_str()), (0, "t9\n"), "{}", r.stderr);
    let r = run(api(&server.base_url()).args([
        "task",
        "create",
        url,
        "--video-to-video",
        "--language",
        "fr",
        "--json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["extra"], json!([1]));
}

#[test]
fn bad_values_are_usage_errors_with_nothing_sent() {
    let server = MockServer::start();
    let mock = any(&server);
    let url = "https://example.com/v.mp4";
    for args in [
        vec!["ftp://example.com/v.mp4"],
        vec!["not a url"],
        vec![url, "--min-duration", "0"],
        vec![url, "--min-duration", "121"],
        vec![url, "--max-duration", "181"],
        vec![url, "--target-duration", "2.5"],
        vec![url, "--min-duration", "60", "--max-duration", "30"],
        vec![url, "--min-duration", "40", "--target-duration", "30"],
        vec![url, "--target-duration", "90", "--max-duration", "60"],
        vec![url, "--size", "0x0"],
        vec![url, "--size", "4097x100"],
        vec![url, "--size", "1080"],
        vec![url, "--clips", "0"],
        vec![url, "--video-to-video", "--clips", "3"],
        vec![url, "--video-to-video", "--title", "x"],
        vec![url, "--timeout", "5m"],
    ] {
        let r = run(api(&server.base_url())
            .arg("task")
            .arg("create")
            .args(&args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    }
    mock.assert_calls(0);
}

#[test]
fn dry_run_prints_the_body_and_sends_nothing() {
    let server = MockServer::start();
    let mock = any(&server);
    let r = run(api(&server.base_url()).args([
        "task",
        "create",
        "https://example.com/v.mp4",
        "--max-clips",
        "3",
        "--dry-run",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    mock.assert_calls(0);
    assert_eq!(r.stdout, "");
    r.stderr_has(&[
        r#"would POST /tasks/video-to-shorts {"source_video_url":"https://example.com/v.mp4","max_clip_count":3}"#,
    ]);
}

#[test]
fn dry_run_needs_no_key() {
    // Nothing is sent, so no key is looked for (no prompt, no api_key_command).
    let r = run(crate::bin().args(["task", "create", "https://example.com/v.mp4", "--dry-run"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&["would POST /tasks/video-to-shorts"]);
}

#[test]
fn a_post_whose_answer_is_lost_is_not_retried_and_may_exist() {
    let server = Script::serve(vec![Step::Close]);
    let r = run(api(&server.base).args(["task", "create", "https://example.com/v.mp4"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(server.seen().len(), 1, "a POST is never retried");
    r.stderr_has(&["the task may have been created", "no route lists tasks"]);
}

#[test]
fn wait_goes_through_the_states_and_q_prints_the_folder() {
    let task = |status: &str, output: Option<&str>| {
        json(
            200,
            &json!({"id": "t1", "type": "video_to_shorts", "status": status, "output_id": output}),
        )
    };
    let server = Script::serve(vec![
        task("pending", None),
        task("in_progress", None),
        task("completed", None),
        task("completed", Some("F1")),
    ]);
    let mut cmd = api(&server.base);
    cmd.env("CI", "1")
        .args(["task", "wait", "t1", "--interval", "0.1", "-q"]);
    let r = run(&mut cmd);
    assert_eq!((r.code, r.stdout.as_str()), (0, "F1\n"), "{}", r.stderr);
    let seen = server.seen();
    assert_eq!(seen.len(), 4);
    assert!(
        seen.iter()
            .all(|s| s.method == "GET" && s.path == "/v2/tasks/t1")
    );
    // -q: no progress lines.
    assert_eq!(r.stderr, "");
    let server = Script::serve(vec![task("pending", None), task("ready", Some("F1"))]);
    let mut cmd = api(&server.base);
    cmd.env("CI", "1")
        .args(["task", "wait", "t1", "--interval", "0.1", "--format", "tsv"]);
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "t1\tvideo_to_shorts\tready\tF1\t\n");
    r.stderr_has(&[
        "klap-export: task t1: pending",
        "klap-export: task t1: ready",
    ]);
    assert!(!r.stderr.contains('\x1b'));
}

#[test]
fn a_failed_task_shows_the_servers_error_and_exits_5() {
    for field in ["error", "error_message", "error_code", "message"] {
        let server = Script::serve(vec![json(
            200,
            &json!({"id": "t1", "status": "failed", field: "video_too_long"}),
        )]);
        let r = run(api(&server.base).args(["task", "wait", "t1", "--interval", "0.1"]));
        assert_eq!(r.code, 5, "{field}: {}", r.stderr);
        r.stderr_has(&["task t1 failed (failed): video_too_long"]);
    }
}

#[test]
fn the_deadline_is_exit_6_with_how_to_pick_up() {
    let server = Script::serve(vec![json(
        200,
        &json!({"id": "t1", "status": "processing"}),
    )]);
    let r = run(api(&server.base).args([
        "task",
        "wait",
        "t1",
        "--interval",
        "0.1",
        "--timeout",
        "0.4",
    ]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    r.stderr_has(&["still in progress: t1", "klap-export task wait t1"]);
}

#[test]
fn a_deadline_after_failed_polls_is_exit_1_not_still_in_progress() {
    // One answer, then only 503s: what the task is now is not known.
    let server = Script::serve(vec![
        json(200, &json!({"id": "t1", "status": "processing"})),
        json(503, &json!({"message": "down"})),
    ]);
    let r = run(api(&server.base).args([
        "task",
        "wait",
        "t1",
        "--interval",
        "0.1",
        "--timeout",
        "0.6",
        "--retries",
        "0",
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["the latest poll failed", "not known to be done: t1"]);
    assert!(!r.stderr.contains("still in progress"), "{}", r.stderr);
}

#[test]
fn a_wait_that_never_reaches_the_api_fails_at_once() {
    // A port nobody listens on.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let started = std::time::Instant::now();
    let mut cmd = api(&dead);
    cmd.args([
        "task",
        "wait",
        "t1",
        "--interval",
        "0.1",
        "--timeout",
        "30",
        "--retries",
        "0",
    ]);
    let r = run(&mut cmd);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    r.stderr_has(&["connection refused"]);
}

#[test]
fn status_is_exit_0_in_any_state_3_when_missing_4_on_401() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/v2/tasks/t1");
        then.status(200)
            .json_body(json!({"id": "t1", "status": "error", "error": "invalid_url"}));
    });
    server.mock(|when, then| {
        when.method(GET).path("/v2/tasks/nope");
        then.status(404).json_body(json!({"message": "not found"}));
    });
    let r = run(api(&server.base_url()).args(["task", "status", "t1"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&["invalid_url"]);
    let r = run(api(&server.base_url()).args(["task", "status", "t1", "nope", "--json"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    let denied = MockServer::start();
    denied.mock(|_, then| {
        then.status(401).json_body(json!({"message": "bad key"}));
    });
    let r = run(api(&denied.base_url()).args(["task", "status", "t1"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    // IDs follow the ID rule.
    let r = run(api(&denied.base_url()).args(["task", "status", "a/b"]));
    assert_eq!(r.code, 2);
}

#[test]
fn create_wait_q_feeds_projects_then_create() {
    let klap = Klap::start(Config::default());
    let mut cmd = api(klap.base());
    cmd.args([
        "task",
        "create",
        "https://example.com/talk.mp4",
        "--wait",
        "--interval",
        "0.1",
        "-q",
    ]);
    let r = run(&mut cmd);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, format!("{FOLDER}\n").as_str()),
        "{}",
        r.stderr
    );
    assert_eq!(klap.count("POST", "/v2/tasks/"), 1);
    // The listing may still be empty: projects - says nothing is there yet, exit 0.
    std::thread::sleep(std::time::Duration::from_millis(250));
    let mut cmd = api(klap.base());
    cmd.args(["projects", "-", "-q", "--top", "2"])
        .write_stdin(r.stdout);
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, format!("{FOLDER}/p06\n{FOLDER}/p05\n"));
}

#[test]
fn projects_reads_folders_from_stdin_and_keeps_the_top_of_each() {
    let server = MockServer::start();
    for f in ["fa", "fb"] {
        server.mock(move |when, then| {
            when.method(GET).path(format!("/v2/projects/{f}"));
            then.status(200).json_body(json!([
                {"id": format!("{f}1"), "virality_score": 0.1},
                {"id": format!("{f}2"), "virality_score": 0.9},
                {"id": format!("{f}3"), "virality_score": 0.5}
            ]));
        });
    }
    let mut cmd = api(&server.base_url());
    cmd.args(["projects", "-", "-q", "--top", "2"])
        .write_stdin("fa\n# a comment\n\nfb\n");
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "fa/fa2\nfa/fa3\nfb/fb2\nfb/fb3\n");
    let mut cmd = api(&server.base_url());
    cmd.args(["projects", "-", "--min-virality", "0.8", "--json"])
        .write_stdin("fa\nfb\n");
    let r = run(&mut cmd);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    // A bad line is a usage error naming it, nothing sent for it.
    let mut cmd = api(&server.base_url());
    cmd.args(["projects", "-"]).write_stdin("fa\nnot/ok\n");
    let r = run(&mut cmd);
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&["stdin line 2"]);
}

/// A port that takes each connection and closes it unanswered; counts the connections.
fn hangs_up() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in l.incoming() {
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(stream);
        }
    });
    (base, count)
}

#[test]
fn a_first_round_without_answer_is_retried_then_exit_1() {
    for (retries, tries) in [("0", 1), ("2", 3)] {
        let (base, count) = hangs_up();
        let started = std::time::Instant::now();
        let r = run(api(&base).args([
            "--retries",
            retries,
            "task",
            "wait",
            "t1",
            "--interval",
            "60",
            "--timeout",
            "600",
        ]));
        assert_eq!(r.code, 1, "{}", r.stderr);
        // Backed off as any request's retries, not an --interval apart.
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        assert_eq!(
            count.load(std::sync::atomic::Ordering::SeqCst),
            tries,
            "{}",
            r.stderr
        );
        r.stderr_has(&["error: no answer from the API: GET http://127.0.0.1:"]);
        assert_eq!(
            r.stderr.contains("retrying"),
            tries > 1,
            "--retries {retries}: {}",
            r.stderr
        );
    }
}
