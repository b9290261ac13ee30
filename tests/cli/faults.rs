//! Fault injection: retries, timeouts, hostile bodies, redirects.

use std::time::Duration;

use httpmock::Method::{GET, POST};
use httpmock::MockServer;
use serde_json::json;

use crate::script::{Script, Step, json, raw, reply};
use crate::{KEY, api, export, run};

#[test]
fn safe_requests_are_retried_on_transient_statuses() {
    for status in [408, 429, 500, 502, 503, 504] {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            when.method(GET).path("/v2/projects/p/exports/e");
            then.status(status)
                .header("Retry-After", "0")
                .json_body(json!({"message": "later"}));
        });
        let r = run(api(&server.base_url()).args(["status", "p/e", "--retries", "2", "-v"]));
        assert_eq!(r.code, 1, "{status}: {}", r.stderr);
        mock.assert_calls(3);
        assert_eq!(
            r.stderr.matches("klap-export: retry ").count(),
            2,
            "{}",
            r.stderr
        );
        r.stderr_has(&[&format!("HTTP {status}: later")]);
    }
}

#[test]
fn other_client_errors_are_not_retried() {
    for status in [400, 401, 403, 404, 422] {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            when.method(GET).path("/v2/exports");
            then.status(status).header("Retry-After", "0").body("{}");
        });
        let r = run(api(&server.base_url()).args(["list", "--retries", "3"]));
        assert_ne!(r.code, 0);
        mock.assert_calls(1);
    }
}

#[test]
fn retries_zero_disables_them_and_env_sets_them() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.path("/v2/exports");
        then.status(503).header("Retry-After", "0");
    });
    run(api(&server.base_url()).args(["list", "--retries", "0"]));
    mock.assert_calls(1);
    run(api(&server.base_url())
        .env("KLAP_RETRIES", "1")
        .args(["list"]));
    mock.assert_calls(3);
}

#[test]
fn dropped_connections_are_retried_and_then_succeed() {
    let server = Script::serve(vec![Step::Close, Step::Close, json(200, &json!([]))]);
    let r = run(api(&server.base).args(["list", "--json"]));
    assert_eq!((r.code, r.stdout.as_str()), (0, "[]\n"), "{}", r.stderr);
    assert_eq!(server.seen().len(), 3);
}

#[test]
fn retry_after_is_honoured_in_seconds_and_as_a_date() {
    let past = httpdate::fmt_http_date(std::time::SystemTime::now() - Duration::from_secs(60));
    let server = Script::serve(vec![
        reply(503, &[("Retry-After", "1")], ""),
        reply(429, &[("Retry-After", &past)], ""),
        json(200, &json!([])),
    ]);
    let start = std::time::Instant::now();
    let r = run(api(&server.base).args(["list", "-v"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&["retry 1/3 in 1000 ms"]);
    r.stderr_has(&["retry 2/3 in 250 ms"]); // the backoff floor
    assert!(start.elapsed() >= Duration::from_millis(1000));
}

#[test]
fn a_create_is_sent_once_even_when_it_fails() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path("/v2/projects/f/p/exports");
        then.status(500)
            .header("Retry-After", "0")
            .json_body(json!({"message": "oops"}));
    });
    let r = run(api(&server.base_url()).args(["create", "f/p"]));
    mock.assert_calls(1);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("HTTP 500: oops; the export may have been created"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("hint: check before creating again (or use --reuse): klap-export list --project p --folder f"),
        "{}",
        r.stderr
    );

    let slow = MockServer::start();
    let mock = slow.mock(|when, then| {
        when.method(POST).path("/v2/projects/p/exports");
        then.status(200)
            .delay(Duration::from_secs(3))
            .json_body(export("e", "processing", None, "p", "2023-10-02T09:00:00Z"));
    });
    let r = run(api(&slow.base_url()).args(["create", "p", "--http-timeout", "300ms"]));
    mock.assert_calls(1);
    assert_eq!(r.code, 1);
    r.stderr_has(&["timed out after 300ms (--http-timeout)"]);
    r.stderr_has(&["may have been created", "list --project p"]);

    // Nothing listening: nothing was sent, so nothing can have been created.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let r = run(api(&url).args(["create", "p"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("cannot connect") && !r.stderr.contains("may have been created"),
        "{}",
        r.stderr
    );

    // A 4xx is a plain answer: no warning about a possible export.
    let bad = MockServer::start();
    bad.mock(|when, then| {
        when.method(POST);
        then.status(422)
            .json_body(json!({"message": "watermark.src_url is required"}));
    });
    let r = run(api(&bad.base_url()).args(["create", "p"]));
    assert_eq!(r.code, 1);
    assert!(!r.stderr.contains("may have been created"), "{}", r.stderr);
}

#[test]
fn a_slow_server_hits_the_http_timeout() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.path("/v2/exports");
        then.status(200).delay(Duration::from_secs(3)).body("[]");
    });
    let r = run(api(&server.base_url())
        .env("KLAP_HTTP_TIMEOUT", "0.2")
        .args(["list", "--retries", "0"]));
    assert_eq!(r.code, 1);
    r.stderr_has(&["timed out after 200ms (--http-timeout)"]);
    mock.assert_calls(1);
}

#[test]
fn bodies_past_the_size_cap_are_refused() {
    if !crate::test_hooks("bodies_past_the_size_cap_are_refused") {
        return;
    }
    let server = MockServer::start();
    let list = server.mock(|when, then| {
        when.path("/v2/exports");
        then.status(200).json_body(json!([export(
            "e",
            "ready",
            None,
            "p",
            "2023-10-02T09:00:00Z"
        )]));
    });
    let r = run(api(&server.base_url())
        .env("KLAP_TEST_MAX_BODY", "100")
        .args(["list"]));
    assert_eq!(r.code, 1);
    r.stderr_has(&["larger than"]);
    list.assert_calls(1); // not retried: the same body would come again
    let r = run(api(&server.base_url())
        .env("KLAP_TEST_MAX_BODY", "100000")
        .args(["list", "-q"]));
    assert_eq!((r.code, r.stdout.as_str()), (0, "p/e\n"));
}

#[test]
fn hostile_bodies_give_exit_1_and_a_short_clean_message() {
    let long_html = format!("<html>\x1b]0;pwned\x07{}</html>", "z".repeat(500));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "status",
            long_html.clone().into_bytes(),
            "expected an export object",
        ),
        ("status", b"".to_vec(), "expected an export object"),
        (
            "status",
            b"[]".to_vec(),
            "expected an export object (not a JSON object)",
        ),
        (
            "status",
            br#"{"id":"e","status":5}"#.to_vec(),
            "expected an export object (it has no status)",
        ),
        (
            "status",
            b"{\"id\":\"e\",\"status\":\"re\xffdy\"}".to_vec(),
            "not UTF-8",
        ),
        (
            "list",
            br#"{"id":"e"}"#.to_vec(),
            "expected a JSON array of exports (an object without exports)",
        ),
        (
            "list",
            br#"{"exports": {"id":"e"}}"#.to_vec(),
            "expected a JSON array of exports",
        ),
        (
            "list",
            br#"[1, 2]"#.to_vec(),
            "expected an export object (not a JSON object)",
        ),
        (
            "list",
            long_html.into_bytes(),
            "expected a JSON array of exports",
        ),
    ];
    for (command, body, want) in cases {
        let server = Script::serve(vec![Step::Raw(raw(
            200,
            &[("Content-Type", "application/json")],
            &body,
        ))]);
        let args: &[&str] = if command == "status" {
            &["status", "p/e"]
        } else {
            &["list"]
        };
        let r = run(api(&server.base).args(args));
        assert_eq!(r.code, 1, "{body:?}: {}", r.stderr);
        assert!(r.stderr.contains(want), "{want}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(!r.stderr.contains('\x1b') && !r.stderr.contains('\x07'));
        assert!(
            !r.stderr.contains(&"z".repeat(201)),
            "at most 200 characters of the body"
        );
        assert!(r.stdout.is_empty());
    }
}

#[test]
fn a_truncated_body_is_an_error() {
    let mut cut = raw(200, &[], br#"[{"id":"e","status":"ready"}]"#);
    cut.truncate(cut.len() - 5);
    let server = Script::serve(vec![Step::Raw(cut)]);
    let r = run(api(&server.base).args(["list", "--retries", "1"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(server.seen().len(), 2, "a cut body is transient: retried");
    r.stderr_has(&["reading the response failed: end of file before message length reached"]);
}

#[test]
fn missing_and_extra_fields_are_fine() {
    let server = Script::serve(vec![json(
        200,
        &json!({"id": "e", "status": "error", "brand_new": {"x": [1]}}),
    )]);
    let r = run(api(&server.base).args(["status", "p/e", "--format", "tsv"]));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "p/e\terror\t\t\t\t\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn server_text_never_reaches_the_terminal_raw() {
    let mut hostile = export("e\x1b[2J", "ready\x1b[31m", None, "p", "2023\r\n");
    hostile["name"] = json!("\x1b]0;title\x07name\u{9b}31m");
    let server = Script::serve(vec![json(200, &json!([hostile]))]);
    for format in ["table", "tsv"] {
        let r = run(api(&server.base).args(["list", "--format", format]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            !r.stdout.contains('\x1b')
                && !r.stdout.contains('\x07')
                && !r.stdout.contains('\r')
                && !r.stdout.contains('\u{9b}'),
            "{format}: {:?}",
            r.stdout
        );
        assert!(r.stdout.contains("name"));
    }
}

#[test]
fn the_key_does_not_follow_a_redirect_to_another_host() {
    let other = MockServer::start();
    let landed = other.mock(|when, then| {
        when.path("/elsewhere").header_missing("authorization");
        then.status(200).body("[]");
    });
    let server = MockServer::start();
    let target = format!("http://localhost:{}/elsewhere", other.port());
    let redirect = server.mock(|when, then| {
        when.path("/v2/exports")
            .header("authorization", format!("Bearer {KEY}"));
        then.status(302).header("Location", target.as_str());
    });
    let r = run(api(&server.base_url()).args(["list", "--json"]));
    assert_eq!((r.code, r.stdout.as_str()), (0, "[]\n"), "{}", r.stderr);
    redirect.assert();
    landed.assert();
}

#[test]
fn a_created_id_that_is_not_a_safe_id_is_refused() {
    for id in [json!("../../etc/x"), json!(null)] {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            when.method(POST).path("/v2/projects/p/exports");
            then.status(200)
                .json_body(json!({"id": id, "status": "processing"}));
        });
        let dir = tempfile::tempdir().unwrap();
        let r = run(api(&server.base_url()).current_dir(dir.path()).args([
            "create",
            "p",
            "--download",
            ".",
        ]));
        assert_eq!(r.code, 1, "{}", r.stderr);
        r.stderr_has(&["the created export's id"]);
        mock.assert_calls(1);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
