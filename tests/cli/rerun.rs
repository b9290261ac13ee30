//! Issue 18 (r3): re-runs and pipelines as the README promises them; a wait that cannot
//! reach the API; pick-up hints that work pasted; JSON shapes of refs from stdin.

use std::time::{Duration, Instant};

use crate::batch::{Files, ex, serve};
use crate::sandbox::Sandbox;
use crate::script::{Script, json};
use crate::{api, export, private_file, run};

/// `projects demo -q --top 3 | create - --reuse --download DIR`, with `-v` to see requests.
fn pipeline(sb: &Sandbox, dir: &std::path::Path) -> crate::Run {
    let projects = run(sb.cmd().args(["projects", "demo", "-q", "--top", "3"]));
    assert_eq!(projects.code, 0, "{}", projects.stderr);
    assert_eq!(projects.stdout.lines().count(), 3, "{}", projects.stdout);
    run(sb
        .cmd()
        .args([
            "-v",
            "create",
            "-",
            "--reuse",
            "--interval",
            "0.1",
            "--download",
        ])
        .arg(dir)
        .write_stdin(projects.stdout))
}

#[test]
fn the_readme_pipeline_runs_twice_against_one_sandbox() {
    let sb = Sandbox::start(&["--ready-after", "0.2"]);
    let dir = tempfile::tempdir().unwrap();
    let first = pipeline(&sb, dir.path());
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(
        first.stderr.matches("< 200 POST ").count(),
        3,
        "{}",
        first.stderr
    );
    let files = crate::dir_names(dir.path());
    assert_eq!(files.len(), 3, "{files:?}");

    let again = pipeline(&sb, dir.path());
    assert_eq!(
        again.code, 0,
        "--reuse implies --skip-existing: {}",
        again.stderr
    );
    assert!(
        !again.stderr.contains("POST "),
        "nothing created: {}",
        again.stderr
    );
    assert!(
        !again.stderr.contains("/files/"),
        "nothing fetched: {}",
        again.stderr
    );
    assert_eq!(
        again.stderr.matches("reusing ").count(),
        3,
        "{}",
        again.stderr
    );
    assert_eq!(crate::dir_names(dir.path()), files);

    // --force still means replace.
    let forced = run(sb
        .cmd()
        .args([
            "-v",
            "create",
            "demo/demo_p1",
            "--reuse",
            "--force",
            "--interval",
            "0.1",
        ])
        .arg("--download")
        .arg(dir.path()));
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(forced.stderr.contains("/files/"), "{}", forced.stderr);
}

#[test]
fn a_clash_found_after_a_reuse_lookup_is_exit_2() {
    // The file is named after the reused export's ID, known only after the lookup.
    let router = serve(vec![ex("F/p1/e1", 0, "ready")], Files::Fast);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("e1.mp4")).unwrap();
    let create = || {
        run(api(&router.base)
            .env("CI", "1")
            .args([
                "create",
                "F/p1",
                "--reuse",
                "--interval",
                "0.1",
                "--download",
            ])
            .arg(dir.path()))
    };
    let r = create();
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&["e1.mp4 exists and is not a regular file"]);

    // A regular file there is kept (--reuse implies --skip-existing).
    std::fs::remove_dir(dir.path().join("e1.mp4")).unwrap();
    std::fs::write(dir.path().join("e1.mp4"), "mine").unwrap();
    let r = create();
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&["reusing F/p1/e1 (ready)", "kept "]);
    assert_eq!(std::fs::read(dir.path().join("e1.mp4")).unwrap(), b"mine");
    assert_eq!(router.count("GET /files/e1.mp4"), 0, "{:?}", router.lines());
}

#[test]
fn a_download_directory_that_takes_no_files_is_exit_2_before_anything_is_sent() {
    let server = Script::serve(vec![]);
    // /proc takes no new files, even for root.
    for args in [
        &["create", "p1", "--download", "/proc"][..],
        &["wait", "p1/e1", "--download", "/proc"],
    ] {
        let r = run(api(&server.base).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        r.stderr_has(&["/proc: cannot create files in it"]);
    }
    assert!(server.hits().is_empty(), "{:?}", server.lines());
}

#[test]
fn a_wait_that_never_hears_from_the_api_ends_at_once_with_exit_1() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    for extra in [&[][..], &["-q"], &["--no-progress"]] {
        let started = Instant::now();
        let r = run(api(&format!("http://127.0.0.1:{port}"))
            .args(["--retries", "1", "wait", "f/p/e"])
            .args(extra));
        assert_eq!(r.code, 1, "{extra:?}: {}", r.stderr);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "not the 30m deadline"
        );
        r.stderr_has(&["error: no answer from the API: GET http://127.0.0.1:"]);
        assert!(!r.stderr.contains("still in progress"), "{}", r.stderr);
    }
}

#[test]
fn later_failed_polls_are_said_with_q_and_the_deadline_then_names_the_error() {
    let server = Script::route(|_, nth| {
        if nth == 0 {
            json(
                200,
                &export("e", "processing", Some("f"), "p", "2023-10-02T09:00:00Z"),
            )
        } else {
            json(503, &serde_json::json!({"message": "down for maintenance"}))
        }
    });
    let r = run(api(&server.base).args([
        "wait",
        "f/p/e",
        "-q",
        "--interval",
        "0.1",
        "--timeout",
        "0.8",
    ]));
    assert_eq!(
        r.code, 1,
        "not 6: the API did not say it is in progress: {}",
        r.stderr
    );
    assert!(server.hits().len() >= 2, "{:?}", server.lines());
    assert_eq!(
        r.stderr.matches("polling failed: GET").count(),
        1,
        "one line per new error: {}",
        r.stderr
    );
    r.stderr_has(&[
        "HTTP 503: down for maintenance; retrying\n",
        "error: gave up after 800ms: the latest poll failed: GET ",
        "not known to be done: f/p/e\n",
    ]);
}

#[test]
fn pick_up_hints_carry_the_server_key_and_wait_options_and_take_many_refs_on_stdin() {
    let refs: Vec<String> = (1..=7).map(|n| format!("F/p{n}/e{n}")).collect();
    let world = (1..=7)
        .map(|n| {
            let r: &'static str = Box::leak(format!("F/p{n}/e{n}").into_boxed_str());
            ex(r, 1000, "ready")
        })
        .collect();
    let router = serve(world, Files::Fast);
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key");
    private_file(&key, crate::KEY);
    let r = run(crate::bin()
        .env("CI", "1")
        .arg("--base-url")
        .arg(format!("{}/v2", router.base))
        .arg("--api-key-file")
        .arg(&key)
        .args([
            "wait",
            "--interval",
            "0.1",
            "--timeout",
            "0.4",
            "--jobs",
            "2",
        ])
        .args(["--fail-fast", "--download"])
        .arg(dir.path())
        .args(&refs));
    assert_eq!(r.code, 6, "{}", r.stderr);
    r.stderr_has(&[
        "still in progress: F/p1/e1, F/p2/e2, F/p3/e3, F/p4/e4, F/p5/e5 and 2 more\n",
        &format!(
            "hint: the exports go on on the server; pick up again with:\n\
             klap-export --base-url {}/v2 --api-key-file {} wait - --interval 100ms \
             --timeout 400ms --fail-fast --download {} --skip-existing --jobs 2 <<'EOF'\n{}\nEOF\n",
            router.base,
            key.display(),
            dir.path().display(),
            refs.join("\n")
        ),
    ]);

    // Few refs stay on the line.
    let r = run(api(&router.base).env("CI", "1").args([
        "wait",
        "F/p1/e1",
        "--timeout",
        "0.3",
        "--interval",
        "0.1",
    ]));
    r.stderr_has(&[
        "hint: the export goes on on the server; pick up again with: klap-export wait F/p1/e1 --interval 100ms --timeout 300ms\n",
    ]);
}

#[test]
fn after_sandbox_there_is_nothing_to_pick_up() {
    let r = run(crate::bin().env("CI", "1").args([
        "--sandbox",
        "create",
        "demo/clip",
        "--wait",
        "--interval",
        "0.1",
        "--timeout",
        "0.3",
    ]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    r.stderr_has(&["hint: the sandbox ended with this command: there is nothing to pick up"]);
    assert!(!r.stderr.contains("klap-export wait"), "{}", r.stderr);
}

#[test]
fn refs_from_stdin_print_an_array_even_of_one() {
    let router = serve(vec![ex("F/p1/e1", 0, "ready")], Files::Fast);
    for args in [
        &["status", "-", "--json"][..],
        &["wait", "-", "--json", "--interval", "0.1"],
    ] {
        let r = run(api(&router.base).args(args).write_stdin("F/p1/e1\n"));
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(
            v.as_array().map(Vec::len),
            Some(1),
            "{args:?}: {}",
            r.stdout
        );
    }
    let r = run(api(&router.base)
        .args(["create", "-", "--json"])
        .write_stdin("F/p1\n"));
    assert!(
        r.stdout.trim_start().starts_with('['),
        "{}: {}",
        r.stderr,
        r.stdout
    );
    // A ref given as an argument is still an object.
    let r = run(api(&router.base).args(["status", "F/p1/e1", "--json"]));
    assert!(r.stdout.starts_with('{'), "{}", r.stdout);
}

#[test]
fn a_kept_file_reports_its_real_size() {
    let router = serve(vec![ex("F/p1/e1", 0, "ready")], Files::Fast);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("e1.mp4"), "12345").unwrap();
    let r = run(api(&router.base)
        .args(["download", "F/p1/e1", "--skip-existing", "--json", "-o"])
        .arg(dir.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["bytes"], 5, "{}", r.stdout);
    assert_eq!(v["skipped"], true);
}

#[test]
fn no_progress_keeps_the_results_saved_lines_and_the_summary() {
    let router = serve(
        vec![ex("F/p1/e1", 0, "ready"), ex("F/p2/e2", 0, "ready")],
        Files::Fast,
    );
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&router.base)
        .args([
            "wait",
            "F/p1/e1",
            "F/p2/e2",
            "--no-progress",
            "--interval",
            "0.1",
        ])
        .arg("--download")
        .arg(dir.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stderr_has(&[
        "klap-export: F/p1/e1: saved ",
        "klap-export: F/p2/e2: saved ",
    ]);
    r.stderr_has(&["klap-export: 2 ready, 0 failed, 0 in progress; 2 downloaded"]);
    assert!(
        !r.stderr.contains("elapsed"),
        "no progress lines: {}",
        r.stderr
    );
    // -q: nothing but errors.
    let r = run(api(&router.base)
        .args([
            "wait",
            "F/p1/e1",
            "F/p2/e2",
            "-q",
            "--force",
            "--interval",
            "0.1",
        ])
        .arg("--download")
        .arg(dir.path()));
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
}

#[test]
fn a_short_download_shows_no_eta() {
    let router = serve(vec![ex("F/p1/e1", 0, "ready")], Files::Fast);
    let dir = tempfile::tempdir().unwrap();
    let screen = crate::in_terminal(
        &router.base,
        &format!("download F/p1/e1 -o {}", dir.path().display()),
    );
    assert!(screen.contains("saved "), "{screen:?}");
    assert!(!screen.contains("ETA"), "{screen:?}");
}

#[test]
fn hints_say_what_is_wrong_with_each_base_url() {
    let server = Script::route(|_, _| json(404, &serde_json::json!({"message": "no route"})));
    for (path, hint) in [
        (
            "/v1",
            "hint: the base URL asks for API version v1: this tool speaks v2 (end it at /v2)\n",
        ),
        (
            "/v2/exports",
            "hint: the base URL goes past /v2 (/exports): end it at /v2\n",
        ),
        ("", "hint: the base URL probably lacks /v2\n"),
    ] {
        let r = run(crate::bin()
            .env("KLAP_BASE_URL", format!("{}{path}", server.base))
            .env("KLAP_API_KEY", crate::KEY)
            .args(["status", "p/e"]));
        assert_eq!(r.code, 3, "{path}: {}", r.stderr);
        r.stderr_has(&[hint]);
    }
}

#[test]
fn a_404_on_a_two_part_ref_says_what_two_parts_mean() {
    let server = Script::route(|req, _| {
        if req.path.contains("/exports?") {
            json(200, &serde_json::json!([]))
        } else {
            json(404, &serde_json::json!({"message": "not found"}))
        }
    });
    let r = run(api(&server.base).args(["status", "demo/one"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    r.stderr_has(&[
        "hint: two parts mean PROJECT/EXPORT; a project's exports are listed with: \
         klap-export list --project one (or --folder demo --project one)\n",
    ]);
}

#[test]
fn dev_null_discards_the_file_and_no_other_device_is_written() {
    let router = serve(vec![ex("F/p1/e1", 0, "ready")], Files::Fast);
    for _ in 0..2 {
        let r = run(api(&router.base).args(["download", "F/p1/e1", "-o", "/dev/null"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert_eq!(router.count("GET /files/e1.mp4"), 2, "{:?}", router.lines());
    let r = run(api(&router.base).args(["download", "F/p1/e1", "-o", "/dev/zero", "--force"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    r.stderr_has(&["/dev/zero exists and is not a regular file"]);
}

#[test]
fn wait_with_o_suggests_download_not_a_double_dash() {
    let server = Script::serve(vec![]);
    for args in [
        &["wait", "p/e", "-o", "clips/"][..],
        &["create", "p", "--output", "x"],
    ] {
        let r = run(api(&server.base).args(args));
        assert_eq!(r.code, 2, "{}", r.stderr);
        r.stderr_has(&["downloads with --download PATH"]);
        assert!(!r.stderr.contains("'-- -o'"), "{}", r.stderr);
    }
    assert!(server.hits().is_empty());
}

#[test]
fn a_closed_stdout_is_exit_1_and_dev_null_is_fine() {
    let router = serve(vec![ex("F/p1/e1", 0, "ready")], Files::Fast);
    let bin = assert_cmd::cargo::cargo_bin("klap-export");
    for (redirect, code) in [(">&-", 1), (">/dev/null", 0)] {
        let out = std::process::Command::new("sh")
            .args(["-c", &format!("\"$BIN\" list {redirect}")])
            .env("BIN", &bin)
            .env("KLAP_BASE_URL", format!("{}/v2", router.base))
            .env("KLAP_API_KEY", crate::KEY)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{redirect}: {stderr}");
        if code == 1 {
            assert_eq!(
                stderr,
                "klap-export: error: stdout is closed: nothing can be printed\n"
            );
        }
    }
}

#[test]
fn the_pick_up_hint_carries_name_quoted_for_the_shell() {
    let router = serve(vec![ex("F/p1/e1", 1000, "ready")], Files::Fast);
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&router.base)
        .env("CI", "1")
        .args([
            "wait",
            "F/p1/e1",
            "--timeout",
            "0.3",
            "--name",
            "{rank:02} {id}",
        ])
        .arg("--download")
        .arg(dir.path()));
    assert_eq!(r.code, 6, "{}", r.stderr);
    r.stderr_has(&[&format!(
        "pick up again with: klap-export wait F/p1/e1 --timeout 300ms --download {} \
         --skip-existing --name '{{rank:02}} {{id}}'\n",
        dir.path().display()
    )]);
}
