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
    let r = run(bin().args([
        "sandbox",
        "--listen",
        "127.0.0.1:0",
        "--seed",
        "99999999999",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stdout, "", "nothing served");
    assert!(r.stderr.contains("--seed"), "{}", r.stderr);

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
fn wildcard_and_localhost_listen_announce_a_loopback_url() {
    for listen in ["0.0.0.0:0", "localhost:0"] {
        // start_on checks the announced URL is http://127.0.0.1:PORT/v2.
        let sb = Sandbox::start_on(listen, &[]);
        let r = run(sb.cmd().args(["list", "--json"]));
        assert_eq!((r.code, r.stdout.as_str()), (0, "[]\n"), "{}", r.stderr);
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
