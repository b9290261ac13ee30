//! `--jq` and `manpage`.

use httpmock::MockServer;
use serde_json::json;

use crate::{api, bin, run};

fn list_server() -> MockServer {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v2/exports");
        // Key order z, a, id and a number serde would round: all must come out as sent.
        then.status(200).body(
            r#"[{"z":1,"a":2,"id":"e1","status":"ready","src_url":"https://x/e1.mp4","big":12345678901234567890123,"created_at":"2023-10-02T09:00:00Z"},
                {"id":"e2","status":"processing","created_at":"2023-10-01T09:00:00Z","name":"Tab\there"}]"#,
        );
    });
    server
}

#[test]
fn jq_prints_strings_raw_and_other_values_compact() {
    let server = list_server();
    let r = run(api(&server.base_url()).args(["list", "--jq", ".[].id"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "e1\ne2\n");
    let r = run(api(&server.base_url()).args(["list", "--jq", ".[0] | {z, a, big}"]));
    assert_eq!(
        r.stdout,
        "{\"z\":1,\"a\":2,\"big\":12345678901234567890123}\n"
    );
    let r = run(api(&server.base_url()).args(["list", "--jq", "length, (.[1].name)"]));
    assert_eq!(r.stdout, "2\nTab\there\n");
    let r = run(api(&server.base_url()).args([
        "list",
        "--json",
        "--jq",
        "map(select(.status == \"ready\")) | .[].src_url",
    ]));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "https://x/e1.mp4\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_bad_jq_expression_is_a_usage_error_before_any_request() {
    let server = MockServer::start();
    let any = server.mock(|_, then| {
        then.status(200).json_body(json!([]));
    });
    for args in [
        &["list", "--jq", ".[] | nosuchfunction"][..],
        &["list", "--jq", ".["],
        &["list", "--jq", ".", "-q"],
        &["list", "--jq", ".", "--format", "tsv"],
    ] {
        let r = run(api(&server.base_url()).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, "");
        r.stderr_has(&["--jq"]);
    }
    any.assert_calls(0);
}

#[test]
fn an_error_while_filtering_is_exit_1_with_nothing_on_stdout() {
    let server = list_server();
    let r = run(api(&server.base_url()).args(["list", "--jq", ".[] | .id, (.z + \"x\")"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    r.stderr_has(&["klap-export: error: --jq: "]);
}

#[test]
fn the_man_page_covers_every_command_option_variable_and_exit_code() {
    let r = run(bin().arg("manpage"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with(".ie") || r.stdout.contains(".TH klap-export 1"));
    let page = r.stdout.replace("\\-", "-");
    for command in [
        "create",
        "status",
        "list",
        "wait",
        "download",
        "projects",
        "auth",
        "sandbox",
        "completions",
        "manpage",
    ] {
        assert!(
            page.contains(&format!("COMMAND: KLAP-EXPORT {}", command.to_uppercase())),
            "{command}"
        );
    }
    for option in [
        "--base-url",
        "--api-key-file",
        "--format",
        "--json",
        "--quiet",
        "--color",
        "--no-progress",
        "--verbose",
        "--http-timeout",
        "--retries",
        "--sandbox",
        "--profile",
        "--jq",
        "--reuse",
        "--fail-fast",
        "--jobs",
        "--skip-existing",
        "--top",
        "--min-virality",
        "--watermark-scale",
        "--no-verify",
        "--ready-after",
    ] {
        assert!(page.contains(option), "{option}");
    }
    for text in [
        "KLAP_API_KEY",
        "KLAP_CONFIG",
        "KLAP_PROFILE",
        "Exit codes",
        "deadline",
    ] {
        assert!(page.contains(text), "{text}");
    }
}
