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
        "EXIT STATUS",
        "deadline",
    ] {
        assert!(page.contains(text), "{text}");
    }
}

/// A server that echoes the key in a field, in plain text and as JSON escapes.
fn echoing_server() -> MockServer {
    let server = MockServer::start();
    let escaped: String = crate::KEY
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    server.mock(|when, then| {
        when.path("/v2/exports");
        then.status(200).body(format!(
            r#"[{{"id":"e1","status":"ready","echo":"Bearer {}","escaped":"{escaped}","{}":1}}]"#,
            crate::KEY,
            crate::KEY
        ));
    });
    server
}

#[test]
fn the_key_a_server_echoes_is_hidden_before_the_filter_runs() {
    let server = echoing_server();
    let lower = crate::KEY.to_ascii_lowercase();
    let upper = crate::KEY.to_ascii_uppercase();
    for expr in [
        ".[0].echo | ascii_downcase",
        ".[0].echo | ascii_upcase",
        ".[0].echo | @base64",
        ".[0].echo | .[7:19], .[7:]",
        ".[0].escaped | explode | implode | ascii_downcase",
        ".[0] | keys_unsorted | map(ascii_downcase)",
        ".[0].echo | split(\"\") | reverse | join(\"\")",
    ] {
        let r = run(api(&server.base_url()).args(["list", "--jq", expr]));
        assert_eq!(r.code, 0, "{expr}: {}", r.stderr);
        let out = r.stdout.to_ascii_lowercase();
        assert!(
            !out.contains(&lower) && !r.stdout.contains(&upper),
            "{expr}: {}",
            r.stdout
        );
        assert!(!out.contains("secret"), "{expr}: {}", r.stdout);
        let reversed: String = lower.chars().rev().collect();
        assert!(!out.contains(&reversed), "{expr}: {}", r.stdout);
    }
    let r = run(api(&server.base_url()).args(["list", "--jq", ".[0].echo"]));
    assert_eq!(r.stdout, "Bearer ***\n");
}

#[test]
fn env_and_dollar_env_leave_the_key_out() {
    let server = list_server();
    for expr in [
        "$ENV | has(\"KLAP_API_KEY\")",
        "env | has(\"KLAP_API_KEY\")",
        "[$ENV[], env[]] | map(select(contains(\"SECRET\"))) | length > 0",
    ] {
        let r = run(api(&server.base_url()).args(["list", "--jq", expr]));
        assert_eq!(
            (r.code, r.stdout.as_str()),
            (0, "false\n"),
            "{expr}: {}",
            r.stderr
        );
    }
    let r = run(api(&server.base_url()).env("KLAP_TEST_OTHER", "x").args([
        "list",
        "--jq",
        "$ENV.KLAP_TEST_OTHER, env.KLAP_TEST_OTHER",
    ]));
    assert_eq!(r.stdout, "x\nx\n");
}

#[test]
fn endless_recursion_is_exit_1_with_a_clear_error_never_a_crash() {
    let server = list_server();
    for expr in [
        "def f: [f]; f",
        "def f: 1 + f; f",
        "reduce range(100000) as $i (null; [.]) | tojson",
        "reduce range(100000) as $i (null; [.])",
        "def f: [f, f]; f",
        "def f: try f catch f; f",
    ] {
        let r = run(api(&server.base_url()).args(["list", "--jq", expr]));
        assert_eq!(r.code, 1, "{expr}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{expr}");
        r.stderr_has(&["klap-export: error: --jq: "]);
        assert!(
            r.stderr.contains("recurses too deeply") || r.stderr.contains("nested deeper"),
            "{expr}: {}",
            r.stderr
        );
    }
    // Deep but finite is fine, and a long loop is not recursion.
    let r = run(api(&server.base_url()).args([
        "list",
        "--jq",
        "(reduce range(5000) as $i (null; [.]) | tojson | length), \
         (def f: if . < 3000 then (.+1 | f) + 0 else . end; 0 | f), \
         ([limit(200000; repeat(1))] | length)",
    ]));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "10004\n3000\n200000\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn jq_output_is_always_json_and_effects_go_to_stderr() {
    let server = list_server();
    let r = run(api(&server.base_url()).args(["list", "--jq", "[nan, infinite, -infinite]"]));
    assert_eq!(
        r.stdout,
        "[null,1.7976931348623157e+308,-1.7976931348623157e+308]\n"
    );
    let r = run(api(&server.base_url()).args(["list", "--jq", "{(1): 2}"]));
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    r.stderr_has(&["Object keys must be strings"]);
    let r = run(api(&server.base_url()).args([
        "list",
        "--jq",
        ".[0].id | debug | (\"msg\u{1b}[2J\" | stderr) as $x | length",
    ]));
    assert_eq!((r.code, r.stdout.as_str()), (0, "2\n"), "{}", r.stderr);
    r.stderr_has(&["[\"DEBUG:\",\"e1\"]", "\"msg\\u001b[2J\""]);
    let r = run(api(&server.base_url()).args(["list", "--jq", "\"bye\" | halt_error"]));
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    r.stderr_has(&["bye", "exit code 5"]);
}
