//! The sandbox server over HTTP: projects, ranges, slow and cut files, limits.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use reqwest::blocking::Response;
use serde_json::{Value, json};

use crate::sandbox::{MP4, Sandbox};
use crate::{KEY, bin, run};

fn get(url: &str) -> Response {
    crate::http()
        .get(url)
        .header("Authorization", format!("Bearer {KEY}"))
        .send()
        .unwrap()
}

fn get_range(url: &str, range: &str) -> Response {
    crate::http()
        .get(url)
        .header("Range", range)
        .send()
        .unwrap()
}

/// Creates an export of `project` and returns its file's URL.
fn file_of(sb: &Sandbox, project: &str) -> String {
    let created: Value = crate::http()
        .post(format!("{}/projects/{project}/exports", sb.url))
        .header("Authorization", "Bearer k")
        .send()
        .unwrap()
        .text()
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    format!(
        "{}/files/{}.mp4",
        sb.origin(),
        created["id"].as_str().unwrap()
    )
}

fn json_of<T: serde::de::DeserializeOwned>(resp: Response) -> T {
    serde_json::from_str(&resp.text().unwrap()).unwrap()
}

fn header(resp: &Response, name: &str) -> String {
    resp.headers()[name].to_str().unwrap().to_string()
}

#[test]
fn projects_of_a_folder_with_scores_null_and_missing() {
    let sb = Sandbox::start(&[]);
    let resp = get(&format!("{}/projects/demo", sb.url));
    assert_eq!(resp.status(), 200);
    let list: Vec<Value> = json_of(resp);
    let ids: Vec<&str> = list.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "demo_p1", "demo_p2", "demo_p3", "demo_p4", "demo_p5", "demo_p6"
        ]
    );
    for p in &list {
        assert_eq!(p["folder_id"], "demo");
        assert_eq!(p["author_id"], "sandbox_user");
        assert!(!p["name"].as_str().unwrap().is_empty());
        assert!(p["created_at"].as_str().unwrap().ends_with('Z'));
        assert!(p["duration"].as_f64().unwrap() > 0.0);
    }
    for i in [0, 1, 2, 4] {
        let score = list[i]["virality_score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score), "{score}");
        assert!(list[i]["virality_score_explanation"].is_string());
    }
    assert_eq!(list[3]["virality_score"], Value::Null, "present, null");
    assert!(list[5].get("virality_score").is_none(), "missing entirely");

    // One project; the same folder gives the same projects in another sandbox.
    let one: Value = json_of(get(&format!("{}/projects/demo/demo_p2", sb.url)));
    assert_eq!(one, list[1]);
    assert_eq!(
        get(&format!("{}/projects/demo/other", sb.url)).status(),
        404
    );
    let other = Sandbox::start(&[]);
    let again: Vec<Value> = json_of(get(&format!("{}/projects/demo", other.url)));
    assert_eq!(again, list);

    let empty = get(&format!("{}/projects/empty-folder", sb.url));
    assert_eq!(empty.status(), 200);
    assert_eq!(empty.text().unwrap(), "[]");
    let no_key = crate::http()
        .get(format!("{}/projects/demo", sb.url))
        .send()
        .unwrap();
    assert_eq!(no_key.status(), 401);
}

#[test]
fn files_honour_byte_ranges() {
    let sb = Sandbox::start(&[]);
    let url = file_of(&sb, "clip");
    let total = MP4.len();

    let resp = get_range(&url, "bytes=100-");
    assert_eq!(resp.status(), 206);
    assert_eq!(
        header(&resp, "content-range"),
        format!("bytes 100-{}/{total}", total - 1)
    );
    assert_eq!(resp.bytes().unwrap(), &MP4[100..]);

    let resp = get_range(&url, "bytes=10-19");
    assert_eq!(resp.status(), 206);
    assert_eq!(
        header(&resp, "content-range"),
        format!("bytes 10-19/{total}")
    );
    assert_eq!(resp.bytes().unwrap(), &MP4[10..20]);

    let resp = get_range(&url, &format!("bytes={total}-"));
    assert_eq!(resp.status(), 416);
    assert_eq!(header(&resp, "content-range"), format!("bytes */{total}"));

    // A range it does not serve is ignored: the whole file.
    let resp = get_range(&url, "bytes=-5");
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.bytes().unwrap(), MP4);

    let missing = format!("{}/files/exp_nope.mp4", sb.origin());
    assert_eq!(get_range(&missing, "bytes=0-").status(), 404);
}

/// The raw answer to a GET, read until the server closes the connection.
fn raw_get(url: &str) -> (String, Vec<u8>) {
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut s = TcpStream::connect(host).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).unwrap();
    let split = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(all[..split].to_vec()).unwrap();
    (head, all[split + 4..].to_vec())
}

#[test]
fn cut_files_stop_half_way_once_then_serve_whole() {
    let sb = Sandbox::start(&[]);
    let url = file_of(&sb, "cut-clip");
    let (head, body) = raw_get(&url);
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    assert!(
        head.contains(&format!("Content-Length: {}\r\n", MP4.len())),
        "promises the whole file: {head}"
    );
    assert_eq!(body, &MP4[..MP4.len() / 2]);

    // The rest can be asked for, and later downloads are whole.
    let resp = get_range(&url, &format!("bytes={}-", body.len()));
    assert_eq!(resp.status(), 206);
    assert_eq!(resp.bytes().unwrap(), &MP4[body.len()..]);
    let (_, body) = raw_get(&url);
    assert_eq!(body, MP4);

    // Only cut... projects are cut.
    let (_, body) = raw_get(&file_of(&sb, "clip"));
    assert_eq!(body, MP4);
}

#[test]
fn slow_files_take_about_a_second() {
    let sb = Sandbox::start(&[]);
    let url = file_of(&sb, "slow-clip");
    let started = Instant::now();
    let (_, body) = raw_get(&url);
    assert_eq!(body, MP4);
    assert!(started.elapsed() >= Duration::from_millis(800));
}

#[test]
fn export_ids_differ_between_sandboxes() {
    let ids: Vec<String> = (0..2)
        .map(|_| {
            let sb = Sandbox::start(&[]);
            let url = file_of(&sb, "clip");
            url.rsplit('/').next().unwrap().to_string()
        })
        .collect();
    assert_ne!(ids[0], ids[1]);
    for id in &ids {
        assert!(id.starts_with("exp_") && id.len() <= 128, "{id}");
    }
}

#[test]
fn seed_and_listen_are_checked_as_usage() {
    // At most 500,000: a larger list would not fit the client's body cap.
    for seed in ["500001", "99999999999"] {
        // A timeout: a sandbox that takes the value serves until killed.
        let r = run(bin()
            .args(["sandbox", "--listen", "127.0.0.1:0", "--seed", seed])
            .timeout(Duration::from_secs(10)));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(r.stdout, "", "nothing served");
        r.stderr_has(&["--seed", "at most 500000"]);
    }

    for bogus in ["bogus", "127.0.0.1", "localhost:http", "127.0.0.1:99999"] {
        let r = run(bin().args(["sandbox", "--listen", bogus]));
        assert_eq!(r.code, 2, "{bogus}: {}", r.stderr);
        assert_eq!(r.stdout, "");
        assert!(r.stderr.contains("--listen"), "{}", r.stderr);
    }
}

#[test]
fn a_busy_port_is_an_error_with_a_hint() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let r = run(bin().args(["sandbox", "--listen", &addr]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert!(
        lines[0].starts_with(&format!("klap-export: error: cannot listen on {addr}: ")),
        "{}",
        r.stderr
    );
    assert!(
        lines[1].starts_with("hint: ") && lines[1].contains("--listen 127.0.0.1:0"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_wildcard_listen_says_where_it_listens_and_warns() {
    let sb = Sandbox::start_on("0.0.0.0:0", &[]);
    let port = sb
        .url
        .trim_end_matches("/v2")
        .rsplit(':')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        sb.listening,
        format!("klap-export sandbox listening on http://0.0.0.0:{port}/v2")
    );
    // The URL to use here is loopback: the client sends its key over plain http only there.
    let r = run(sb.cmd().args(["list", "--json"]));
    assert_eq!((r.code, r.stdout.as_str()), (0, "[]\n"), "{}", r.stderr);
    let err = sb.stop();
    assert_eq!(
        err.trim_end(),
        format!(
            "klap-export: warning: 0.0.0.0:{port} is not a loopback address: \
             anyone who can reach it is served, with any key"
        )
    );

    for listen in ["localhost:0", "127.0.0.1:0"] {
        let sb = Sandbox::start_on(listen, &[]);
        assert_eq!(
            sb.listening,
            format!("klap-export sandbox listening on {}", sb.url)
        );
        assert_eq!(sb.stop(), "", "{listen}: loopback, no warning");
    }
}

#[test]
fn verbose_logs_each_request_without_the_key() {
    let sb = Sandbox::start(&["-v"]);
    assert_eq!(get(&format!("{}/exports", sb.url)).status(), 200);
    let no_key = crate::http()
        .get(format!("{}/exports?project_id=p", sb.url))
        .send()
        .unwrap();
    assert_eq!(no_key.status(), 401);
    assert_eq!(get_range(&file_of(&sb, "clip"), "bytes=1-").status(), 206);
    let log = sb.stop();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 4, "{log}");
    assert_eq!(lines[0], "GET /v2/exports -> 200");
    assert_eq!(lines[1], "GET /v2/exports?project_id=p -> 401");
    assert_eq!(lines[2], "POST /v2/projects/clip/exports -> 200");
    assert!(
        lines[3].starts_with("GET /files/exp_") && lines[3].ends_with(".mp4 -> 206"),
        "{log}"
    );
    assert!(!log.contains(KEY) && !log.contains("Bearer"));
}

#[test]
fn many_connections_at_once_are_all_answered() {
    let sb = Sandbox::start(&[]);
    let host = sb.origin().trim_start_matches("http://").to_string();
    let barrier = std::sync::Barrier::new(200);
    let statuses: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..200)
            .map(|_| {
                scope.spawn(|| {
                    barrier.wait();
                    let mut s = TcpStream::connect(&host).unwrap();
                    write!(
                        s,
                        "GET /v2/exports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\r\n"
                    )
                    .unwrap();
                    let mut answer = String::new();
                    s.read_to_string(&mut answer).unwrap();
                    answer.lines().next().unwrap_or_default().to_string()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(
        statuses.iter().all(|s| s == "HTTP/1.1 200 OK"),
        "{statuses:?}"
    );
    // And it still serves afterwards.
    let r = run(sb.cmd().args(["create", "p", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["status"], json!("processing"));
}

fn post_json(url: &str, body: &Value) -> Response {
    crate::http()
        .post(url)
        .header("Authorization", format!("Bearer {KEY}"))
        .body(body.to_string())
        .send()
        .unwrap()
}

/// Polls `GET url` until `done` holds of its JSON (a deadline of 10 s).
fn poll(url: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v: Value = json_of(get(url));
        if done(&v) {
            return v;
        }
        assert!(Instant::now() < deadline, "{url} stayed {v}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn tasks_make_folders_and_projects_the_cli_exports() {
    let sb = Sandbox::start(&["--ready-after", "0.2s"]);
    let created = post_json(
        &format!("{}/tasks/video-to-shorts", sb.url),
        &json!({"source_video_url": "https://example.com/talk.mp4", "max_clip_count": 3}),
    );
    assert_eq!(created.status(), 200);
    let task: Value = json_of(created);
    assert_eq!(
        (&task["status"], &task["output_type"], &task["output_id"]),
        (&json!("processing"), &json!("folder"), &Value::Null)
    );
    let id = task["id"].as_str().unwrap();
    let ready = poll(&format!("{}/tasks/{id}", sb.url), |t| {
        t["status"] == "ready"
    });
    let folder = ready["output_id"].as_str().unwrap();
    // The real service's folder is empty for a while after its task is ready.
    let listing = get(&format!("{}/projects/{folder}", sb.url));
    assert_eq!(listing.text().unwrap(), "[]");
    poll(&format!("{}/projects/{folder}", sb.url), |l| {
        l != &json!([])
    });

    // The CLI ranks and exports them like any folder's.
    let top = run(sb.cmd().args(["projects", folder, "-q", "--top", "2"]));
    assert_eq!(top.code, 0, "{}", top.stderr);
    let refs: Vec<&str> = top.stdout.lines().collect();
    assert_eq!(refs.len(), 2, "{}", top.stdout);
    assert!(
        refs.iter()
            .all(|r| r.starts_with(&format!("{folder}/{folder}_p")))
    );
    let r = run(sb.cmd().args(["create", refs[0], "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with(&format!("{}/exp_", refs[0])),
        "{}",
        r.stdout
    );

    // Video to video: one project with no folder, exported on the direct routes.
    let task: Value = json_of(post_json(
        &format!("{}/tasks/video-to-video", sb.url),
        &json!({"source_video_url": "https://example.com/talk.mp4", "language": "en"}),
    ));
    assert_eq!(task["output_type"], "project");
    let id = task["id"].as_str().unwrap();
    let ready = poll(&format!("{}/tasks/{id}", sb.url), |t| {
        t["status"] == "ready"
    });
    let project = ready["output_id"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let r = run(sb
        .cmd()
        .args(["create", project, "--download"])
        .arg(dir.path())
        .args(["--interval", "0.1", "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let export = r.stdout.lines().next().unwrap().rsplit('/').next().unwrap();
    assert_eq!(
        std::fs::read(dir.path().join(format!("{export}.mp4"))).unwrap(),
        MP4
    );

    // A fail URL ends in error; an unknown task and a bad body are refused.
    let task: Value = json_of(post_json(
        &format!("{}/tasks/video-to-shorts", sb.url),
        &json!({"source_video_url": "https://example.com/fail.mp4"}),
    ));
    let failed = poll(
        &format!("{}/tasks/{}", sb.url, task["id"].as_str().unwrap()),
        |t| t["status"] != "processing",
    );
    assert_eq!(failed["status"], "error");
    assert!(failed["error"].is_string(), "{failed}");
    assert_eq!(get(&format!("{}/tasks/task_none", sb.url)).status(), 404);
    let bad = post_json(
        &format!("{}/tasks/video-to-shorts", sb.url),
        &json!({"source_video_url": "not a url"}),
    );
    assert_eq!(bad.status(), 400);
}

#[test]
fn idle_and_slow_clients_do_not_delay_others() {
    let sb = Sandbox::start(&[]);
    let host = sb.origin().trim_start_matches("http://").to_string();
    // 64 connections that send nothing, and 32 that have sent one byte of their head
    // (the next would come in 7 s): more than any fixed set of workers.
    let mut idle: Vec<TcpStream> = (0..96)
        .map(|_| TcpStream::connect(&host).unwrap())
        .collect();
    for s in &mut idle[64..] {
        s.write_all(b"G").unwrap();
    }
    std::thread::sleep(Duration::from_millis(100));
    let _ = crate::http();
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(8))
        .build()
        .unwrap();
    for _ in 0..3 {
        let started = Instant::now();
        let resp = client
            .get(format!("{}/exports", sb.url))
            .header("Authorization", "Bearer k")
            .send()
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.text().unwrap(), "[]");
        let took = started.elapsed();
        assert!(took < Duration::from_secs(1), "{took:?}");
    }
    drop(idle);
}
