//! Tables on a terminal fit its width; piped, they print full values.

use httpmock::Method::GET;
use httpmock::MockServer;
use serde_json::json;

use crate::{KEY, api, export, run};

/// Two exports with a long name and URL and the timestamps the real service sends.
fn server() -> MockServer {
    let server = MockServer::start();
    let mut long = export(
        "export_001",
        "ready",
        Some("folder_001"),
        "project_001",
        "x",
    );
    long["name"] = json!("The best forty seconds of the keynote");
    long["src_url"] =
        json!("https://cdn.example.com/exports/folder_001/project_001/export_001.mp4");
    long["created_at"] = json!("2023-12-08T05:03:10.91362+00:00");
    long["finished_at"] = json!("2023-12-08T05:18:44.10001+00:00");
    let mut short = export("export_002", "processing", None, "project_002", "x");
    short["name"] = json!("Intro");
    short["created_at"] = json!("2023-12-07T05:03:10.91362+00:00");
    server.mock(|when, then| {
        when.method(GET).path("/v2/exports");
        then.status(200).json_body(json!([long, short]));
    });
    server
}

/// The screen of `klap-export ARGS` in a pseudo-terminal `cols` wide.
fn screen(base: &str, cols: usize, args: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin("klap-export");
    // Both sizes: with rows at 0 the window size counts as unknown.
    let script = format!("stty rows 24 cols {cols}; {} {args}", bin.display());
    let out = std::process::Command::new("script")
        .args(["-qec", &script, "/dev/null"])
        .env("KLAP_BASE_URL", format!("{base}/v2"))
        .env("KLAP_API_KEY", KEY)
        .env_remove("CI")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env("TERM", "xterm")
        .output()
        .expect("script(1) from util-linux");
    let screen = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(out.status.success(), "{screen}");
    assert!(!screen.contains(KEY));
    screen
}

/// The text without SGR colour codes.
fn plain(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        rest = after.find('m').map_or("", |m| &after[m + 1..]);
    }
    out.push_str(rest);
    out
}

#[test]
fn list_fits_an_80_column_terminal_and_keeps_ids_whole() {
    let server = server();
    let screen = screen(&server.base_url(), 80, "list");
    assert!(
        screen.starts_with("\x1b[1mID\x1b[0m "),
        "bold headers: {screen:?}"
    );
    assert!(screen.contains("\x1b[38;5;2mready\x1b[39m"), "{screen:?}");
    let text = plain(&screen);
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
    assert_eq!(
        text,
        "ID          STATUS      NAME         CREATED                          URL\n\
         export_001  ready       The best f…  2023-12-08T05:03:10.91362+00:00  …t_001.mp4\n\
         export_002  processing  Intro        2023-12-07T05:03:10.91362+00:00  -\n"
    );
}

#[test]
fn list_at_40_columns_leaves_out_the_least_useful_columns() {
    let server = server();
    let text = plain(&screen(&server.base_url(), 40, "--color never list"));
    assert_eq!(
        text,
        "ID          STATUS      NAME\n\
         export_001  ready       The best forty …\n\
         export_002  processing  Intro\n"
    );
}

#[test]
fn piped_tables_have_full_values_and_no_colour_codes() {
    let server = server();
    let r = run(api(&server.base_url()).arg("list"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
    assert!(r.stdout.contains("The best forty seconds of the keynote"));
    assert!(
        r.stdout
            .contains("https://cdn.example.com/exports/folder_001/project_001/export_001.mp4")
    );
    assert!(r.stdout.lines().all(|l| l == l.trim_end()));
}

#[test]
fn colour_always_under_no_color_has_no_stray_reset_codes() {
    let server = server();
    let r = run(api(&server.base_url())
        .env("NO_COLOR", "1")
        .args(["--color", "always", "list"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("\x1b[m"), "{:?}", r.stdout);
    assert!(r.stdout.starts_with("\x1b[1mID\x1b[0m "), "{:?}", r.stdout);
}
