//! create, status and list: routes, formats, exit codes, bad input, security.

use httpmock::Method::{GET, POST};
use httpmock::{Mock, MockServer};
use serde_json::json;

use crate::{KEY, api, bin, export, private_file, run};

const UA: &str = concat!("klap-export/", env!("CARGO_PKG_VERSION"));

/// Matches every request: tests of bad input assert it saw none.
fn any(server: &MockServer) -> Mock<'_> {
    server.mock(|_, then| {
        then.status(599);
    })
}

#[test]
fn create_posts_an_empty_body_to_the_folder_route() {
    let server = MockServer::start();
    let mut body = export("e1", "processing", Some("f1"), "p1", "2023-10-02T09:00:00Z");
    body["progress"] = json!(0.25);
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v2/projects/f1/p1/exports")
            .header("authorization", format!("Bearer {KEY}"))
            .header("user-agent", UA)
            .header("content-type", "application/json")
            .body("{}");
        then.status(200).json_body(body.clone());
    });
    let r = run(api(&server.base_url()).args(["create", "f1/p1"]));
    mock.assert();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = r.stdout.lines();
    assert!(lines.next().unwrap().starts_with("ID  "));
    let row = lines.next().unwrap();
    assert!(
        row.starts_with("e1  ") && row.contains("processing") && row.contains("Clip e1"),
        "{row}"
    );
    assert!(!r.stdout.contains('\x1b'), "no colour off a terminal");

    // JSON is the server's object: unknown fields kept, in the server's order.
    let r = run(api(&server.base_url()).args(["create", "f1/p1", "--json"]));
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout,
        format!("{}\n", serde_json::to_string_pretty(&body).unwrap())
    );
    assert!(r.stdout.find("\"id\"").unwrap() < r.stdout.find("\"progress\"").unwrap());
}

#[test]
fn create_direct_sends_only_the_watermark_fields_given() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v2/projects/p9/exports")
            .json_body(json!({"watermark": {"src_url": "https://x.example/logo.png", "pos_x": 0.25, "scale": 2.0}}));
        then.status(200).json_body(export("e9", "processing", None, "p9", "2023-10-02T09:00:00Z"));
    });
    let r = run(api(&server.base_url()).args([
        "create",
        "p9",
        "--watermark",
        "https://x.example/logo.png",
        "--watermark-x",
        "0.25",
        "--watermark-scale",
        "2",
        "-q",
    ]));
    mock.assert();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "p9/e9\n");
}

#[test]
fn bad_input_is_a_usage_error_before_any_request() {
    let server = MockServer::start();
    let catch = any(&server);
    let long = "x".repeat(129);
    let cases: Vec<Vec<&str>> = vec![
        vec!["create", ""],
        vec!["create", "a/b/c"],
        vec!["create", "./p"],
        vec!["create", "f/.."],
        vec!["create", "p q"],
        vec!["create", "p%2f"],
        vec!["create", "p$"],
        vec!["create", &long],
        vec!["status", "a/b/c/d"],
        vec!["status", ""],
        vec!["status", "f//e"],
        vec!["wait", "a/b/c/d"],
        vec!["download", ".."],
        vec!["create", "p", "--watermark", "logo.png"],
        vec!["create", "p", "--watermark", "ftp://x.example/logo.png"],
        vec!["create", "p", "--watermark", "/logo.png"],
        vec![
            "create",
            "p",
            "--watermark",
            "https://x/l.png",
            "--watermark-x",
            "1.5",
        ],
        vec![
            "create",
            "p",
            "--watermark",
            "https://x/l.png",
            "--watermark-y",
            "-0.1",
        ],
        vec![
            "create",
            "p",
            "--watermark",
            "https://x/l.png",
            "--watermark-x",
            "NaN",
        ],
        vec![
            "create",
            "p",
            "--watermark",
            "https://x/l.png",
            "--watermark-scale",
            "0",
        ],
        vec![
            "create",
            "p",
            "--watermark",
            "https://x/l.png",
            "--watermark-scale",
            "inf",
        ],
        vec!["create", "p", "--watermark-x", "0.5"],
        vec!["create", "p", "--watermark-scale", "1"],
        vec!["list", "--status", "done"],
        vec!["list", "--folder", "a/b"],
        vec!["list", "--limit", "-1"],
        vec!["wait", "e", "--interval", "soon"],
        vec!["wait", "e", "--interval", "0"],
        vec!["list", "--http-timeout", "0"],
        vec!["list", "--retries", "many"],
        vec!["--format", "xml", "list"],
        // r3: no ID starts with '-' (it would read as an option in `$(... -q)`).
        vec!["status", "demo/-x"],
        vec!["create", "f/-p"],
        vec!["download", "--", "-e"],
        vec!["list", "--folder=-f"],
        vec!["task", "status", "--", "-t"],
        vec!["projects", "--", "-f"],
    ];
    for args in cases {
        let r = run(api(&server.base_url()).args(&args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("error"), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
    }
    catch.assert_calls(0);
}

#[test]
fn status_takes_the_three_ref_forms() {
    let server = MockServer::start();
    let a = server.mock(|when, then| {
        when.method(GET)
            .path("/v2/projects/f1/p1/exports/e1")
            .header("authorization", format!("Bearer {KEY}"));
        then.status(200).json_body(export(
            "e1",
            "ready",
            Some("f1"),
            "p1",
            "2023-10-02T09:00:00Z",
        ));
    });
    let b = server.mock(|when, then| {
        when.method(GET).path("/v2/projects/p2/exports/e2");
        then.status(200)
            .json_body(export("e2", "error", None, "p2", "2023-10-02T09:00:00Z"));
    });
    let list = server.mock(|when, then| {
        when.method(GET)
            .path("/v2/exports")
            .query_param_missing("folder_id")
            .query_param_missing("project_id");
        then.status(200).json_body(json!([
            export("e4", "processing", None, "p4", "2023-10-02T09:00:00Z"),
            export(
                "e3",
                "in_progress",
                Some("f3"),
                "p3",
                "2023-10-02T09:00:00Z"
            ),
        ]));
    });
    let r =
        run(api(&server.base_url()).args(["status", "f1/p1/e1", "p2/e2", "e3", "--format", "tsv"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    a.assert();
    b.assert();
    list.assert();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "f1/p1/e1\tready\tClip e1\t2023-10-02T09:00:00Z\t2023-10-02T09:15:00Z\thttps://cdn.example/e1.mp4"
    );
    assert_eq!(lines[1], "p2/e2\terror\tClip e2\t2023-10-02T09:00:00Z\t\t");
    assert_eq!(
        lines[2],
        "f3/p3/e3\tin_progress\tClip e3\t2023-10-02T09:00:00Z\t\t"
    );
    assert_eq!(lines.len(), 3);

    // One ref gives an object; several give an array.
    let r = run(api(&server.base_url()).args(["status", "f1/p1/e1", "--json"]));
    assert!(
        serde_json::from_str::<serde_json::Value>(&r.stdout)
            .unwrap()
            .is_object()
    );
    let r = run(api(&server.base_url()).args(["--json", "status", "f1/p1/e1", "p2/e2"]));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    let r =
        run(api(&server.base_url()).args(["status", "f1/p1/e1", "p2/e2", "--format", "ndjson"]));
    assert_eq!(r.stdout.lines().count(), 2);
    assert!(
        r.stdout
            .lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
    );

    // A bare ID that is not in the list: exit 3.
    let r = run(api(&server.base_url()).args(["status", "nope"]));
    assert_eq!(r.code, 3);
    assert!(
        r.stderr
            .contains("klap-export: error: export 'nope' not found"),
        "{}",
        r.stderr
    );
}

fn list_server() -> (MockServer, serde_json::Value) {
    let server = MockServer::start();
    let mut odd = export("e5", "completed", Some("f1"), "p1", "2023-10-05T09:00:00Z");
    odd["name"] = json!("tab\there\nnewline\x1b[31m");
    let items = json!([
        export("e1", "ready", Some("f1"), "p1", "2023-10-01T09:00:00Z"),
        export("e3", "processing", Some("f1"), "p1", "2023-10-03T09:00:00Z"),
        export("e2", "failed", Some("f1"), "p1", "2023-10-02T09:00:00Z"),
        odd,
        export("e4", "pending", Some("f1"), "p1", "2023-10-04T09:00:00Z"),
    ]);
    (server, items)
}

#[test]
fn list_filters_sorts_and_limits() {
    let (server, items) = list_server();
    let mock = server.mock(|when, then| {
        when.method(GET)
            .path("/v2/exports")
            .query_param("folder_id", "f1")
            .query_param("project_id", "p1");
        then.status(200).json_body(items.clone());
    });
    let list = |extra: &[&str]| {
        let mut cmd = api(&server.base_url());
        cmd.args(["list", "--folder", "f1", "--project", "p1"])
            .args(extra);
        run(&mut cmd)
    };
    let r = list(&["--format", "tsv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let refs: Vec<&str> = r
        .stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        refs,
        ["f1/p1/e5", "f1/p1/e4", "f1/p1/e3", "f1/p1/e2", "f1/p1/e1"]
    );
    // Tabs, newlines and escapes inside values become spaces.
    let name = r.stdout.lines().next().unwrap().split('\t').nth(2);
    assert_eq!(name, Some("tab here newline [31m"));

    let r = list(&["--status", "ready", "--status", "FAILED", "-q"]);
    assert_eq!(r.stdout, "f1/p1/e5\nf1/p1/e2\nf1/p1/e1\n");
    let r = list(&["--status", "in_progress", "--limit", "1", "-q"]);
    assert_eq!(r.stdout, "f1/p1/e4\n");
    let r = list(&["--json", "--limit", "2"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v, json!([items[3], items[4]]));
    mock.assert_calls(4);
}

#[test]
fn list_encodes_query_values_and_prints_empty_results_per_format() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET)
            .path("/v2/exports")
            .query_param("project_id", "a~b.c_d-e");
        then.status(200).body("[]");
    });
    for (format, want) in [("table", ""), ("tsv", ""), ("ndjson", ""), ("json", "[]\n")] {
        let r = run(api(&server.base_url()).args([
            "list",
            "--project",
            "a~b.c_d-e",
            "--format",
            format,
        ]));
        assert_eq!((r.code, r.stdout.as_str()), (0, want), "{format}");
    }
    mock.assert_calls(4);
}

#[test]
fn list_accepts_wrapped_arrays() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET).path("/v2/exports");
        then.status(200).json_body(
            json!({"data": [export("e1", "ready", None, "p1", "2023-10-01T09:00:00Z")]}),
        );
    });
    let r = run(api(&server.base_url()).args(["list", "-q"]));
    assert_eq!((r.code, r.stdout.as_str()), (0, "p1/e1\n"));
    mock.assert();
}

#[test]
fn table_colour_follows_the_flags() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/v2/exports");
        then.status(200).json_body(json!([export(
            "e1",
            "ready",
            None,
            "p1",
            "2023-10-01T09:00:00Z"
        )]));
    });
    let r = run(api(&server.base_url()).args(["list", "--color", "always"]));
    assert!(r.stdout.contains('\x1b'), "{}", r.stdout);
    let r = run(api(&server.base_url())
        .env("CLICOLOR_FORCE", "1")
        .args(["list"]));
    assert!(r.stdout.contains('\x1b'));
    let r = run(api(&server.base_url())
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .args(["list"]));
    assert!(!r.stdout.contains('\x1b'));
    let r = run(api(&server.base_url()).args(["list"]));
    assert!(!r.stdout.contains('\x1b'));
    // Not a terminal: nothing is cut, however long.
    assert!(r.stdout.contains("https://cdn.example/e1.mp4"));
}

#[test]
fn http_errors_map_to_exit_codes_with_the_server_message() {
    let server = MockServer::start();
    let cases = [
        (401, 4, "bad key"),
        (403, 4, "forbidden"),
        (404, 3, "no such export"),
        (422, 1, "unprocessable"),
        (500, 1, "boom"),
    ];
    for (i, (status, code, message)) in cases.into_iter().enumerate() {
        let path = format!("/v2/projects/p/exports/e{i}");
        let mock = server.mock(|when, then| {
            when.method(GET).path(path.as_str());
            then.status(status).json_body(json!({"message": message}));
        });
        let r = run(api(&server.base_url()).args(["--retries", "0", "status", &format!("p/e{i}")]));
        assert_eq!(r.code, code, "{status}: {}", r.stderr);
        assert!(r.stderr.starts_with("klap-export: error: "), "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!("HTTP {status}: {message}")),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
        mock.assert();
    }
    // `error` when there is no `message`, else the start of the body.
    server.mock(|when, then| {
        when.path("/v2/projects/p/exports/x1");
        then.status(400).json_body(json!({"error": "nope"}));
    });
    server.mock(|when, then| {
        when.path("/v2/projects/p/exports/x2");
        then.status(400)
            .body(format!("<html>\x1b[2J{}</html>", "y".repeat(300)));
    });
    let r = run(api(&server.base_url()).args(["status", "p/x1"]));
    r.stderr_has(&["HTTP 400: nope"]);
    let r = run(api(&server.base_url()).args(["status", "p/x2"]));
    r.stderr_has(&["HTTP 400: <html> [2J"]);
    assert!(!r.stderr.contains('\x1b') && !r.stderr.contains(&"y".repeat(200)));
}

#[test]
fn key_sources_and_precedence() {
    let server = MockServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("key");
    private_file(&file, "  from-file\n");
    let env_file = dir.path().join("envkey");
    private_file(&env_file, "from-env-file");
    let seen = |key: &str| {
        server.mock(|when, then| {
            when.path("/v2/projects/p/exports/e")
                .header("authorization", format!("Bearer {key}"));
            then.status(200)
                .json_body(export("e", "ready", None, "p", "2023-10-01T09:00:00Z"));
        })
    };
    let (file_mock, env_mock, env_file_mock, stdin_mock) = (
        seen("from-file"),
        seen(KEY),
        seen("from-env-file"),
        seen("from-stdin"),
    );
    let base = format!("{}/v2", server.base_url());
    let flag = run(bin()
        .env("KLAP_BASE_URL", &base)
        .env("KLAP_API_KEY", KEY)
        .env("KLAP_API_KEY_FILE", &env_file)
        .args(["status", "p/e", "--api-key-file"])
        .arg(&file));
    assert_eq!(flag.code, 0, "{}", flag.stderr);
    run(bin()
        .env("KLAP_BASE_URL", &base)
        .env("KLAP_API_KEY", KEY)
        .env("KLAP_API_KEY_FILE", &env_file)
        .args(["status", "p/e"]));
    run(bin()
        .env("KLAP_BASE_URL", &base)
        .env("KLAP_API_KEY_FILE", &env_file)
        .args(["status", "p/e"]));
    run(bin()
        .env("KLAP_BASE_URL", &base)
        .args(["status", "p/e", "--api-key-file", "-"])
        .write_stdin("from-stdin\n"));
    file_mock.assert();
    env_mock.assert();
    env_file_mock.assert();
    stdin_mock.assert();

    // No key at all, or an unreadable key file: exit 4, nothing sent.
    let catch = any(&server);
    let r = run(bin()
        .env("KLAP_BASE_URL", &base)
        .args(["list", "--api-key-file"])
        .arg(dir.path().join("missing")));
    assert_eq!(r.code, 4, "{}", r.stderr);
    r.stderr_has(&["cannot read the API key file"]);
    let r = run(bin().env("KLAP_BASE_URL", &base).args(["list"]));
    assert_eq!(r.code, 4);
    r.stderr_has(&["no API key"]);
    catch.assert_calls(0);
}

#[test]
fn the_key_never_goes_over_plain_http_to_another_host() {
    for url in [
        "http://api.klap.app/v2",
        "http://10.0.0.1/v2",
        "ftp://127.0.0.1/v2",
        "not a url",
    ] {
        let r = run(bin()
            .env("KLAP_API_KEY", KEY)
            .args(["list", "--base-url", url]));
        assert_eq!(r.code, 2, "{url}: {}", r.stderr);
    }
    let r =
        run(bin()
            .env("KLAP_API_KEY", KEY)
            .args(["list", "--base-url", "http://example.com/v2"]));
    r.stderr_has(&["plain http"]);
}

#[test]
fn verbose_logs_requests_with_the_key_masked() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.path("/v2/exports");
        then.status(200).body("[]");
    });
    let r = run(api(&server.base_url()).args(["list", "-v"]));
    mock.assert();
    r.stderr_has(&["> GET http://127.0.0.1"]);
    r.stderr_has(&["Authorization: Bearer ***"]);
    r.stderr_has(&["< 200 GET"]);
}

#[test]
fn malformed_json_is_an_error_not_a_panic() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v2/projects/p/exports/e");
        then.status(200).body("{\"id\": \"e\", \"status\": ");
    });
    let r = run(api(&server.base_url()).args(["status", "p/e"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("unexpected response: expected an export object"),
        "{}",
        r.stderr
    );
}

#[test]
fn status_refuses_an_answer_that_is_not_an_export() {
    for body in [r#"{"id":"e","name":"no status"}"#, "[1,2]", r#""ready""#] {
        let server = MockServer::start();
        let m = server.mock(|when, then| {
            when.path("/v2/projects/p/exports/e");
            then.status(200).body(body);
        });
        let r = run(api(&server.base_url()).args(["status", "p/e"]));
        m.assert();
        assert_eq!(r.code, 1, "{body}");
        assert_eq!(r.stdout, "", "{body}");
        r.stderr_has(&["unexpected response: expected an export object"]);
    }
}

#[test]
fn a_closed_stdout_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let server = MockServer::start();
    let items: Vec<_> = (0..5000)
        .map(|i| {
            export(
                &format!("e{i}"),
                "ready",
                Some("f"),
                "p",
                "2023-10-01T09:00:00Z",
            )
        })
        .collect();
    server.mock(|when, then| {
        when.path("/v2/exports");
        then.status(200).json_body(json!(items));
    });
    let mut child = crate::process_api(&server.base_url())
        .args(["list", "--format", "tsv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("f/p/e"));
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn list_sorts_newest_first_by_instant_not_by_text() {
    let server = MockServer::start();
    let at = |id: &str, created: &str| export(id, "ready", None, "p", created);
    server.mock(|when, then| {
        when.path("/v2/exports");
        then.status(200).json_body(json!([
            at("e_text_later", "2023-12-08T05:03:20.5Z"),
            at("e_newest", "2023-12-08T05:03:20.55+00:00"),
            at("e_offset", "2023-12-08T06:03:20+01:00"),
            at("e_unparsed", "yesterday"),
            at("e_oldest", "2023-12-08T05:03:10.91362+00:00"),
        ]));
    });
    let r = run(api(&server.base_url()).args(["list", "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "p/e_newest\np/e_text_later\np/e_offset\np/e_oldest\np/e_unparsed\n"
    );
}

#[test]
fn server_ids_that_fail_the_id_rule_never_reach_a_ref() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path("/v2/projects/f/p/exports");
        then.status(200).json_body(json!({
            "id": "e1", "status": "processing", "project_id": "p",
            "folder_id": "x --base-url=https://evil.example/v2 f",
        }));
    });
    let r = run(api(&server.base_url()).args(["create", "f/p", "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout, "f/p/e1\n",
        "the ref the user typed, not the server's folder"
    );

    // An export ID of ".." never names a file or a path: exit 1.
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path("/v2/projects/p/exports");
        then.status(200)
            .json_body(json!({"id": "..", "status": "processing", "project_id": "p"}));
    });
    let r = run(api(&server.base_url()).args(["create", "p", "-q"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    r.stderr_has(&["the created export's id"]);
}

#[test]
fn server_ids_that_could_read_as_options_never_reach_refs() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v2/exports");
        then.status(200).json_body(json!([
            {"id": "--force", "status": "ready", "project_id": null},
            {"id": "e2", "status": "ready", "project_id": "-v"},
            {"id": "..", "status": "ready"},
            {"id": "ok", "status": "ready", "project_id": "p"},
        ]));
    });
    let r = run(api(&server.base_url()).args(["list", "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "e2\np/ok\n");
    r.stderr_has(&["2 export(s) without a usable ID left out of the refs"]);
}

#[test]
fn a_server_that_echoes_the_key_does_not_get_it_printed() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v2/exports");
        then.status(401)
            .json_body(json!({ "message": format!("invalid key: Bearer {KEY}") }));
    });
    server.mock(|when, then| {
        when.path("/v2/projects/p/exports/e");
        then.status(200)
            .json_body(json!({"id": "e", "status": "ready", "name": KEY}));
    });
    // `run` fails the test if the key shows anywhere in stdout or stderr.
    let r = run(api(&server.base_url()).args(["list"]));
    assert_eq!(r.code, 4);
    r.stderr_has(&["invalid key: Bearer ***"]);
    let r = run(api(&server.base_url()).args(["status", "p/e", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"name\": \"***\""), "{}", r.stdout);
}

#[test]
fn a_redirected_create_may_have_created() {
    let server = MockServer::start();
    let post = server.mock(|when, then| {
        when.method(POST).path("/v2/projects/f/p/exports");
        then.status(302).header("Location", "/v2/elsewhere");
    });
    let elsewhere = server.mock(|when, then| {
        when.path("/v2/elsewhere");
        then.status(200)
            .json_body(json!({"id": "e1", "status": "processing", "project_id": "p"}));
    });
    let r = run(api(&server.base_url()).args(["create", "f/p", "-q"]));
    post.assert_calls(1);
    elsewhere.assert_calls(0);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    r.stderr_has(&["redirected to", "the export may have been created"]);
}

#[test]
fn flags_that_would_be_ignored_are_refused_before_any_request() {
    let server = MockServer::start();
    let catch = any(&server);
    for (args, says) in [
        (
            &["wait", "p/e", "--jobs", "3"][..],
            "--jobs go with --download",
        ),
        (
            &["create", "p", "--wait", "--jobs", "2"],
            "--jobs go with --download",
        ),
        (&["download", "p/e", "--jobs", "0"], "must be 1 to 16"),
        (&["download", "p/e", "--jobs", "-1"], "cannot be negative"),
        (&["projects", "f", "--top", "-1"], "cannot be negative"),
        (&["--sandbox", "auth", "status"], "leave out --sandbox"),
        (&["--jq", ".", "completions", "bash"], "--jq do not apply"),
        (&["--json", "manpage"], "--jq do not apply"),
        (
            &["--sandbox", "--base-url", "https://x.example/v2", "list"],
            "leave out --base-url",
        ),
        (
            &["--api-key-file", "-", "status", "-"],
            "stdin cannot hold both",
        ),
    ] {
        let r = run(api(&server.base_url()).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        r.stderr_has(&[says]);
    }
    catch.assert_calls(0);
    // A negative minimum is a number like any other.
    let r = run(bin().args([
        "--sandbox",
        "projects",
        "demo",
        "--min-virality",
        "-1",
        "-q",
    ]));
    assert_eq!((r.code, r.stdout.lines().count()), (0, 4), "{}", r.stderr);
}

#[test]
fn an_odd_field_in_one_export_never_fails_the_list() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v2/exports");
        then.status(200).body(
            r#"[{"id":"e1","status":"ready","name":5,"created_at":{"at":1},"src_url":["x"]},
                {"id":"e2","status":"processing","name":"two","created_at":"2023-10-01T09:00:00Z"}]"#,
        );
    });
    let r = run(api(&server.base_url()).args(["list", "--format", "tsv"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "e2\tprocessing\ttwo\t2023-10-01T09:00:00Z\t\t\ne1\tready\t\t\t\t\n"
    );
}
