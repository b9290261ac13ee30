//! wait (and create --wait): polling sequences, exit codes, progress output.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use httpmock::MockServer;
use serde_json::json;

use crate::script::{Script, Step, json, reply};
use crate::{KEY, api, export, run};

fn state(status: &str) -> Step {
    json(
        200,
        &export("e", status, Some("f"), "p", "2023-10-02T09:00:00Z"),
    )
}

fn waiting(server: &Script, extra: &[&str]) -> crate::Run {
    let mut cmd = api(&server.base);
    cmd.env("CI", "true")
        .args(["wait", "f/p/e", "--interval", "0.1", "--timeout", "5"])
        .args(extra);
    run(&mut cmd)
}

#[test]
fn waits_through_processing_until_ready() {
    let server = Script::serve(vec![
        state("processing"),
        state("processing"),
        state("ready"),
    ]);
    let r = waiting(&server, &["--format", "tsv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert!(
        seen.iter()
            .all(|s| s.method == "GET" && s.path == "/v2/projects/f/p/exports/e")
    );
    assert!(
        seen.iter()
            .all(|s| s.header("authorization") == Some(&format!("Bearer {KEY}")))
    );
    assert!(r.stdout.starts_with("f/p/e\tready\t"), "{}", r.stdout);
    // Plain progress for CI: one line per change, no carriage returns or escapes.
    r.stderr_has(&["klap-export: f/p/e: processing"]);
    r.stderr_has(&["klap-export: f/p/e: ready"]);
    assert_eq!(r.stderr.matches("processing").count(), 1, "{}", r.stderr);
    assert!(!r.stderr.contains('\r') && !r.stderr.contains('\x1b'));
}

#[test]
fn an_error_ends_the_wait_with_exit_5() {
    for status in ["error", "failed", "cancelled"] {
        let server = Script::serve(vec![state("processing"), state(status)]);
        let r = waiting(&server, &[]);
        assert_eq!(r.code, 5, "{status}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "klap-export: error: export f/p/e failed ({status}): d"
            )),
            "{}",
            r.stderr
        );
        assert!(r.stdout.contains(status), "the final export is printed");
        assert_eq!(server.seen().len(), 2);
    }
}

#[test]
fn the_deadline_gives_exit_6_and_names_the_ref() {
    let server = Script::serve(vec![state("processing")]);
    let mut cmd = api(&server.base);
    cmd.env("CI", "1")
        .args(["wait", "f/p/e", "--interval", "0.1", "--timeout", "0.3"]);
    let r = run(&mut cmd);
    assert_eq!(r.code, 6, "{}", r.stderr);
    r.stderr_has(&["still in progress: f/p/e"]);
    r.stderr_has(&["goes on on the server"]);
    let polls = server.seen().len();
    assert!((2..=9).contains(&polls), "{polls} polls in 0.3 s at 0.05 s");
}

#[test]
fn plain_progress_says_it_is_still_waiting() {
    if !crate::test_hooks("plain_progress_says_it_is_still_waiting") {
        return;
    }
    let server = Script::serve(vec![state("processing")]);
    let r = run(api(&server.base)
        .env("CI", "1")
        .env("KLAP_TEST_STILL_WAITING", "0.1")
        .args(["wait", "f/p/e", "--interval", "0.1", "--timeout", "0.5"]));
    assert_eq!(r.code, 6);
    let still = r
        .stderr
        .matches("klap-export: f/p/e: still waiting (processing, ")
        .count();
    assert!((2..=6).contains(&still), "{}", r.stderr);
    assert_eq!(
        r.stderr.matches("f/p/e: processing").count(),
        1,
        "{}",
        r.stderr
    );
}

#[test]
fn transient_errors_do_not_end_the_wait() {
    let server = Script::serve(vec![
        state("processing"),
        reply(503, &[("Retry-After", "0")], "busy"),
        reply(429, &[("Retry-After", "0")], "{\"message\":\"slow down\"}"),
        Step::Close,
        state("ready"),
    ]);
    let r = waiting(&server, &["-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "f/p/e\n");
    assert_eq!(
        server.seen().len(),
        5,
        "each failure was followed by another poll"
    );
}

#[test]
fn a_deadline_too_far_to_represent_is_no_deadline() {
    let server = Script::serve(vec![state("ready")]);
    let r =
        run(api(&server.base).args(["wait", "f/p/e", "--timeout", "18446744073709551615s", "-q"]));
    assert_eq!((r.code, r.stdout.as_str()), (0, "f/p/e\n"), "{}", r.stderr);
}

#[test]
fn ready_without_a_file_keeps_waiting() {
    let mut no_file = export("e", "ready", Some("f"), "p", "2023-10-02T09:00:00Z");
    no_file["src_url"] = serde_json::Value::Null;
    let server = Script::serve(vec![json(200, &no_file), state("completed")]);
    let r = waiting(&server, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(server.seen().len(), 2);
    r.stderr_has(&["ready (no file yet)"]);
}

#[test]
fn unknown_status_is_shown_verbatim_and_a_missing_one_is_malformed() {
    let server = Script::serve(vec![state("rendering_frames"), state("ready")]);
    let r = waiting(&server, &[]);
    assert_eq!(r.code, 0);
    r.stderr_has(&["f/p/e: rendering_frames"]);

    let server = Script::serve(vec![json(200, &json!({"id": "e", "message": "internal"}))]);
    let r = waiting(&server, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["no status"]);
    assert_eq!(server.seen().len(), 1);
}

#[test]
fn auth_and_not_found_end_the_wait_at_once() {
    for (status, code) in [(401, 4), (403, 4), (404, 3)] {
        let server = Script::serve(vec![
            state("processing"),
            json(status, &json!({"message": "no"})),
        ]);
        let r = waiting(&server, &[]);
        assert_eq!(r.code, code, "{status}: {}", r.stderr);
        assert_eq!(server.seen().len(), 2);
    }
}

#[test]
fn several_exports_print_in_the_order_given_and_failure_beats_deadline() {
    let server = MockServer::start();
    let listed: Vec<_> = [("e1", "ready"), ("e2", "failed"), ("e3", "processing")]
        .iter()
        .map(|(id, status)| export(id, status, None, "p", "2023-10-02T09:00:00Z"))
        .collect();
    server.mock(|when, then| {
        when.path("/v2/exports").query_param("project_id", "p");
        then.status(200).json_body(json!(listed));
    });
    // Once alone, an export is polled on its status route.
    for e in &listed {
        server.mock(|when, then| {
            when.path(format!(
                "/v2/projects/p/exports/{}",
                e["id"].as_str().unwrap()
            ));
            then.status(200).json_body(e.clone());
        });
    }
    let r = run(api(&server.base_url()).args([
        "wait",
        "p/e3",
        "p/e1",
        "p/e2",
        "-q",
        "--interval",
        "0.1",
        "--timeout",
        "0.2",
    ]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert_eq!(
        r.stdout, "p/e1\n",
        "-q: the ready ones only (a next step uses them)"
    );
    r.stderr_has(&["export p/e2 failed (failed): d"]);

    let r = run(api(&server.base_url()).args([
        "wait",
        "p/e3",
        "p/e1",
        "-q",
        "--interval",
        "0.1",
        "--timeout",
        "0.2",
    ]));
    assert_eq!(r.code, 6);
    assert!(
        r.stderr.contains("still in progress: p/e3") && !r.stderr.contains("p/e1,"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr
            .lines()
            .any(|l| !l.starts_with("klap-export: error:") && !l.starts_with("hint:")),
        "-q: only errors on stderr: {}",
        r.stderr
    );
}

#[test]
fn a_bare_id_is_found_in_the_list_then_polled_directly() {
    let server = Script::serve(vec![
        json(
            200,
            &json!([export(
                "e",
                "processing",
                Some("f"),
                "p",
                "2023-10-02T09:00:00Z"
            )]),
        ),
        state("ready"),
    ]);
    let mut cmd = api(&server.base);
    cmd.args(["wait", "e", "--interval", "0.1", "-q"]);
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "f/p/e\n", "-q prints the long form");
    let paths: Vec<String> = server.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(paths, ["/v2/exports", "/v2/projects/f/p/exports/e"]);
}

#[test]
fn create_wait_continues_into_the_same_wait() {
    let server = Script::serve(vec![
        state("processing"),
        state("processing"),
        state("ready"),
    ]);
    let mut cmd = api(&server.base);
    cmd.args(["create", "f/p", "--wait", "--interval", "0.1", "-q"]);
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "f/p/e\n");
    let seen = server.seen();
    assert_eq!(
        (
            seen[0].method.as_str(),
            seen[0].path.as_str(),
            seen[0].body.as_str()
        ),
        ("POST", "/v2/projects/f/p/exports", "{}")
    );
    assert_eq!(seen.len(), 3, "one create, then polls until ready");
    assert!(seen[1..].iter().all(|s| s.method == "GET"));
}

#[test]
fn ctrl_c_exits_130() {
    let server = Script::serve(vec![state("processing")]);
    let mut child = crate::process_api(&server.base)
        .env("CI", "1")
        .args(["wait", "f/p/e", "--interval", "0.1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains("processing"), "{line}");
    crate::signal(&child, "INT");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_terminal_gets_a_spinner() {
    let server = Script::serve(vec![
        state("processing"),
        state("processing"),
        state("processing"),
        state("ready"),
    ]);
    let screen = crate::in_terminal(&server.base, "wait f/p/e --interval 0.1 --format tsv");
    assert!(
        screen.contains("f/p/e processing ["),
        "spinner line with ref, state, elapsed: {screen:?}"
    );
    assert!(screen.contains('\x1b'), "drawn with terminal codes");
    assert!(screen.contains("f/p/e\tready\t"), "{screen:?}");
}

#[test]
fn a_terminal_gets_a_coloured_table_that_is_never_crushed() {
    // Under `script` with no terminal around it the width is unknown: nothing may be cut.
    let server = Script::serve(vec![state("ready")]);
    let screen = crate::in_terminal(&server.base, "status f/p/e f/p/e");
    let row = screen
        .lines()
        .find(|l| l.contains("ready"))
        .unwrap_or_default();
    assert!(
        row.contains("\x1b[") && row.contains("https://cdn.example/e.mp4"),
        "{screen:?}"
    );
}

#[test]
fn one_export_on_a_terminal_is_a_card_and_piped_a_one_row_table() {
    let server = Script::serve(vec![state("ready")]);
    let screen = crate::in_terminal(&server.base, "status f/p/e").replace("\r\n", "\n");
    for line in [
        "ID        e\n",
        "STATUS    \x1b[32mready\x1b[0m\n",
        "NAME      Clip e\n",
        "PROJECT   p\n",
        "FOLDER    f\n",
        "URL       https://cdn.example/e.mp4\n",
    ] {
        assert!(screen.contains(line), "{line:?} in {screen:?}");
    }
    let r = run(api(&server.base).args(["status", "f/p/e"]));
    assert!(r.stdout.starts_with("ID  STATUS  NAME"), "{}", r.stdout);
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
}

#[test]
fn ctrl_c_during_a_wait_says_how_to_pick_up_again() {
    let server = Script::serve(vec![state("processing")]);
    let child = crate::process_api(&server.base)
        .env("CI", "true")
        .args(["wait", "f/p/e", "--interval", "0.1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        crate::poll_until(|| !server.seen().is_empty()),
        "a first poll"
    );
    crate::signal(&child, "INT");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("klap-export: interrupted\nhint: the export goes on on the server; pick up again with: klap-export wait f/p/e"),
        "{stderr}"
    );
}

#[test]
fn the_deadline_hint_picks_up_the_downloads_too() {
    let server = Script::serve(vec![state("processing")]);
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&server.base).env("CI", "true").args([
        "wait",
        "f/p/e",
        "--interval",
        "0.1",
        "--timeout",
        "0.3",
        "--download",
        dir.path().to_str().unwrap(),
    ]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    r.stderr_has(&[&format!(
        "hint: the export goes on on the server; pick up again with: klap-export wait f/p/e --interval 100ms --timeout 300ms --download {} --skip-existing",
        dir.path().display()
    )]);
}

#[test]
fn the_last_poll_is_sent_early_enough_to_be_answered() {
    // Polls at 0 s and 1.5 s; the next interval would end past the 2 s deadline, so the
    // last poll goes out before it (not at it, where it could not be answered).
    let server = Script::serve(vec![
        state("processing"),
        state("processing"),
        state("ready"),
    ]);
    let r = run(api(&server.base).env("CI", "true").args([
        "wait",
        "f/p/e",
        "--interval",
        "1.5",
        "--timeout",
        "2",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(server.seen().len(), 3);
}

#[test]
fn one_unreadable_export_fails_alone() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v2/exports").query_param("folder_id", "f");
        then.status(200).json_body(json!([
            export("e1", "ready", Some("f"), "p", "2023-10-02T09:00:00Z"),
            {"id": "e2", "project_id": "p", "folder_id": "f"},
        ]));
    });
    let r = run(api(&server.base_url()).env("CI", "true").args([
        "wait",
        "f/p/e1",
        "f/p/e2",
        "-q",
        "--interval",
        "0.1",
        "--timeout",
        "5",
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "f/p/e1\n");
    r.stderr_has(&["unexpected response for f/p/e2", "it has no status"]);
}
