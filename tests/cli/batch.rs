//! The batch pipeline (issue 12): grouped polling, --reuse, refs from stdin, several
//! creates, --fail-fast, pipelined and bounded downloads, resume, --skip-existing, the
//! summary line and the batch exit rule, projects, and the README pipeline end to end.
//! Each test checks what the server saw (the router's request log) and what the user saw.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};

use crate::dir_names as names;
use crate::script::{Script, Seen, Step, json, raw};
use crate::{api, run};

/// One export of a test world: where it lives, how many polls of a route it stays
/// `processing` on that route, what it turns into, and whether lists show it.
#[derive(Clone)]
pub struct Ex {
    pub id: &'static str,
    pub folder: Option<&'static str>,
    pub project: &'static str,
    pub after: usize,
    pub end: &'static str,
    pub listed: bool,
}

pub fn ex(ref_: &'static str, after: usize, end: &'static str) -> Ex {
    let parts: Vec<&'static str> = ref_.split('/').collect();
    let (folder, project, id) = match parts.as_slice() {
        [f, p, e] => (Some(*f), *p, *e),
        [p, e] => (None, *p, *e),
        _ => panic!("{ref_}"),
    };
    Ex {
        id,
        folder,
        project,
        after,
        end,
        listed: true,
    }
}

/// The bytes of an export's file: distinct per export, long enough to be cut.
pub fn mp4(id: &str) -> Vec<u8> {
    let mut bytes = b"\x00\x00\x00\x18ftypmp42".to_vec();
    bytes.extend((0..20_000u32).map(|i| (i * 7 + id.len() as u32 * 13) as u8));
    bytes.extend_from_slice(id.as_bytes());
    bytes
}

fn object(e: &Ex, status: &str, host: &str) -> Value {
    let ready = status == "ready";
    json!({
        "id": e.id,
        "status": status,
        "src_url": ready.then(|| format!("http://{host}/files/{}.mp4", e.id)),
        "project_id": e.project,
        "folder_id": e.folder,
        "created_at": "2024-05-06T09:00:00Z",
        "finished_at": ready.then_some("2024-05-06T09:05:00Z"),
        "name": format!("Clip {}", e.id),
        "descriptions": if status == "error" { "render crashed" } else { "d" },
    })
}

/// How a world's file host answers.
#[derive(Clone, Copy)]
pub enum Files {
    Fast,
    /// Each file takes this long.
    Slow(Duration),
}

/// Serves the exports API over `world`: lists filtered by folder or project, status
/// routes, and `/files/ID.mp4`. On each route an export is `processing` until that
/// route has been asked `after` times.
pub fn serve(world: Vec<Ex>, files: Files) -> Script {
    Script::route(move |req: &Seen, nth| {
        let host = req.header("host").unwrap_or_default().to_string();
        let status = |e: &Ex| if nth >= e.after { e.end } else { "processing" };
        let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
        let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
        match segs.as_slice() {
            // Test hooks by export ID: a file host that has lost the file.
            ["files", name] if name.starts_with("nofile") => {
                json(404, &json!({"message": "no such file"}))
            }
            ["files", name] => {
                let Some(e) = world.iter().find(|e| format!("{}.mp4", e.id) == *name) else {
                    return json(404, &json!({"message": "no file"}));
                };
                let bytes = raw(200, &[("Content-Type", "video/mp4")], &mp4(e.id));
                match files {
                    Files::Fast => Step::Raw(bytes),
                    Files::Slow(d) => Step::Slow(bytes, d),
                }
            }
            ["v2", "exports"] => {
                let wanted = |name: &str| {
                    query
                        .split('&')
                        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
                };
                let (folder, project) = (wanted("folder_id"), wanted("project_id"));
                let list: Vec<Value> = world
                    .iter()
                    .filter(|e| e.listed)
                    .filter(|e| folder.is_none_or(|f| e.folder == Some(f)))
                    .filter(|e| project.is_none_or(|p| e.project == p))
                    .map(|e| object(e, status(e), &host))
                    .collect();
                json(200, &Value::Array(list))
            }
            // ... and an export the key may not see.
            ["v2", "projects", .., id] if id.starts_with("deny") => {
                json(401, &json!({"message": "bad key"}))
            }
            ["v2", "projects", rest @ .., project, "exports", id] if rest.len() <= 1 => {
                let folder = rest.first().copied();
                match world
                    .iter()
                    .find(|e| e.id == *id && e.project == *project && e.folder == folder)
                {
                    Some(e) => json(200, &object(e, status(e), &host)),
                    None => json(404, &json!({"message": "export not found"})),
                }
            }
            _ => json(404, &json!({"message": "no route"})),
        }
    })
}

/// `wait` (plain progress lines) at the shortest interval, with `args` after it.
fn wait(router: &Script, args: &[&str]) -> crate::Run {
    run(api(&router.base)
        .env("CI", "1")
        .args(["wait", "--interval", "0.1", "--timeout", "10"])
        .args(args))
}

// ---- grouped polling ----

#[test]
fn five_exports_of_one_folder_cost_one_request_a_round() {
    let refs = ["F/p1/e1", "F/p2/e2", "F/p3/e3", "F/p4/e4", "F/p5/e5"];
    let router = serve(
        refs.iter().map(|r| ex(r, 3, "ready")).collect(),
        Files::Fast,
    );
    let r = wait(&router, &[&refs[..], &["-q"]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, refs.map(|r| format!("{r}\n")).concat());
    // Ready on the fourth round: four requests in all, each the folder's list.
    assert_eq!(
        router.lines(),
        vec!["GET /v2/exports?folder_id=F"; 4],
        "one request a round"
    );
}

#[test]
fn each_folder_and_direct_project_is_one_request_a_round_and_a_lone_export_its_status_route() {
    let world = vec![
        ex("F/p1/e1", 2, "ready"),
        ex("F/p2/e2", 2, "ready"),
        ex("F/p3/e3", 2, "ready"),
        ex("G/q1/g1", 2, "ready"),
        ex("G/q2/g2", 2, "ready"),
        ex("D/d1", 2, "ready"),
        ex("D/d2", 2, "ready"),
        ex("H/h/lone", 2, "ready"),
    ];
    let router = serve(world, Files::Fast);
    let r = wait(
        &router,
        &[
            "F/p1/e1", "G/q1/g1", "D/d1", "H/h/lone", "F/p2/e2", "G/q2/g2", "D/d2", "F/p3/e3",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = router.lines();
    assert_eq!(lines.len(), 12, "4 groups, 3 rounds: {lines:#?}");
    lines.sort();
    lines.dedup();
    assert_eq!(
        lines,
        [
            "GET /v2/exports?folder_id=F",
            "GET /v2/exports?folder_id=G",
            "GET /v2/exports?project_id=D",
            "GET /v2/projects/H/h/exports/lone",
        ]
    );
    for line in &lines {
        assert_eq!(router.count(line), 3, "{line}");
    }
    assert_eq!(
        r.stderr.lines().last().unwrap(),
        "klap-export: 8 ready, 0 failed, 0 in progress"
    );
}

#[test]
fn bare_ids_share_one_unfiltered_list_until_their_folder_is_known() {
    let router = serve(
        vec![
            ex("F/p1/b1", 2, "ready"),
            ex("F/p2/b2", 2, "ready"),
            ex("F/p3/b3", 2, "ready"),
        ],
        Files::Fast,
    );
    let r = wait(&router, &["b1", "b2", "b3", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "F/p1/b1\nF/p2/b2\nF/p3/b3\n", "the long refs");
    assert_eq!(
        router.lines(),
        [
            "GET /v2/exports",
            "GET /v2/exports?folder_id=F",
            "GET /v2/exports?folder_id=F",
            "GET /v2/exports?folder_id=F",
        ]
    );
}

#[test]
fn an_export_missing_from_its_list_is_asked_on_its_status_route_and_404_there_is_exit_3() {
    let mut late = ex("F/p3/late", 1, "ready");
    late.listed = false;
    let router = serve(
        vec![ex("F/p1/e1", 1, "ready"), ex("F/p2/e2", 1, "ready"), late],
        Files::Fast,
    );
    let r = wait(&router, &["F/p1/e1", "F/p2/e2", "F/p3/late", "F/p4/gone"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    r.stderr_has(&["klap-export: error: F/p4/gone: ", "export not found"]);
    assert_eq!(
        r.stderr.lines().last().unwrap(),
        "klap-export: 3 ready, 0 failed, 0 in progress, 1 not found"
    );
    let printed: Vec<&str> = r
        .stdout
        .lines()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(printed, ["ID", "e1", "e2", "late"], "{}", r.stdout);
    // Each round the list, then each export missing from it on its status route;
    // `gone` is asked once and then no more.
    assert_eq!(
        router.lines(),
        [
            "GET /v2/exports?folder_id=F",
            "GET /v2/projects/F/p3/exports/late",
            "GET /v2/projects/F/p4/exports/gone",
            "GET /v2/exports?folder_id=F",
            "GET /v2/projects/F/p3/exports/late",
        ]
    );
}

// ---- create: several refs, --reuse ----

/// A created export of `F/P` (or `P`) with a made-up ID from the POST's path.
fn created(path: &str, n: usize) -> Value {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (folder, project) = match segs.as_slice() {
        ["v2", "projects", f, p, "exports"] => (Some(*f), *p),
        [.., p, "exports"] => (None, *p),
        _ => (None, "?"),
    };
    json!({
        "id": format!("new_{project}_{n}"),
        "status": "processing",
        "src_url": null,
        "project_id": project,
        "folder_id": folder,
        "created_at": "2024-05-06T10:00:00Z",
    })
}

fn listed(id: &str, folder: Option<&str>, project: &str, status: &str, created: &str) -> Value {
    let mut e = crate::export(id, status, folder, project, created);
    e["extra"] = json!({"kept": true});
    e
}

/// A server whose `GET /exports?...` answers come from `lists` (by query), and whose
/// POSTs create; `fail_post` maps a project ID to the status its POST gets.
fn create_server(lists: Vec<(&'static str, Value)>, fail_post: Vec<(&'static str, u16)>) -> Script {
    Script::route(move |req, _| {
        if req.method == "POST" {
            let n = req.path.len();
            if let Some((_, code)) = fail_post
                .iter()
                .find(|(p, _)| req.path.ends_with(&format!("/{p}/exports")))
            {
                return json(*code, &json!({"message": format!("refused {code}")}));
            }
            return json(200, &created(&req.path, n));
        }
        let query = req.path.split_once('?').map_or("", |(_, q)| q);
        match lists.iter().find(|(q, _)| *q == query) {
            Some((_, list)) => json(200, list),
            None => json(200, &json!([])),
        }
    })
}

#[test]
fn reuse_takes_a_ready_or_processing_export_and_posts_nothing() {
    let router = create_server(
        vec![(
            "folder_id=F",
            json!([
                listed("old", Some("F"), "p1", "ready", "2024-05-01T00:00:00Z"),
                listed(
                    "busy",
                    Some("F"),
                    "p2",
                    "processing",
                    "2024-05-01T00:00:00Z"
                ),
                listed("bad", Some("F"), "p3", "error", "2024-05-09T00:00:00Z"),
                // Same project ID in another folder: not ours.
                listed("other", Some("G"), "p1", "ready", "2024-05-09T00:00:00Z"),
            ]),
        )],
        vec![],
    );
    let r = run(api(&router.base).args(["create", "F/p1", "F/p2", "--reuse", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(router.lines(), ["GET /v2/exports?folder_id=F"]);
    r.stderr_has(&[
        "klap-export: reusing F/p1/old (ready)\n",
        "klap-export: reusing F/p2/busy (processing)\n",
    ]);
    let out: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(out[0]["id"], "old");
    assert_eq!(out[0]["extra"], json!({"kept": true}), "printed verbatim");
    assert_eq!(out[1]["id"], "busy");
}

#[test]
fn reuse_posts_once_when_only_failed_exports_exist_and_lists_each_folder_once() {
    let router = create_server(
        vec![
            (
                "folder_id=F",
                json!([
                    listed("f1", Some("F"), "p1", "error", "2024-05-01T00:00:00Z"),
                    listed("f2", Some("F"), "p1", "cancelled", "2024-05-02T00:00:00Z"),
                    listed("ok", Some("F"), "p2", "ready", "2024-05-02T00:00:00Z"),
                ]),
            ),
            ("folder_id=G", json!([])),
            (
                "project_id=D",
                json!([listed("d1", None, "D", "ready", "2024-05-01T00:00:00Z")]),
            ),
        ],
        vec![],
    );
    let r = run(api(&router.base).args([
        "create", "F/p1", "G/q1", "F/p2", "D", "G/q2", "F/p3", "--reuse", "-q",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        router.lines(),
        [
            "GET /v2/exports?folder_id=F",
            "GET /v2/exports?folder_id=G",
            "GET /v2/exports?project_id=D",
            "POST /v2/projects/F/p1/exports",
            "POST /v2/projects/G/q1/exports",
            "POST /v2/projects/G/q2/exports",
            "POST /v2/projects/F/p3/exports",
        ]
    );
    let n = |p: &str| format!("/v2/projects/{p}/exports").len();
    assert_eq!(
        r.stdout,
        format!(
            "F/p1/new_p1_{}\nG/q1/new_q1_{}\nF/p2/ok\nD/d1\nG/q2/new_q2_{}\nF/p3/new_p3_{}\n",
            n("F/p1"),
            n("G/q1"),
            n("G/q2"),
            n("F/p3")
        )
    );
}

#[test]
fn reuse_takes_the_newest_by_instant_whatever_the_timestamp_form() {
    let router = create_server(
        vec![(
            "folder_id=F",
            json!([
                // As text "...20.5Z" sorts after "...20.55+00:00"; as instants it is older.
                listed("older", Some("F"), "p", "ready", "2023-12-08T05:03:20.5Z"),
                listed(
                    "newer",
                    Some("F"),
                    "p",
                    "ready",
                    "2023-12-08T05:03:20.55+00:00"
                ),
                listed("failed", Some("F"), "p", "error", "2023-12-08T06:00:00Z"),
                listed("odd", Some("F"), "p", "ready", "not a time"),
            ]),
        )],
        vec![],
    );
    let r = run(api(&router.base).args(["create", "F/p", "--reuse", "-q"]));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "F/p/newer\n"),
        "{}",
        r.stderr
    );
    assert_eq!(router.lines(), ["GET /v2/exports?folder_id=F"]);
}

#[test]
fn several_creates_post_once_each_in_order_and_a_failure_does_not_stop_the_rest() {
    let router = create_server(vec![], vec![("p2", 500)]);
    let r = run(api(&router.base).args(["create", "F/p1", "F/p2", "p3", "F/p4", "-q"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        router.lines(),
        [
            "POST /v2/projects/F/p1/exports",
            "POST /v2/projects/F/p2/exports",
            "POST /v2/projects/p3/exports",
            "POST /v2/projects/F/p4/exports",
        ],
        "each once, the 500 not retried"
    );
    r.stderr_has(&["klap-export: error: create F/p2: ", "500", "refused 500"]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    assert!(lines[0].starts_with("F/p1/new_p1_") && lines[1].starts_with("p3/new_p3_"));
}

#[test]
fn a_401_stops_the_creates_at_once() {
    let router = create_server(vec![], vec![("p2", 401)]);
    let r = run(api(&router.base).args(["create", "F/p1", "F/p2", "F/p3", "-q"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert_eq!(
        router.lines(),
        [
            "POST /v2/projects/F/p1/exports",
            "POST /v2/projects/F/p2/exports"
        ]
    );
    // What was created before is still said, so a re-run can pick it up.
    assert!(r.stdout.starts_with("F/p1/new_p1_"), "{}", r.stdout);
    r.stderr_has(&["401"]);
}

// ---- refs from stdin ----

/// Runs `args` with `input` on stdin.
fn with_stdin(router: &Script, args: &[&str], input: &str) -> crate::Run {
    run(api(&router.base).args(args).write_stdin(input.to_string()))
}

#[test]
fn refs_from_stdin_skip_comments_blanks_and_spaces() {
    let router = serve(
        vec![ex("F/p1/e1", 0, "ready"), ex("F/p2/e2", 0, "error")],
        Files::Fast,
    );
    let input = "# exports to check\n\n   F/p1/e1  \n\t\n  # F/p9/e9\nF/p2/e2\n";
    let r = with_stdin(&router, &["status", "-", "-q"], input);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "F/p1/e1\nF/p2/e2\n"),
        "{}",
        r.stderr
    );
    assert_eq!(
        router.lines(),
        [
            "GET /v2/projects/F/p1/exports/e1",
            "GET /v2/projects/F/p2/exports/e2"
        ]
    );
}

#[test]
fn a_bad_stdin_line_or_a_dash_among_refs_is_exit_2_and_empty_stdin_is_nothing_to_do() {
    let router = serve(vec![ex("F/p1/e1", 0, "ready")], Files::Fast);
    for (args, good, bad) in [
        (&["status", "-"][..], "F/p1/e1", "F/p 2/e2"),
        (&["wait", "-"], "F/p1/e1", "F/p 2/e2"),
        (&["download", "-"], "F/p1/e1", "F/p 2/e2"),
        (&["create", "-"], "F/p1", "F/p 2"),
    ] {
        let r = with_stdin(&router, args, &format!("# header\n{good}\n\n{bad}\n"));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        r.stderr_has(&[&format!("stdin line 4: '{bad}'")]);
        // Nothing to do, as `xargs -r`: exit 0, one line, nothing on stdout.
        for input in ["# nothing here\n\n  \n", ""] {
            let r = with_stdin(&router, args, input);
            assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
            assert_eq!(r.stderr, "klap-export: no refs on stdin: nothing to do\n");
            assert_eq!(r.stdout, "");
        }
        let mut mixed = args.to_vec();
        mixed.push(good);
        let r = with_stdin(&router, &mixed, &format!("{good}\n"));
        assert_eq!(r.code, 2, "{mixed:?}: {}", r.stderr);
        r.stderr_has(&["must be the only ref"]);
    }
    assert!(router.lines().is_empty(), "{:?}", router.lines());
}

// ---- --fail-fast, pipelined and bounded downloads ----

#[test]
fn fail_fast_stops_polling_at_the_first_failed_export() {
    let world = vec![ex("F/p1/e1", 1, "error"), ex("F/p2/e2", 1000, "ready")];
    let router = serve(world.clone(), Files::Fast);
    let started = std::time::Instant::now();
    let r = wait(&router, &["F/p1/e1", "F/p2/e2", "--fail-fast", "-q"]);
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(router.lines(), vec!["GET /v2/exports?folder_id=F"; 2]);
    r.stderr_has(&[
        "klap-export: error: export F/p1/e1 failed (error): render crashed\n",
        "klap-export: error: stopped at the first failed export (--fail-fast): still in progress: F/p2/e2\n",
        "hint: the export goes on on the server; pick up again with: klap-export wait F/p2/e2 --interval 100ms --timeout 10s --fail-fast\n",
    ]);
    assert_eq!(r.stdout, "", "-q prints the ready ones only");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(router.lines().len(), 2, "nothing after the end");

    // Without it the wait goes on (on e2's status route, alone now) until the deadline.
    let router = serve(world, Files::Fast);
    let r = run(api(&router.base).args([
        "wait",
        "F/p1/e1",
        "F/p2/e2",
        "--interval",
        "0.1",
        "--timeout",
        "0.6",
    ]));
    assert_eq!(r.code, 5, "failed wins over the deadline: {}", r.stderr);
    assert!(
        router.count("GET /v2/projects/F/p2/exports/e2") >= 2,
        "{:?}",
        router.lines()
    );
    r.stderr_has(&["gave up after 600ms: still in progress: F/p2/e2"]);
}

#[test]
fn a_ready_export_is_downloaded_while_another_is_still_polled() {
    let router = serve(
        vec![ex("F/p/first", 0, "ready"), ex("G/q/second", 4, "ready")],
        Files::Fast,
    );
    let dir = tempfile::tempdir().unwrap();
    let r = wait(
        &router,
        &[
            "F/p/first",
            "G/q/second",
            "--download",
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = router.lines();
    let file = lines
        .iter()
        .position(|l| l == "GET /files/first.mp4")
        .unwrap();
    let last_poll = lines
        .iter()
        .rposition(|l| l == "GET /v2/projects/G/q/exports/second")
        .unwrap();
    assert!(file < last_poll, "{lines:#?}");
    assert_eq!(router.count("GET /v2/projects/G/q/exports/second"), 5);
    assert_eq!(
        std::fs::read(dir.path().join("first.mp4")).unwrap(),
        mp4("first")
    );
    assert_eq!(
        std::fs::read(dir.path().join("second.mp4")).unwrap(),
        mp4("second")
    );
    r.stderr_has(&[
        "klap-export: F/p/first: saved ",
        "klap-export: G/q/second: saved ",
    ]);
    assert!(
        r.stderr.find("F/p/first: saved").unwrap() < r.stderr.find("G/q/second: ready").unwrap(),
        "{}",
        r.stderr
    );
    assert_eq!(
        r.stderr.lines().last().unwrap(),
        "klap-export: 2 ready, 0 failed, 0 in progress; 2 downloaded (39.10 KiB)"
    );
}

fn four_ready() -> Vec<Ex> {
    ["F/p1/e1", "F/p2/e2", "F/p3/e3", "F/p4/e4"]
        .iter()
        .map(|r| ex(r, 0, "ready"))
        .collect()
}

#[test]
fn jobs_bounds_the_downloads_open_at_once() {
    let refs = ["F/p1/e1", "F/p2/e2", "F/p3/e3", "F/p4/e4"];
    for (jobs, cmd) in [
        ("2", "download"),
        ("1", "download"),
        ("2", "wait"),
        ("1", "wait"),
    ] {
        let router = serve(four_ready(), Files::Slow(Duration::from_millis(300)));
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_str().unwrap();
        let mut c = api(&router.base);
        c.arg(cmd).args(refs).args(["--jobs", jobs]);
        if cmd == "wait" {
            c.args(["--download", d, "--interval", "0.1"]);
        } else {
            c.args(["-o", d]);
        }
        let r = run(&mut c);
        assert_eq!(r.code, 0, "{cmd} {jobs}: {}", r.stderr);
        assert_eq!(
            router.most_open("/files/").to_string(),
            jobs,
            "{cmd} --jobs {jobs}: {:#?}",
            router
                .hits()
                .iter()
                .map(|h| (h.line(), h.at, h.done))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            router
                .lines()
                .iter()
                .filter(|l| l.contains("/files/"))
                .count(),
            4
        );
        for r in refs {
            let id = r.rsplit('/').next().unwrap();
            assert_eq!(
                std::fs::read(dir.path().join(format!("{id}.mp4"))).unwrap(),
                mp4(id)
            );
        }
        if cmd == "download" {
            let paths: Vec<String> = ["e1", "e2", "e3", "e4"]
                .iter()
                .map(|id| format!("{}\n", dir.path().join(format!("{id}.mp4")).display()))
                .collect();
            assert_eq!(r.stdout, paths.concat(), "in the order given");
        }
    }
}

// ---- resume ----

#[derive(Clone, Copy, PartialEq)]
enum Again {
    /// 206 with the rest, from where the cut was.
    Rest,
    /// 200 with the whole file.
    Whole,
    /// 206 whose Content-Range starts at 0.
    WrongStart,
}

/// `p/e` is ready; its file's first request is cut half way, the next answered by `again`.
fn resume_server(again: Again) -> Script {
    Script::route(move |req, nth| {
        let host = req.header("host").unwrap_or_default().to_string();
        let data = mp4("e");
        let (total, half) = (data.len(), data.len() / 2);
        match (req.path.as_str(), nth) {
            ("/files/e.mp4", 0) => {
                let whole = raw(200, &[], &data);
                Step::Cut(whole.clone(), whole.len() - (total - half))
            }
            ("/files/e.mp4", _) => match again {
                Again::Whole => Step::Raw(raw(200, &[], &data)),
                Again::Rest => Step::Raw(raw(
                    206,
                    &[(
                        "Content-Range",
                        &format!("bytes {half}-{}/{total}", total - 1),
                    )],
                    &data[half..],
                )),
                Again::WrongStart => Step::Raw(raw(
                    206,
                    &[(
                        "Content-Range",
                        &format!("bytes 0-{}/{total}", total - half - 1),
                    )],
                    &data[half..],
                )),
            },
            _ => json(200, &object(&ex("p/e", 0, "ready"), "ready", &host)),
        }
    })
}

#[test]
fn a_cut_download_resumes_with_a_range_and_ends_with_the_exact_bytes() {
    let half = mp4("e").len() / 2;
    for again in [Again::Rest, Again::Whole] {
        let router = resume_server(again);
        let dir = tempfile::tempdir().unwrap();
        let r =
            run(api(&router.base).args(["download", "p/e", "-o", dir.path().to_str().unwrap()]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(std::fs::read(dir.path().join("e.mp4")).unwrap(), mp4("e"));
        assert_eq!(names(dir.path()), ["e.mp4"]);
        let files: Vec<_> = router
            .hits()
            .into_iter()
            .filter(|h| h.seen.path == "/files/e.mp4")
            .collect();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].seen.header("range"), None);
        assert_eq!(
            files[1].seen.header("range"),
            Some(format!("bytes={half}-").as_str())
        );
    }
}

#[test]
fn a_resume_answered_from_the_wrong_place_fails_and_leaves_nothing() {
    let router = resume_server(Again::WrongStart);
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&router.base).args(["download", "p/e", "-o", dir.path().to_str().unwrap()]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["range that does not fit"]);
    assert_eq!(router.count("GET /files/e.mp4"), 2, "not tried again");
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    assert_eq!(r.stdout, "");
}

#[test]
fn a_206_to_a_first_request_is_never_saved_as_the_whole_file() {
    // The file host answers a request that asked for no range with the file's tail.
    let router = Script::route(move |req, _| {
        let host = req.header("host").unwrap_or_default().to_string();
        let data = mp4("e");
        let (total, half) = (data.len(), data.len() / 2);
        match req.path.as_str() {
            "/files/e.mp4" => Step::Raw(raw(
                206,
                &[(
                    "Content-Range",
                    &format!("bytes {half}-{}/{total}", total - 1),
                )],
                &data[half..],
            )),
            _ => json(200, &object(&ex("p/e", 0, "ready"), "ready", &host)),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&router.base).args(["download", "p/e", "-o", dir.path().to_str().unwrap()]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["range that does not fit"]);
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
}

// ---- existing files: --skip-existing, --force, refused ----

#[test]
fn skip_existing_asks_nothing_for_a_file_that_is_there() {
    let router = serve(
        vec![ex("F/p1/e1", 0, "ready"), ex("F/p2/e2", 0, "ready")],
        Files::Fast,
    );
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    std::fs::write(dir.path().join("e1.mp4"), "mine").unwrap();
    let r =
        run(api(&router.base).args(["download", "F/p1/e1", "F/p2/e2", "-o", d, "--skip-existing"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        router.lines(),
        ["GET /v2/projects/F/p2/exports/e2", "GET /files/e2.mp4"],
        "no status and no file request for the one that is there"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("e1.mp4")).unwrap(),
        "mine"
    );
    assert_eq!(std::fs::read(dir.path().join("e2.mp4")).unwrap(), mp4("e2"));
    assert_eq!(
        r.stdout,
        format!("{d}/e1.mp4\n{d}/e2.mp4\n"),
        "both, in the order given"
    );
    r.stderr_has(&[&format!(
        "klap-export: F/p1/e1: kept {d}/e1.mp4 (--skip-existing)"
    )]);

    // wait --download polls both, fetches one, and says so in the summary.
    let router = serve(
        vec![ex("F/p1/e1", 1, "ready"), ex("F/p2/e2", 1, "ready")],
        Files::Fast,
    );
    std::fs::remove_file(dir.path().join("e2.mp4")).unwrap();
    let r = wait(
        &router,
        &["F/p1/e1", "F/p2/e2", "--download", d, "--skip-existing"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(router.count("GET /files/e1.mp4"), 0);
    assert_eq!(router.count("GET /files/e2.mp4"), 1);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("e1.mp4")).unwrap(),
        "mine"
    );
    assert_eq!(
        r.stderr.lines().last().unwrap(),
        "klap-export: 2 ready, 0 failed, 0 in progress; 1 downloaded (19.54 KiB), 1 kept"
    );
}

#[test]
fn an_existing_file_is_refused_before_anything_is_sent_and_force_replaces_it() {
    let router = serve(vec![ex("F/p/e", 0, "ready")], Files::Fast);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("e.mp4");
    let f = file.to_str().unwrap();
    std::fs::write(&file, "mine").unwrap();
    for args in [
        &["download", "F/p/e", "-o", f][..],
        &["download", "F/p/e", "-o", dir.path().to_str().unwrap()],
        &["wait", "F/p/e", "--download", f],
        &["create", "F/p", "--download", f],
    ] {
        let r = run(api(&router.base).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        r.stderr_has(&[&format!("{f} already exists"), "hint: use --force"]);
    }
    assert!(router.lines().is_empty(), "{:?}", router.lines());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");

    let r = run(api(&router.base).args(["download", "F/p/e", "-o", f, "--force"]));
    assert_eq!((r.code, r.stdout.trim()), (0, f), "{}", r.stderr);
    assert_eq!(std::fs::read(&file).unwrap(), mp4("e"));
    assert_eq!(names(dir.path()), ["e.mp4"]);
}

// ---- the batch exit rule and the summary ----

#[test]
fn the_batch_exit_code_is_the_first_of_4_3_1_5_6() {
    let world = || {
        vec![
            ex("F/p1/ok", 0, "ready"),
            ex("F/p2/bad", 1, "error"),
            ex("F/p3/slow", 1000, "ready"),
            ex("F/p4/nofile", 0, "ready"),
            ex("G/q/deny", 0, "ready"),
        ]
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    for (refs, code, summary) in [
        (
            &["F/p2/bad", "F/p9/gone"][..],
            3,
            "0 ready, 1 failed, 0 in progress, 1 not found",
        ),
        (
            &["F/p4/nofile", "F/p2/bad"],
            1,
            "1 ready, 1 failed, 0 in progress; 0 downloaded (0 B)",
        ),
        (
            &["F/p2/bad", "F/p3/slow"],
            5,
            "0 ready, 1 failed, 1 in progress",
        ),
        (
            &["F/p1/ok", "F/p3/slow"],
            6,
            "1 ready, 0 failed, 1 in progress",
        ),
        (
            &["F/p1/ok", "F/p2/bad"],
            5,
            "1 ready, 1 failed, 0 in progress",
        ),
        (&["F/p9/gone", "G/q/deny"], 4, ""),
    ] {
        let router = serve(world(), Files::Fast);
        let mut args = vec!["wait", "--interval", "0.1", "--timeout", "0.5"];
        args.extend(refs);
        if refs.contains(&"F/p4/nofile") {
            args.extend(["--download", d]);
        }
        let r = run(api(&router.base).args(&args));
        assert_eq!(r.code, code, "{refs:?}: {}", r.stderr);
        if summary.is_empty() {
            assert!(!r.stderr.contains(" ready, "), "{}", r.stderr);
        } else {
            assert_eq!(
                r.stderr.lines().last().unwrap(),
                format!("klap-export: {summary}"),
                "{refs:?}"
            );
        }
    }
    assert!(names(dir.path()).is_empty());
}

#[test]
fn download_of_several_tries_each_and_follows_the_batch_rule() {
    let router = serve(
        vec![
            ex("F/p1/ok", 0, "ready"),
            ex("F/p2/bad", 0, "error"),
            ex("F/p3/busy", 1000, "ready"),
            ex("F/p4/nofile", 0, "ready"),
        ],
        Files::Fast,
    );
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let r = run(api(&router.base).args(["download", "F/p2/bad", "F/p1/ok", "-o", d]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert_eq!(r.stdout, format!("{d}/ok.mp4\n"));
    let r = run(api(&router.base).args([
        "download",
        "F/p3/busy",
        "F/p2/bad",
        "F/p9/gone",
        "F/p1/ok",
        "-o",
        d,
        "--force",
    ]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    r.stderr_has(&[
        "export F/p3/busy is not ready yet",
        "export F/p2/bad failed",
        "not found",
    ]);
    let r = run(api(&router.base).args(["download", "F/p4/nofile", "F/p2/bad", "-o", d]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(names(dir.path()), ["ok.mp4"]);
}

// ---- Ctrl-C ----

#[test]
fn ctrl_c_during_a_batch_download_removes_every_partial_file() {
    let refs = ["F/p1/e1", "F/p2/e2", "F/p3/e3", "F/p4/e4"];
    for cmd in ["download", "wait"] {
        let router = serve(four_ready(), Files::Slow(Duration::from_secs(20)));
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_str().unwrap();
        let mut child = crate::process_api(&router.base)
            .arg(cmd)
            .args(refs)
            .args(if cmd == "wait" {
                ["--download", d]
            } else {
                ["-o", d]
            })
            .args(["--jobs", "3"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let parts = || crate::part_files(dir.path()).len();
        crate::poll_until(|| parts() >= 3 && router.count("GET /files/e3.mp4") > 0);
        assert_eq!(parts(), 3, "{cmd}: three downloads in flight");
        crate::signal(&child, "INT");
        assert_eq!(child.wait().unwrap().code(), Some(130), "{cmd}");
        assert!(
            names(dir.path()).is_empty(),
            "{cmd}: {:?}",
            names(dir.path())
        );
    }
}

// ---- projects ----

/// Projects as a server might send them (compact, so each element's text is known):
/// scores of both scales, null and missing ones, ties, unknown fields, a huge number.
const PROJECTS: [&str; 7] = [
    r#"{"id":"a","name":"A","virality_score":0.5,"created_at":"2024-05-06T09:01:00Z","big":12345678901234567890123,"x":{"y":[1e400]}}"#,
    r#"{"id":"b","name":"B\twith a tab","virality_score":null,"created_at":"2024-05-06T09:02:00Z"}"#,
    r#"{"id":"c","name":"C","virality_score":85,"created_at":"2024-05-06T09:03:00Z"}"#,
    r#"{"id":"d","name":"D","created_at":"2024-05-06T09:04:00Z"}"#,
    r#"{"id":"e","name":"E","virality_score":0.5,"created_at":"2024-05-06T09:05:00Z"}"#,
    r#"{"id":"f","name":"F","virality_score":0.9,"created_at":"2024-05-06T09:06:00Z"}"#,
    r#"{"id":"g","name":"G","virality_score":0.1}"#,
];

fn projects_server() -> Script {
    Script::route(|req, _| {
        let body = match req.path.as_str() {
            "/v2/projects/F" => format!("[{}]", PROJECTS.join(",")),
            "/v2/projects/empty" => "[]".to_string(),
            _ => return json(404, &json!({"message": "no folder"})),
        };
        Step::Raw(raw(
            200,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        ))
    })
}

fn projects(router: &Script, args: &[&str]) -> String {
    let r = run(api(&router.base).arg("projects").args(args));
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    assert_eq!(r.stderr, "", "{args:?}");
    r.stdout
}

#[test]
fn projects_are_best_first_with_unknown_scores_last_and_ties_in_api_order() {
    let router = projects_server();
    // Best first: 85 (old 0..100 scale, never rescaled), 0.9, the 0.5 tie as sent,
    // 0.1, then null and missing in the API's order.
    assert_eq!(
        projects(&router, &["F", "-q"]),
        "F/c\nF/f\nF/a\nF/e\nF/g\nF/b\nF/d\n"
    );
    assert_eq!(projects(&router, &["F", "-q", "--top", "2"]), "F/c\nF/f\n");
    assert_eq!(
        projects(&router, &["F", "-q", "--min-virality", "0.5"]),
        "F/c\nF/f\nF/a\nF/e\n"
    );
    assert_eq!(
        projects(&router, &["F", "-q", "--min-virality", "0.6", "--top", "3"]),
        "F/c\nF/f\n"
    );
    assert_eq!(
        projects(&router, &["F", "--format", "tsv", "--top", "3"]),
        "F/c\tC\t85\t2024-05-06T09:03:00Z\nF/f\tF\t0.9\t2024-05-06T09:06:00Z\nF/a\tA\t0.5\t2024-05-06T09:01:00Z\n"
    );
    assert_eq!(
        projects(
            &router,
            &["F", "--format", "tsv", "--min-virality", "0", "--top", "9"]
        )
        .lines()
        .last()
        .unwrap(),
        "F/g\tG\t0.1\t"
    );
    let tsv = projects(&router, &["F", "--format", "tsv"]);
    assert!(
        tsv.ends_with(
            "F/b\tB with a tab\t\t2024-05-06T09:02:00Z\nF/d\tD\t\t2024-05-06T09:04:00Z\n"
        ),
        "{tsv}"
    );
    // ndjson: each object exactly as sent.
    let order = [2, 5, 0, 4, 6, 1, 3];
    let expected: String = order
        .iter()
        .map(|&i| format!("{}\n", PROJECTS[i]))
        .collect();
    assert_eq!(projects(&router, &["F", "--format", "ndjson"]), expected);
    // json: the same objects re-indented; numbers and unknown fields untouched.
    let pretty = projects(&router, &["F", "--json", "--top", "1"]);
    assert_eq!(
        pretty,
        "[\n  {\n    \"id\": \"c\",\n    \"name\": \"C\",\n    \"virality_score\": 85,\n    \"created_at\": \"2024-05-06T09:03:00Z\"\n  }\n]\n"
    );
    let all = projects(&router, &["F", "--json"]);
    assert!(
        all.contains("\"big\": 12345678901234567890123") && all.contains("1e400"),
        "{all}"
    );
    let table = projects(&router, &["F", "--top", "2"]);
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows[0], ["ID", "NAME", "VIRALITY", "CREATED"]);
    assert_eq!(rows[1], ["c", "C", "85", "2024-05-06T09:03:00Z"]);
    assert_eq!(rows.len(), 3);
    assert!(router.lines().iter().all(|l| l == "GET /v2/projects/F"));
}

#[test]
fn an_empty_folder_prints_nothing_or_an_empty_array() {
    let router = projects_server();
    for args in [
        &["empty"][..],
        &["empty", "-q"],
        &["empty", "--format", "tsv"],
        &["empty", "--format", "ndjson"],
    ] {
        assert_eq!(projects(&router, args), "", "{args:?}");
    }
    assert_eq!(projects(&router, &["empty", "--json"]), "[]\n");
    let r = run(api(&router.base).args(["projects", "nope"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
}

// ---- status with several refs ----

#[test]
fn status_prints_what_it_finds_and_reports_the_rest() {
    let router = serve(vec![ex("F/p/good", 0, "ready")], Files::Fast);
    let r = run(api(&router.base).args(["status", "F/p/good", "F/p/bad", "-q"]));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (3, "F/p/good\n"),
        "{}",
        r.stderr
    );
    r.stderr_has(&["404", "export not found"]);
    assert_eq!(
        router.lines(),
        [
            "GET /v2/projects/F/p/exports/good",
            "GET /v2/projects/F/p/exports/bad"
        ]
    );

    // PROJECT/EXPORT for an export that lives in a folder: 404, and the hint says its ref.
    let r = run(api(&router.base).args(["status", "p/good"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    r.stderr_has(&["hint: the export is in a folder: use its full ref F/p/good\n"]);
    assert_eq!(r.stdout, "");
}

// ---- the README pipeline, end to end ----

#[test]
fn the_readme_pipeline_runs_between_two_processes_and_again_without_duplicates() {
    let sandbox = crate::sandbox::Sandbox::start(&["--ready-after", "0.3s", "-v"]);
    let bin = assert_cmd::cargo::cargo_bin("klap-export");
    let dir = tempfile::tempdir().unwrap();
    let pipeline = |extra: &str| {
        let line = format!(
            "{bin} projects demo -q --top 3 | {bin} create - --reuse --download clips/ --interval 0.1 {extra}",
            bin = bin.display()
        );
        // Two processes joined by a pipe, with the environment `process()` would give.
        let mut sh = std::process::Command::new("sh");
        let clean = crate::process();
        sh.env_clear()
            .envs(clean.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("KLAP_BASE_URL", &sandbox.url)
            .env("KLAP_API_KEY", crate::KEY)
            .args(["-c", &line])
            .current_dir(dir.path());
        sh.output().unwrap()
    };
    std::fs::create_dir(dir.path().join("clips")).unwrap();
    let first = pipeline("");
    let err = String::from_utf8_lossy(&first.stderr).into_owned();
    assert_eq!(first.status.code(), Some(0), "{err}");
    let clips = names(&dir.path().join("clips"));
    assert_eq!(clips.len(), 3, "{clips:?}");
    for clip in &clips {
        assert_eq!(
            std::fs::read(dir.path().join("clips").join(clip)).unwrap(),
            crate::sandbox::MP4
        );
    }
    assert!(
        err.ends_with("klap-export: 3 ready, 0 failed, 0 in progress; 3 downloaded (5.27 KiB)\n"),
        "{err}"
    );

    let again = pipeline("--skip-existing");
    let err = String::from_utf8_lossy(&again.stderr).into_owned();
    assert_eq!(again.status.code(), Some(0), "{err}");
    assert_eq!(
        err.matches("klap-export: reusing demo/demo_p").count(),
        3,
        "{err}"
    );
    assert!(err.ends_with("; 0 downloaded (0 B), 3 kept\n"), "{err}");
    assert_eq!(names(&dir.path().join("clips")), clips);

    let log = sandbox.stop();
    assert_eq!(log.matches("POST /v2/projects/demo/").count(), 3, "{log}");
    assert_eq!(log.matches("GET /files/").count(), 3, "{log}");
    assert_eq!(log.matches("GET /v2/projects/demo ").count(), 2, "{log}");
}

#[test]
fn a_project_id_that_fails_the_id_rule_never_becomes_a_ref() {
    let router = Script::route(|_, _| {
        json(
            200,
            &json!([
                {"id": "ok", "virality_score": 0.9},
                {"id": "x --base-url=https://evil.example/v2 f", "virality_score": 0.8},
                {"id": "..", "virality_score": 0.7},
                {"name": "no id", "virality_score": 0.6},
            ]),
        )
    });
    let r = run(api(&router.base).args(["projects", "F", "-q"]));
    assert_eq!((r.code, r.stdout.as_str()), (1, "F/ok\n"), "{}", r.stderr);
    assert_eq!(
        r.stderr.matches("has no usable id").count(),
        3,
        "{}",
        r.stderr
    );
    let r = run(api(&router.base).args(["projects", "F", "--format", "tsv"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let refs: Vec<&str> = r
        .stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(refs, ["F/ok", "", "", ""]);
}

#[test]
fn a_bad_src_url_fails_that_download_and_the_rest_go_on() {
    let router = Script::route(|req, _| {
        let host = req.header("host").unwrap_or_default().to_string();
        match req.path.as_str() {
            "/files/good.mp4" => Step::Raw(raw(200, &[], &mp4("good"))),
            "/v2/exports?folder_id=F" => {
                let mut bad = object(&ex("F/p1/bad", 0, "ready"), "ready", &host);
                bad["src_url"] = json!("file:///etc/passwd");
                json(
                    200,
                    &json!([bad, object(&ex("F/p2/good", 0, "ready"), "ready", &host)]),
                )
            }
            _ => json(404, &json!({"message": "no"})),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let r = wait(
        &router,
        &[
            "F/p1/bad",
            "F/p2/good",
            "--download",
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&[
        "F/p1/bad: unexpected response: src_url is not an http(s) URL: file:///etc/passwd",
    ]);
    assert_eq!(names(dir.path()), ["good.mp4"]);
    assert_eq!(
        r.stderr.lines().last().unwrap(),
        "klap-export: 2 ready, 0 failed, 0 in progress; 1 downloaded (19.55 KiB)"
    );
    assert_eq!(
        router.lines(),
        ["GET /v2/exports?folder_id=F", "GET /files/good.mp4"]
    );
}

#[test]
fn an_export_or_project_given_twice_is_fetched_or_created_once() {
    let router = serve(vec![ex("F/p/e", 0, "ready")], Files::Fast);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let r = wait(&router, &["F/p/e", "F/p/e", "--download", d]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(router.count("GET /files/e.mp4"), 1);
    let r = run(api(&router.base).args(["download", "F/p/e", "F/p/e", "-o", d, "--force"]));
    assert_eq!(
        (r.code, r.stdout.clone()),
        (0, format!("{d}/e.mp4\n")),
        "{}",
        r.stderr
    );
    assert_eq!(router.count("GET /files/e.mp4"), 2);
    assert_eq!(std::fs::read(dir.path().join("e.mp4")).unwrap(), mp4("e"));
    assert_eq!(names(dir.path()), ["e.mp4"]);

    let router = create_server(vec![], vec![]);
    let r = run(api(&router.base).args(["create", "F/p", "G/q", "F/p", "--reuse", "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        router.lines(),
        [
            "GET /v2/exports?folder_id=F",
            "GET /v2/exports?folder_id=G",
            "POST /v2/projects/F/p/exports",
            "POST /v2/projects/G/q/exports",
        ]
    );
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!((lines.len(), lines[0]), (3, lines[2]), "{}", r.stdout);
    r.stderr_has(&[&format!(
        "klap-export: reusing {} (created just now)",
        lines[0]
    )]);
}

#[test]
fn a_terminal_shows_one_line_per_export_from_spinner_to_byte_bar_to_saved_path() {
    let router = serve(
        vec![ex("F/p1/e1", 1, "ready"), ex("F/p2/e2", 2, "ready")],
        Files::Slow(Duration::from_millis(400)),
    );
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let screen = crate::in_terminal(
        &router.base,
        &format!("wait F/p1/e1 F/p2/e2 --download {d} --interval 0.1"),
    );
    for part in [
        "F/p1/e1 processing",
        "/19.54 KiB",
        &format!("F/p1/e1 saved {d}/e1.mp4 (19.54 KiB, "),
        &format!("F/p2/e2 saved {d}/e2.mp4 (19.54 KiB, "),
        "klap-export: 2 ready, 0 failed, 0 in progress; 2 downloaded (39.09 KiB)",
    ] {
        assert!(screen.contains(part), "{part:?} not on screen:\n{screen}");
    }
    assert_eq!(names(dir.path()), ["e1.mp4", "e2.mp4"]);
}
