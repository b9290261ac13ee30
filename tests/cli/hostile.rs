//! Hostile surroundings: proxies that would see the key, odd base URLs, network failures,
//! a closed stderr, termination signals.

use httpmock::Method::GET;
use httpmock::MockServer;

use crate::script::Recorder;
use crate::{KEY, api, export, run};

const PROXY_VARS: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// `cmd` with every proxy variable pointing at `proxy` and no `NO_PROXY` to hide behind.
fn via_proxy(mut cmd: assert_cmd::Command, proxy: &str) -> assert_cmd::Command {
    for name in PROXY_VARS {
        cmd.env(name, proxy);
    }
    cmd.env_remove("NO_PROXY").env_remove("no_proxy");
    cmd
}

#[test]
fn a_loopback_base_url_never_goes_through_a_proxy() {
    let proxy = Recorder::start(b"HTTP/1.1 502 X\r\nContent-Length: 0\r\n\r\n");
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET)
            .path("/v2/projects/p/exports/e")
            .header("authorization", format!("Bearer {KEY}"));
        then.status(200)
            .json_body(export("e", "processing", None, "p", "2023-10-02T09:00:00Z"));
    });
    let r = run(via_proxy(api(&server.base_url()), &proxy.url).args([
        "status",
        "p/e",
        "-q",
        "--retries",
        "0",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "p/e\n");
    mock.assert();
    assert_eq!(proxy.received(), "");
}

#[test]
fn an_https_base_url_is_tunnelled_and_the_proxy_never_sees_the_key() {
    let proxy = Recorder::start(b"HTTP/1.1 403 X\r\nContent-Length: 0\r\n\r\n");
    let r = run(via_proxy(api("unused"), &proxy.url)
        .env("KLAP_BASE_URL", "https://api.example.test/v2")
        .args(["status", "p/e", "--retries", "0"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let seen = proxy.received();
    assert!(
        seen.starts_with("CONNECT api.example.test:443 HTTP/1.1\r\n"),
        "{seen}"
    );
    assert!(
        !seen.to_ascii_lowercase().contains("authorization"),
        "{seen}"
    );
    assert!(!seen.contains(KEY));
}

#[test]
fn a_base_url_with_userinfo_is_refused_and_the_password_never_shown() {
    let server = MockServer::start();
    let any = server.mock(|_, then| {
        then.status(200);
    });
    let base = server.base_url().replace("http://", "http://user:hunter2@");
    for flag in [false, true] {
        let mut cmd = api("unused");
        if flag {
            cmd.args(["--base-url", &format!("{base}/v2")]);
        } else {
            cmd.env("KLAP_BASE_URL", format!("{base}/v2"));
        }
        let r = run(cmd.args(["-v", "status", "p/e"]));
        assert_eq!(r.code, 2, "{}", r.stderr);
        r.stderr_has(&["the base URL must not contain user:password@"]);
        assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
    }
    any.assert_calls(0);
}
