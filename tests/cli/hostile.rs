//! Hostile surroundings: proxies that would see the key, odd base URLs, network failures,
//! a closed stderr, termination signals.

use std::net::TcpListener;
use std::sync::Arc;

use httpmock::Method::GET;
use httpmock::MockServer;

use crate::dir_names as files;
use crate::script::{Script, Step};
use crate::{KEY, api, bin, export, run};

pub const PROXY_VARS: [&str; 6] = [
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
    let proxy = Script::serve(vec![Step::Raw(
        b"HTTP/1.1 502 X\r\nContent-Length: 0\r\n\r\n".to_vec(),
    )]);
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET)
            .path("/v2/projects/p/exports/e")
            .header("authorization", format!("Bearer {KEY}"));
        then.status(200)
            .json_body(export("e", "processing", None, "p", "2023-10-02T09:00:00Z"));
    });
    let r = run(via_proxy(api(&server.base_url()), &proxy.base).args([
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
    let proxy = Script::serve(vec![Step::Raw(
        b"HTTP/1.1 403 X\r\nContent-Length: 0\r\n\r\n".to_vec(),
    )]);
    let r = run(via_proxy(api("unused"), &proxy.base)
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

/// `status p/e` against `base_url`, no retries, no proxy.
fn status_at(base_url: &str) -> crate::Run {
    let mut cmd = api("unused");
    for name in PROXY_VARS {
        cmd.env_remove(name);
    }
    run(cmd
        .env("KLAP_BASE_URL", base_url)
        .args(["status", "p/e", "--retries", "0"]))
}

#[test]
fn network_errors_name_their_cause() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let r = status_at(&format!("http://127.0.0.1:{port}/v2"));
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["cannot connect: connection refused"]);

    // .invalid never resolves (RFC 6761): the lookup fails, nothing is sent.
    let r = status_at("https://nonexistent.invalid/v2");
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["cannot resolve host nonexistent.invalid"]);

    let r = status_at(&format!("https://127.0.0.1:{}/v2", untrusted_tls_server()));
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["TLS certificate not trusted: "]);

    // Plain HTTP where TLS was expected.
    let plain = Script::serve(vec![Step::Raw(b"HTTP/1.1 400 Bad\r\n\r\n".to_vec())]);
    let r = status_at(&format!("{}/v2", plain.base.replace("http:", "https:")));
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["TLS handshake failed: "]);
}

#[test]
fn a_base_url_without_a_scheme_says_to_add_one() {
    for base in ["localhost:8787", "127.0.0.1:8787/v2"] {
        let r = run(bin().args(["--base-url", base, "status", "p/e"]));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(
            r.stderr,
            format!("klap-export: error: invalid base URL '{base}': add http:// or https://\n")
        );
    }
}

#[test]
fn a_404_from_a_base_url_without_v2_hints_at_it() {
    let server = MockServer::start();
    let r = run(api("unused")
        .env("KLAP_BASE_URL", server.base_url())
        .args(["status", "p/e"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    r.stderr_has(&["HTTP 404", "\nhint: the base URL probably lacks /v2\n"]);

    // With /v2 the base URL is fine: the hint is about the two-part ref (r3).
    let r = run(api(&server.base_url()).args(["status", "p/e"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(!r.stderr.contains("base URL"), "{}", r.stderr);
    r.stderr_has(&["hint: two parts mean PROJECT/EXPORT"]);
}

#[test]
fn retry_after_zero_still_retries_only_as_often_as_asked() {
    // The floor under `Retry-After: 0` is checked in api.rs's unit tests (no timed tests).
    let server = MockServer::start();
    let busy = server.mock(|when, then| {
        when.method(GET).path("/v2/projects/p/exports/e");
        then.status(503).header("Retry-After", "0");
    });
    let r = run(api(&server.base_url()).args(["status", "p/e", "--retries", "3"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    busy.assert_calls(4);
}

#[test]
fn a_closed_stderr_is_never_a_panic() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/v2/projects/p/exports/e");
        then.status(200)
            .json_body(export("e", "processing", None, "p", "2023-10-02T09:00:00Z"));
    });
    // Verbose lines on success, then an error and its hint (404 without /v2).
    for (base, code) in [
        (format!("{}/v2", server.base_url()), 0),
        (server.base_url(), 3),
    ] {
        let mut child = crate::process()
            .env("KLAP_BASE_URL", base)
            .env("KLAP_API_KEY", KEY)
            .args(["-v", "status", "p/e"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Nobody reads stderr: every write to it fails (EPIPE).
        drop(child.stderr.take());
        assert_eq!(child.wait().unwrap().code(), Some(code));
    }
}

#[test]
fn sigterm_and_sighup_clean_up_like_ctrl_c() {
    for (signal, code) in [("TERM", 143), ("HUP", 129), ("INT", 130)] {
        // The file server sends 300 kB of 1 MB (more than any write buffer), then stalls.
        let stall = crate::script::stalled_file(1_000_000, 300_000);
        let server = MockServer::start();
        let mut body = export("e", "ready", None, "p", "2023-10-02T09:00:00Z");
        body["src_url"] = format!("{}/files/e.mp4", stall.base).into();
        server.mock(|when, then| {
            when.path("/v2/projects/p/exports/e");
            then.status(200).json_body(body);
        });
        let dir = tempfile::tempdir().unwrap();
        let mut child = crate::process_api(&server.base_url())
            .args(["download", "p/e", "-o"])
            .arg(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Signalled once the temporary file has bytes in it.
        crate::signal_mid_download(&child, dir.path(), signal, |parts| {
            parts.iter().any(|&n| n > 0)
        });
        assert_eq!(child.wait().unwrap().code(), Some(code), "SIG{signal}");
        assert!(
            files(dir.path()).is_empty(),
            "SIG{signal}: {:?}",
            files(dir.path())
        );
    }
}

#[test]
fn a_file_announced_past_16_gib_is_refused() {
    let huge = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n0123456789",
        (16u64 << 30) + 1
    );
    let files_host = Script::serve(vec![Step::Stall(huge.into_bytes())]);
    let server = MockServer::start();
    let mut body = export("e", "ready", None, "p", "2023-10-02T09:00:00Z");
    body["src_url"] = format!("{}/files/e.mp4", files_host.base).into();
    server.mock(|when, then| {
        when.path("/v2/projects/p/exports/e");
        then.status(200).json_body(body);
    });
    let dir = tempfile::tempdir().unwrap();
    let r = run(api(&server.base_url())
        .args(["download", "p/e", "-o"])
        .arg(dir.path()));
    assert_eq!(r.code, 1, "{}", r.stderr);
    r.stderr_has(&["the file is larger than the 16 GiB limit"]);
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
}

/// A TLS server on loopback whose certificate (self-signed, for 127.0.0.1) nobody trusts.
/// Returns its port.
pub fn untrusted_tls_server() -> u16 {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let cert = CertificateDer::from_pem_slice(TLS_CERT.as_bytes()).unwrap();
    let key = PrivateKeyDer::from_pem_slice(TLS_KEY.as_bytes()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut tcp) = stream else { continue };
            if let Ok(mut tls) = rustls::ServerConnection::new(config.clone()) {
                let _ = tls.complete_io(&mut tcp);
                let _ = tls.complete_io(&mut tcp);
            }
        }
    });
    port
}

/// Made with `openssl req -x509 -newkey rsa:2048 -days 36500 -subj /CN=klap-test
/// -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -addext basicConstraints=critical,CA:FALSE`.
const TLS_CERT: &str = "\
-----BEGIN CERTIFICATE-----
MIIDJDCCAgygAwIBAgIUVcWJtBH08i8iHnxldWJqWhFQzZowDQYJKoZIhvcNAQEL
BQAwFDESMBAGA1UEAwwJa2xhcC10ZXN0MCAXDTI2MTEyOTAyMjY1MVoYDzIxMjYx
MTA1MDIyNjUxWjAUMRIwEAYDVQQDDAlrbGFwLXRlc3QwggEiMA0GCSqGSIb3DQEB
AQUAA4IBDwAwggEKAoIBAQCeghKpin5xsgr3wzKLtO+9jLEw8dlkNLtAQEVh1HMK
LMveHLmWU1hubYoAsUyezJY8sREhNx1tDqfi3x2jFU0QYf0Ab96sGiYzYUUsNsgH
l0Y81mjmBynh94vsxa0Ztvsbffs9E/Q5iuExvBt28hw2OCe1taL+hErnP9cYpRzb
DaEcsuFjqzoZUk+SRm9RjmZntIRGcq+2ETez+gkkcbVmTO82VgzN9Vxk8yaqR+ov
z4TxNXErAuXSSH2XsEjngWi2uJzelEdt+XGvNFeMQ3V6XXgJbDay74EuLXr/YBid
7dXvoVA7XckkrQKqZBHUp8IvF1xifWjJRAXynCckzqS3AgMBAAGjbDBqMB0GA1Ud
DgQWBBQhwPO37zubi1DVo3QDBUL/C3jLhDAfBgNVHSMEGDAWgBQhwPO37zubi1DV
o3QDBUL/C3jLhDAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwDAYDVR0TAQH/
BAIwADANBgkqhkiG9w0BAQsFAAOCAQEAUa/Q0WsniYYLBYmX8uDZvzzfTLCo3Uxn
Q3p0dWKHUHt6KBiW2mrqC2v4k56CcgefpnE2GpB1ihQO+swqdTQpKBojhJ38az8T
8LO2f3KYz8FMqFjWRyE3nho15bnxCZvU2Jf9/YTvQsqodHHMKJNL6byMFdYzS6l2
6hlE99bEHRBciL5E3NZbQnY7w3uj61D+IeemOeyxegQgwMhNwywzFYpT+QB+rV+i
M/zZ5M5+lAx1IDqi7nTCSfLKnjIHE5vm5KDaoa2ZV6SCt1Qb/KqJqPvMJqJ0G8ua
yEz++U/SLGN8Ph4tAlm4j6kwTBRqTe8dG4tf9g5QMhNcKEs0rXVXlQ==
-----END CERTIFICATE-----
";

const TLS_KEY: &str = "\
-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCeghKpin5xsgr3
wzKLtO+9jLEw8dlkNLtAQEVh1HMKLMveHLmWU1hubYoAsUyezJY8sREhNx1tDqfi
3x2jFU0QYf0Ab96sGiYzYUUsNsgHl0Y81mjmBynh94vsxa0Ztvsbffs9E/Q5iuEx
vBt28hw2OCe1taL+hErnP9cYpRzbDaEcsuFjqzoZUk+SRm9RjmZntIRGcq+2ETez
+gkkcbVmTO82VgzN9Vxk8yaqR+ovz4TxNXErAuXSSH2XsEjngWi2uJzelEdt+XGv
NFeMQ3V6XXgJbDay74EuLXr/YBid7dXvoVA7XckkrQKqZBHUp8IvF1xifWjJRAXy
nCckzqS3AgMBAAECggEAAdr6LUDyHYu2SL5qfdF8h2FE73HIj8DKxkWbJI+AN8pt
HMpDPFQZ1Y8FqO0iKaVi569foXHMr92Mnb4mIHTFyN/5eWZZHFipMRfZnfIArHto
DoDQGTfEJWFYKPq8GAdFQ/c4RHX9OwhuhIm/gI1kPGDnfD5otuPq+QzByrjuT1Up
j+uHfq64SxXi581D1fRgKyxpmm2SoF4i8E0rs1up+1hCLBVCv64bj/vZYshvc757
2kRwljkTwfbpYvcSm22M64zuaNNlO6Rl+oNsgmpVqwow4RLXXH+aixJMpu9+bfO8
ktHO4L62rDvXWiWFR9h7EYdrVU5fL7vuFlueby7v4QKBgQDKyrsV/k2LIkSeTBZh
HOc314MIbvv0z8L2Gl3L9E/lk+HouCJ9ovTCcJkEThitu3M2kp2u7u2v11fAHBjQ
IaGpxU/nP8OqNurbXYxrYzVPdpK08/4n3ZY7G+75hYcgXJBiUAz4cFhpxNEvh3sS
8zhwlR/3fm2zYgabs/HhFPc+SQKBgQDIGNsER2FG3EeJ90oI694TLZ06PTiziyle
YCiABx4qGdreb6xO1SY629qO+TnNYTcDfLNROATxQ7BRue/M0jYnwTug/oKKRDhv
sp1hrkIpoQ9uXGPVPpl6XfsaQ23ug7FSA+QSn8q2tp+alJyNgppyl8jDXydzopw/
tRXkeFLK/wKBgBEi5IBNRvw03xuJTnLSYG+FlJsH1d6wF8d4Huj3MjEyN+rUdIWt
WYV8wlFs0AUOTAQWi6CWrBsp1U50kVw1G1YfSEtARiaCEYKL+yuv7HdUi70iyR1R
Sjqgd6c6M1r2t3S3UwFDbRUy/oJHrozBZMmOsG7XjimUZP6PTCc7AFGRAoGAJUkc
Zqu2YLHjUr4VuZvaAdDaH2QREMO5rbBVW6X35Ph0ZEaC4R2uxgD5tPKT5sVarvep
olTB9wMZ8+Cl4pC5Lqc/KTzDrmgP7CBoWy9RfNhaO8JTiATmLHses0IlVfCMNjAr
a50C9REKpI9UrLnNddT6wA0XGOEQJH7l2XDiXJkCgYBPHLqz6c6wu1nBVauLVFvz
ev9ZjXpJH0dgRU/YVcw17ybp2/TSEz9W5DmeG7SYhbdndmLC6lQU0ALGF5R3M/YN
vDMHwxenOKV5jzyRDeCGWs96nV4cVQEQUi69qLJ/qN0oP1t3v9PxX8VT2yQ1tO6u
+UPRk7LNiYkW02Bd2k/FqQ==
-----END PRIVATE KEY-----
";
