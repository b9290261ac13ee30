//! Trust, round 3: pinned localhost, resumes that never splice, redirects of a create,
//! refs that share an export ID, encodings, URLs shown without userinfo, and plain words
//! for transport failures.

use serde_json::json;

use crate::script::{Script, Seen, Step, json, raw};
use crate::{api, dir_names, run};

#[test]
fn localhost_with_a_trailing_dot_and_any_case_is_loopback() {
    let router = Script::route(|_, _| json(200, &json!([])));
    let port = router.base.rsplit(':').next().unwrap().to_string();
    for host in ["LOCALHOST.", "LocalHost"] {
        let r = run(api("unused")
            .env("KLAP_BASE_URL", format!("http://{host}:{port}/v2"))
            .args(["list", "--json"]));
        assert_eq!(r.code, 0, "{host}: {}", r.stderr);
        assert_eq!(r.stdout.trim(), "[]");
    }
    assert_eq!(router.count("GET /v2/exports"), 2);
}

// ---- the file host ----

/// Two versions of one file, of one length unless said otherwise.
fn version(v: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| v.wrapping_mul(31).wrapping_add(i as u8))
        .collect()
}

/// A server whose `p/e` is ready with its file at `/files/e.mp4`, answered by `file`
/// (the request and how many file requests came before it).
fn file_host(file: impl Fn(&Seen, usize) -> Step + Send + Sync + 'static) -> Script {
    Script::route(move |req, nth| {
        if req.path == "/files/e.mp4" {
            return file(req, nth);
        }
        let host = req.header("host").unwrap_or_default();
        json(
            200,
            &json!({"id": "e", "status": "ready", "project_id": "p",
                    "src_url": format!("http://{host}/files/e.mp4")}),
        )
    })
}

/// The whole of `data` as a 200 with `headers`, cut after `keep` body bytes.
fn cut(data: &[u8], headers: &[(&str, &str)], keep: usize) -> Step {
    let whole = raw(200, headers, data);
    let n = whole.len() - (data.len() - keep);
    Step::Cut(whole, n)
}

/// `data[from..]` as a 206 of a file `total` long (`*` when `None`).
fn rest(data: &[u8], from: usize, total: Option<usize>, headers: &[(&str, &str)]) -> Step {
    let total = total.map_or("*".to_string(), |t| t.to_string());
    let range = format!("bytes {from}-{}/{total}", data.len() - 1);
    let mut all = vec![("Content-Range", range.as_str())];
    all.extend_from_slice(headers);
    Step::Raw(raw(206, &all, &data[from..]))
}

fn file_requests(router: &Script) -> Vec<Seen> {
    router
        .hits()
        .into_iter()
        .filter(|h| h.seen.path == "/files/e.mp4")
        .map(|h| h.seen)
        .collect()
}

fn download(router: &Script, dir: &tempfile::TempDir, extra: &[&str]) -> crate::Run {
    run(api(&router.base)
        .args(["download", "p/e", "-o", dir.path().to_str().unwrap()])
        .args(extra))
}

#[test]
fn a_resume_that_finds_another_etag_starts_over_and_never_splices() {
    let (old, new) = (version(1, 4000), version(2, 4000));
    let router = {
        let (old, new) = (old.clone(), new.clone());
        file_host(move |req, nth| match nth {
            0 => cut(&old, &[("ETag", "\"v1\"")], 1500),
            // A host that ignores If-Range: the new version's rest.
            1 if req.header("range").is_some() => {
                rest(&new, 1500, Some(4000), &[("ETag", "\"v2\"")])
            }
            _ => Step::Raw(raw(200, &[("ETag", "\"v2\"")], &new)),
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let r = download(&router, &dir, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::read(dir.path().join("e.mp4")).unwrap() == new,
        "spliced"
    );
    let seen = file_requests(&router);
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[1].header("range"), Some("bytes=1500-"));
    assert_eq!(seen[1].header("if-range"), Some("\"v1\""));
    assert_eq!(seen[2].header("range"), None, "started over");
    assert_eq!(dir_names(dir.path()), ["e.mp4"]);
}

#[test]
fn without_a_validator_a_resume_of_another_length_starts_over() {
    let (old, new) = (version(1, 4000), version(2, 4100));
    for total in [Some(4100), None] {
        let router = {
            let (old, new) = (old.clone(), new.clone());
            file_host(move |req, nth| match nth {
                0 => cut(&old, &[], 1500),
                1 if req.header("range").is_some() => rest(&new, 1500, total, &[]),
                _ => Step::Raw(raw(200, &[], &new)),
            })
        };
        let dir = tempfile::tempdir().unwrap();
        let r = download(&router, &dir, &[]);
        assert_eq!(r.code, 0, "{total:?}: {}", r.stderr);
        assert!(
            std::fs::read(dir.path().join("e.mp4")).unwrap() == new,
            "{total:?}: spliced"
        );
        let seen = file_requests(&router);
        assert_eq!(seen.len(), 3, "{total:?}");
        assert_eq!(seen[1].header("if-range"), None);
        assert_eq!(seen[2].header("range"), None);
    }
}

#[test]
fn if_range_is_the_strong_etag_else_last_modified_and_a_same_version_resume_appends() {
    let data = version(3, 4000);
    let date = "Wed, 21 Oct 2015 07:28:00 GMT";
    for (headers, expected) in [
        (
            vec![("ETag", "\"s1\""), ("Last-Modified", date)],
            Some("\"s1\""),
        ),
        (
            vec![("ETag", "W/\"w1\""), ("Last-Modified", date)],
            Some(date),
        ),
        // A weak ETag alone validates nothing: the equal total is what is checked.
        (vec![("ETag", "W/\"w1\"")], None),
        (vec![], None),
    ] {
        let router = {
            let (data, headers) = (data.clone(), headers.clone());
            file_host(move |_, nth| match nth {
                0 => cut(&data, &headers, 1000),
                _ => rest(&data, 1000, Some(4000), &headers),
            })
        };
        let dir = tempfile::tempdir().unwrap();
        let r = download(&router, &dir, &[]);
        assert_eq!(r.code, 0, "{headers:?}: {}", r.stderr);
        assert!(std::fs::read(dir.path().join("e.mp4")).unwrap() == data);
        let seen = file_requests(&router);
        assert_eq!(seen.len(), 2, "{headers:?}");
        assert_eq!(seen[1].header("range"), Some("bytes=1000-"));
        assert_eq!(seen[1].header("if-range"), expected, "{headers:?}");
    }
}

/// A 200 with no length, sent chunked and cut after `keep` bytes of `data`.
fn chunked_cut(data: &[u8], keep: usize) -> Step {
    let mut out =
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    out.extend_from_slice(format!("{:x}\r\n", keep).as_bytes());
    out.extend_from_slice(&data[..keep]);
    out.extend_from_slice(b"\r\n");
    // The next chunk is announced but never comes.
    out.extend_from_slice(format!("{:x}\r\n", data.len() - keep).as_bytes());
    let n = out.len();
    Step::Cut(out, n)
}

#[test]
fn a_416_for_exactly_the_bytes_held_means_complete() {
    let data = version(4, 3000);
    let router = {
        let data = data.clone();
        file_host(move |_, nth| match nth {
            0 => chunked_cut(&data, 3000),
            _ => Step::Raw(raw(416, &[("Content-Range", "bytes */3000")], b"")),
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let r = download(&router, &dir, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read(dir.path().join("e.mp4")).unwrap() == data);
    let seen = file_requests(&router);
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].header("range"), Some("bytes=3000-"));

    // A 416 for another length: the file changed, so it starts over.
    let new = version(5, 3500);
    let router = {
        let (data, new) = (data.clone(), new.clone());
        file_host(move |req, nth| match nth {
            0 => chunked_cut(&data, 3000),
            1 if req.header("range").is_some() => {
                Step::Raw(raw(416, &[("Content-Range", "bytes */3500")], b""))
            }
            _ => Step::Raw(raw(200, &[], &new)),
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let r = download(&router, &dir, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read(dir.path().join("e.mp4")).unwrap() == new);
    assert_eq!(file_requests(&router).len(), 3);
}

/// Every connection carries at most `step` bytes of the file, from where it is asked.
fn dropping_link(data: Vec<u8>, step: usize) -> Script {
    file_host(move |req, _| {
        let from: usize = req
            .header("range")
            .and_then(|r| r.strip_prefix("bytes=")?.strip_suffix('-')?.parse().ok())
            .unwrap_or(0);
        let answer = if from == 0 {
            raw(200, &[("ETag", "\"x\"")], &data)
        } else {
            let range = format!("bytes {from}-{}/{}", data.len() - 1, data.len());
            raw(
                206,
                &[("ETag", "\"x\""), ("Content-Range", &range)],
                &data[from..],
            )
        };
        let body = data.len() - from;
        let keep = answer.len() - body + step.min(body);
        Step::Cut(answer, keep)
    })
}

#[test]
fn retries_count_only_attempts_in_a_row_without_progress() {
    // Five connections, each a fifth of the file: --retries 1 is enough, as each gets further.
    let data = version(6, 5000);
    let router = dropping_link(data.clone(), 1000);
    let dir = tempfile::tempdir().unwrap();
    let r = download(&router, &dir, &["--retries", "1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read(dir.path().join("e.mp4")).unwrap() == data);
    assert_eq!(file_requests(&router).len(), 5);

    // A link that carries nothing after the first bytes: --retries attempts in a row
    // without progress end it (exit 1).
    let router = file_host(move |_, nth| match nth {
        0 => cut(&data, &[("ETag", "\"x\"")], 1000),
        _ => cut(&data, &[("ETag", "\"x\"")], 0),
    });
    let dir = tempfile::tempdir().unwrap();
    let r = download(&router, &dir, &["--retries", "2"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        file_requests(&router).len(),
        3,
        "the first, then 2 without progress"
    );
    assert!(dir_names(dir.path()).is_empty());
}

#[test]
fn files_are_asked_for_as_stored_and_an_encoded_body_is_never_saved() {
    let data = version(7, 2000);
    let router = file_host(move |_, _| Step::Raw(raw(200, &[("Content-Encoding", "gzip")], &data)));
    let dir = tempfile::tempdir().unwrap();
    let r = download(&router, &dir, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["gzip", "refusing to save"]);
    assert!(dir_names(dir.path()).is_empty());
    let seen = file_requests(&router);
    assert_eq!(seen.len(), 1, "not retried");
    assert_eq!(seen[0].header("accept-encoding"), Some("identity"));
}

// ---- a create answered with a redirect ----

#[test]
fn a_create_answered_with_any_redirect_is_never_followed() {
    let elsewhere = Script::route(|_, _| json(201, &json!({"id": "e9", "status": "processing"})));
    let other = elsewhere.base.trim_start_matches("http://").to_string();
    for status in [301, 302, 303, 307, 308] {
        let location = format!("http://user:pw@{other}/v2/projects/p/exports");
        let router = Script::route(move |req, _| {
            if req.method == "POST" {
                Step::Raw(raw(status, &[("Location", &location)], b""))
            } else {
                // The same origin is not asked again either.
                json(201, &json!({"id": "e9", "status": "processing"}))
            }
        });
        let r = run(api(&router.base).args(["create", "p"]));
        assert_eq!(r.code, 1, "{status}: {}", r.stderr);
        r.stderr_has(&[
            &format!("HTTP {status}: redirected to http://***@{other}/v2/projects/p/exports"),
            "not followed",
            "may have been created",
        ]);
        assert!(!r.stderr.contains("pw"), "{}", r.stderr);
        assert_eq!(router.lines(), ["POST /v2/projects/p/exports"], "{status}");
        assert_eq!(r.stdout, "");
    }
    assert!(elsewhere.lines().is_empty(), "{:?}", elsewhere.lines());

    // A relative Location is named whole; a hostile one is made safe.
    let router = Script::route(|_, _| Step::Raw(raw(307, &[("Location", "/v2/\u{202e}red")], b"")));
    let r = run(api(&router.base).args(["create", "f/p"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stderr.contains('\u{202e}'), "{}", r.stderr);
    r.stderr_has(&[&format!("redirected to {}/v2/", router.base)]);
    assert_eq!(router.count("POST /v2/projects/f/p/exports"), 1);
}

// ---- URLs as shown ----

/// A server whose `p/e` is ready with its file at `src_url` (`{base}` is this server).
fn ready_at(src_url: &'static str, file: impl Fn(&Seen) -> Step + Send + Sync + 'static) -> Script {
    Script::route(move |req, _| {
        if req.path.starts_with("/files/") {
            return file(req);
        }
        let host = req.header("host").unwrap_or_default();
        let src = src_url.replace("{host}", host);
        json(
            200,
            &json!({"id": "e", "status": "ready", "project_id": "p", "src_url": src}),
        )
    })
}

#[test]
fn urls_are_shown_without_userinfo_and_redirected_only_after_a_redirect() {
    // Userinfo and a fragment are no redirect.
    let router = ready_at("http://user:hunter2@{host}/files/e.mp4#t=10", |_| {
        Step::Raw(raw(200, &[], b"bytes"))
    });
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&router.base)
        .args(["download", "p/e", "-v", "-o"])
        .arg(dir.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
    r.stderr_has(&["> GET http://***@", "/files/e.mp4#t=10"]);
    assert!(!r.stderr.contains("redirected"), "{}", r.stderr);

    // A real redirect says so, and an error shows no password either.
    let router = ready_at("http://user:hunter2@{host}/files/e.mp4", |req| {
        if req.path == "/files/e.mp4" {
            Step::Raw(raw(302, &[("Location", "/files/moved.mp4")], b""))
        } else {
            Step::Raw(raw(404, &[], b"gone"))
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&router.base)
        .args(["download", "p/e", "-v", "-o"])
        .arg(dir.path()));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
    r.stderr_has(&["(redirected to ", "/files/moved.mp4", "HTTP 404"]);
    assert_eq!(
        router.lines().last().map(String::as_str),
        Some("GET /files/moved.mp4")
    );
}

#[test]
fn a_src_url_with_an_invalid_port_says_so_without_its_userinfo() {
    let router = ready_at("https://u:hunter2@cdn.example:99999/e.mp4", |_| {
        Step::Raw(raw(500, &[], b""))
    });
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&router.base)
        .args(["download", "p/e", "-o"])
        .arg(dir.path()));
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["invalid port number", "https://***@cdn.example:99999/e.mp4"]);
    assert!(!r.stderr.contains("not an http(s) URL"), "{}", r.stderr);
    assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
}

// ---- smaller: error bodies, durations, hidden characters in a status ----

#[test]
fn an_error_body_is_read_up_to_64_kib_and_still_shown() {
    // Past the body cap: its message is still what it says, not "(empty body)".
    let padded = format!("{{\"message\":\"no such project\"}}{}", " ".repeat(500));
    let router = Script::route(move |_, _| Step::Raw(raw(404, &[], padded.as_bytes())));
    let r = run(api(&router.base)
        .env("KLAP_TEST_MAX_BODY", "100")
        .args(["status", "p/e"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    r.stderr_has(&["HTTP 404: no such project"]);

    // A huge error page that never ends: its first 64 KiB are enough, at once.
    let mut head = b"HTTP/1.1 500 X\r\nContent-Length: 100000000\r\n\r\n".to_vec();
    head.extend(b"overloaded ".repeat(7000));
    let script = Script::serve(vec![Step::Stall(head)]);
    let started = std::time::Instant::now();
    let r =
        run(api(&script.base).args(["status", "p/e", "--retries", "0", "--http-timeout", "15"]));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["HTTP 500: overloaded overloaded"]);
}

#[test]
fn a_duration_that_rounds_to_zero_is_a_usage_error() {
    let router = Script::route(|_, _| json(200, &json!([])));
    for args in [
        &["list", "--http-timeout", "0.0000000001"][..],
        &["wait", "p/e", "--timeout", "500us"],
    ] {
        let r = run(api(&router.base).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        r.stderr_has(&["below 1ms"]);
    }
    assert!(router.lines().is_empty(), "{:?}", router.lines());
}

#[test]
fn a_status_with_a_hidden_character_shows_it_escaped() {
    let router = Script::route(|_, _| {
        json(
            200,
            &json!({"id": "e", "status": "ready\u{0}", "project_id": "p",
                    "src_url": "https://cdn.example/e.mp4"}),
        )
    });
    for format in ["table", "tsv"] {
        let r = run(api(&router.base).args(["status", "p/e", "--format", format]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("ready\\u0000"), "{format}: {}", r.stdout);
    }
    // The JSON is the server's, verbatim.
    let r = run(api(&router.base).args(["status", "p/e", "--json"]));
    assert!(
        r.stdout.contains(r#""status": "ready\u0000""#),
        "{}",
        r.stdout
    );
    // And it is not ready.
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&router.base)
        .args(["download", "p/e", "-o"])
        .arg(dir.path()));
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["not ready"]);
}

// ---- refs that share an export ID ----

/// `F/p1/e1` is ready (its file at /files/e1.mp4), `G/p2/e1` is another export with that ID,
/// `nf/p9/e1` is not found; the unfiltered list holds the first two.
fn shared_ids() -> Script {
    Script::route(|req, _| {
        let host = req.header("host").unwrap_or_default();
        let one = json!({"id": "e1", "status": "ready", "folder_id": "F", "project_id": "p1",
                         "src_url": format!("http://{host}/files/e1.mp4")});
        let two = json!({"id": "e1", "status": "processing", "folder_id": "G", "project_id": "p2"});
        match req.path.as_str() {
            "/files/e1.mp4" => Step::Raw(raw(200, &[], b"the one file")),
            "/v2/projects/F/p1/exports/e1" => json(200, &one),
            "/v2/projects/G/p2/exports/e1" => json(200, &two),
            "/v2/exports" => json(200, &json!([one, two])),
            _ => json(404, &json!({"message": "no such export"})),
        }
    })
}

#[test]
fn refs_sharing_an_export_id_are_each_checked_and_the_file_fetched_once() {
    for order in [["F/p1/e1", "nf/p9/e1"], ["nf/p9/e1", "F/p1/e1"]] {
        let router = shared_ids();
        let dir = tempfile::tempdir().unwrap();
        let r = run(api(&router.base)
            .args(["download", order[0], order[1], "F/p1/e1", "-o"])
            .arg(dir.path()));
        assert_eq!(r.code, 3, "{order:?}: {}", r.stderr);
        r.stderr_has(&["projects/nf/p9/exports/e1: HTTP 404: no such export"]);
        assert_eq!(
            router.count("GET /v2/projects/nf/p9/exports/e1"),
            1,
            "{order:?}"
        );
        assert_eq!(
            router.count("GET /files/e1.mp4"),
            1,
            "{order:?}: fetched once"
        );
        assert_eq!(
            std::fs::read(dir.path().join("e1.mp4")).unwrap(),
            b"the one file"
        );
        assert_eq!(dir_names(dir.path()), ["e1.mp4"]);
    }
}

#[test]
fn a_bare_id_in_two_projects_is_ambiguous_for_status_wait_and_download() {
    for args in [
        &["status", "e1"][..],
        &["wait", "e1", "--timeout", "5s", "--interval", "0.1"],
        &["download", "e1"],
    ] {
        let router = shared_ids();
        let dir = tempfile::tempdir().unwrap();
        let r = run(api(&router.base).current_dir(dir.path()).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        r.stderr_has(&["ambiguous", "F/p1/e1, G/p2/e1"]);
        assert_eq!(router.count("GET /files/e1.mp4"), 0, "{args:?}");
        assert_eq!(r.stdout, "", "{args:?}");
    }
}

#[test]
fn wait_takes_each_full_ref_its_own_export_from_a_folder_list() {
    // One folder's list holds e1 twice: ready in p1, still processing in p2.
    let router = Script::route(|req, _| {
        let list = json!([
            {"id": "e1", "status": "ready", "folder_id": "F", "project_id": "p1",
             "src_url": "https://cdn.example/e1.mp4"},
            {"id": "e1", "status": "processing", "folder_id": "F", "project_id": "p2"},
        ]);
        match req.path.as_str() {
            "/v2/exports?folder_id=F" => json(200, &list),
            "/v2/projects/F/p2/exports/e1" => json(200, &list[1]),
            _ => json(404, &json!({"message": "no such export"})),
        }
    });
    let r = run(api(&router.base).args([
        "wait",
        "F/p1/e1",
        "F/p2/e1",
        "--timeout",
        "0.3",
        "--interval",
        "0.1",
        "--json",
    ]));
    assert_eq!(r.code, 6, "p2's is still processing: {}", r.stderr);
    let out: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let states: Vec<(&str, &str)> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["project_id"].as_str().unwrap(),
                e["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(states, [("p1", "ready"), ("p2", "processing")]);
}

// ---- transport failures in words ----

/// `status p/e` against `base_url` with no proxy variables but `proxy` (name, value).
fn status_via(base_url: &str, proxy: &[(&str, &str)]) -> crate::Run {
    let mut cmd = api("unused");
    for name in crate::hostile::PROXY_VARS {
        cmd.env_remove(name);
    }
    cmd.env_remove("NO_PROXY").env_remove("no_proxy");
    for (name, value) in proxy {
        cmd.env(name, value);
    }
    run(cmd
        .env("KLAP_BASE_URL", base_url)
        .args(["status", "p/e", "--retries", "2"]))
}

#[test]
fn tls_failures_are_sentences_and_not_retried() {
    let plain = Script::serve(vec![Step::Raw(b"HTTP/1.1 400 Bad\r\n\r\n".to_vec())]);
    let port = plain.base.rsplit(':').next().unwrap().to_string();
    let started = std::time::Instant::now();
    let r = status_via(&format!("https://127.0.0.1:{port}/v2"), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&[&format!(
        "the server does not speak TLS on port {port}: is it an http:// address?"
    )]);
    assert!(!r.stderr.contains("InvalidContentType"), "{}", r.stderr);
    assert!(
        started.elapsed() < std::time::Duration::from_millis(900),
        "retried"
    );

    let port = crate::hostile::untrusted_tls_server();
    let r = status_via(&format!("https://127.0.0.1:{port}/v2"), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["TLS certificate not trusted: it is not issued by an authority this system trusts (self-signed"]);
    assert!(!r.stderr.contains("UnknownIssuer"), "{}", r.stderr);
}

#[test]
fn a_proxy_that_refuses_is_named_with_its_variable() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let proxy = format!("http://127.0.0.1:{closed}");
    for var in ["HTTPS_PROXY", "all_proxy"] {
        let r = status_via("https://api.example.invalid/v2", &[(var, &proxy)]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        r.stderr_has(&[&format!(
            "GET https://api.example.invalid/v2/projects/p/exports/e: through the proxy 127.0.0.1:{closed} (from {var}): cannot connect: connection refused"
        )]);
    }
    // One that refuses the tunnel.
    let refusing = Script::serve(vec![Step::Raw(
        b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".to_vec(),
    )]);
    let r = status_via(
        "https://api.example.invalid/v2",
        &[("https_proxy", &refusing.base)],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let at = refusing.base.trim_start_matches("http://");
    r.stderr_has(&[&format!(
        "through the proxy {at} (from https_proxy): it refused to open a tunnel (CONNECT) to api.example.invalid:443"
    )]);
    // NO_PROXY takes the host out: then it is the host's own failure.
    let r = status_via(
        "https://api.example.invalid/v2",
        &[("HTTPS_PROXY", &proxy), ("NO_PROXY", ".example.invalid")],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["cannot resolve host api.example.invalid"]);
    assert!(!r.stderr.contains("proxy"), "{}", r.stderr);
}

#[test]
fn an_html_error_page_shows_its_title() {
    let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";
    let server = Script::serve(vec![Step::Raw(raw(
        502,
        &[("Content-Type", "text/html")],
        page.as_bytes(),
    ))]);
    let r = run(api(&server.base).args(["status", "p/e", "--retries", "0"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["HTTP 502: 502 Bad Gateway (an HTML page)"]);
    assert!(!r.stderr.contains("<center>"), "{}", r.stderr);
}
