//! A lone surrogate escape (`"\ud83d"`, what a cut emoji gives) is valid JSON: it never
//! fails a list, a bare-ID status or a wait; it shows as U+FFFD and stays verbatim in json.

use httpmock::Method::GET;
use httpmock::MockServer;

use crate::{api, run};

const E1: &str = r#"{"id":"e1","status":"ready","src_url":"https://cdn.example/e1.mp4","project_id":"p1","folder_id":"f1","created_at":"2023-10-01T09:00:00Z","name":"Clip \ud83d","descriptions":"cut \udc00 here"}"#;
const E2: &str = r#"{"id":"e2","status":"processing","src_url":null,"project_id":"p1","folder_id":"f1","created_at":"2023-10-02T09:00:00Z","name":"Whole \ud83d\ude00"}"#;

#[test]
fn a_lone_surrogate_never_fails_a_list_status_or_wait() {
    let server = MockServer::start();
    let list = server.mock(|when, then| {
        when.method(GET).path("/v2/exports");
        then.status(200).body(format!("[{E1},{E2}]"));
    });
    let one = server.mock(|when, then| {
        when.method(GET).path("/v2/projects/f1/p1/exports/e1");
        then.status(200).body(E1);
    });

    let r = run(api(&server.base_url()).args(["list", "--format", "tsv"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    assert!(
        lines[0].starts_with("f1/p1/e2\tprocessing\tWhole 😀\t"),
        "{}",
        r.stdout
    );
    assert!(
        lines[1].starts_with("f1/p1/e1\tready\tClip \u{fffd}\t"),
        "{}",
        r.stdout
    );

    // The table (piped) shows it as U+FFFD too.
    let r = run(api(&server.base_url()).arg("list"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Clip \u{fffd}"), "{}", r.stdout);

    // JSON keeps the server's escapes as they were sent.
    let r = run(api(&server.base_url()).args(["list", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(r#""name": "Clip \ud83d","#),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(r#""descriptions": "cut \udc00 here""#),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(r#""name": "Whole \ud83d\ude00""#),
        "{}",
        r.stdout
    );
    let r = run(api(&server.base_url()).args(["list", "--format", "ndjson"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(r#""name":"Clip \ud83d","#),
        "{}",
        r.stdout
    );
    list.assert_calls(4);

    // A bare ID is found through the list, whose other export has the odd name.
    let r = run(api(&server.base_url()).args(["status", "e1", "--format", "tsv"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("f1/p1/e1\tready\tClip \u{fffd}\t"),
        "{}",
        r.stdout
    );
    let r = run(api(&server.base_url()).args(["status", "e1", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(r#""name": "Clip \ud83d","#),
        "{}",
        r.stdout
    );

    // A wait on it ends at once: it is ready (by bare ID through the list, and by its
    // full ref through its own route).
    let r = run(api(&server.base_url()).args(["wait", "e1", "-q", "--timeout", "5s"]));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "f1/p1/e1\n"),
        "{}",
        r.stderr
    );
    list.assert_calls(7);
    let r = run(api(&server.base_url()).args(["wait", "f1/p1/e1", "-q", "--timeout", "5s"]));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "f1/p1/e1\n"),
        "{}",
        r.stderr
    );
    one.assert_calls(1);
    list.assert_calls(7);
}
