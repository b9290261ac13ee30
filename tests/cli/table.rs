//! Tables on a terminal fit its width (pinned at 40, 80 and 140 columns); piped, or without
//! colour, they print no escape byte.

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
    server.mock(|when, then| {
        when.method(GET).path("/v2/projects/F");
        then.status(200).json_body(json!([
            {"id": "project_001", "name": "The best 40 seconds of a very long video",
             "virality_score": 0.85, "created_at": "2023-10-02T09:00:00Z"},
            {"id": "project_002", "name": "Intro", "virality_score": null,
             "created_at": "2023-10-01T09:00:00Z"},
        ]));
    });
    server
}

/// The screen of `klap-export ARGS` in a pseudo-terminal `cols` wide.
fn screen(base: &str, cols: usize, args: &str) -> String {
    screen_with(base, cols, args, &[])
}

/// `screen` with more variables set.
fn screen_with(base: &str, cols: usize, args: &str, vars: &[(&str, &str)]) -> String {
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
        .envs(vars.iter().copied())
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
    // comfy-table's colours (crossterm's): 256-colour index 2, the terminal's green.
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
    let screen = screen(&server.base_url(), 40, "--color never list");
    assert!(!screen.contains('\x1b'), "{screen:?}");
    // comfy-table cuts where the width ends, a space before `…` included.
    assert_eq!(
        screen,
        "ID          STATUS      NAME\n\
         export_001  ready       The best forty …\n\
         export_002  processing  Intro\n"
    );
}

#[test]
fn list_at_140_columns_shows_every_column_and_cuts_the_url_then_the_name() {
    let server = server();
    let text = plain(&screen(&server.base_url(), 140, "list"));
    for line in text.lines() {
        assert!(line.chars().count() <= 140, "{line}");
    }
    assert_eq!(
        text,
        "ID          STATUS      NAME           PROJECT      FOLDER      CREATED                          \
         FINISHED                         URL\n\
         export_001  ready       The best for…  project_001  folder_001  2023-12-08T05:03:10.91362+00:00  \
         2023-12-08T05:18:44.10001+00:00  …t_001.mp4\n\
         export_002  processing  Intro          project_002  -           2023-12-07T05:03:10.91362+00:00  \
         -                                -\n"
    );
    assert_eq!(text.lines().nth(1).map(|l| l.chars().count()), Some(140));
}

#[test]
fn projects_fit_40_80_and_140_columns() {
    let server = server();
    let expected = [
        (
            40,
            "ID           NAME               VIRALITY\n\
             project_001  The best 40 seco…  0.85\n\
             project_002  Intro              -\n",
        ),
        (
            80,
            "ID           NAME                                 VIRALITY  CREATED\n\
             project_001  The best 40 seconds of a very long…  0.85      2023-10-02T09:00:00Z\n\
             project_002  Intro                                -         2023-10-01T09:00:00Z\n",
        ),
        (
            140,
            "ID           NAME                                      VIRALITY  CREATED\n\
             project_001  The best 40 seconds of a very long video  0.85      2023-10-02T09:00:00Z\n\
             project_002  Intro                                     -         2023-10-01T09:00:00Z\n",
        ),
    ];
    for (cols, text) in expected {
        let screen = screen(&server.base_url(), cols, "projects F");
        assert!(
            screen.contains("\x1b[38;5;6m0.85\x1b[39m"),
            "{cols}: {screen:?}"
        );
        assert_eq!(plain(&screen), text, "{cols}");
    }
}

#[test]
fn no_color_and_color_never_on_a_terminal_write_no_escape_byte() {
    let server = server();
    let base = server.base_url();
    for cols in [40, 80, 140] {
        for args in ["list", "projects F"] {
            let coloured = plain(&screen(&base, cols, args));
            let never = screen(&base, cols, &format!("--color never {args}"));
            let no_color = screen_with(&base, cols, args, &[("NO_COLOR", "1")]);
            for screen in [&never, &no_color] {
                assert!(!screen.contains('\x1b'), "{cols} {args}: {screen:?}");
                // The same columns, cut the same way: only the colour is gone.
                assert_eq!(screen, &coloured, "{cols} {args}");
            }
        }
    }
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
    // `--color always` wins over NO_COLOR for the cells' colours too.
    assert!(
        r.stdout.contains("\x1b[38;5;2mready\x1b[39m"),
        "{:?}",
        r.stdout
    );
}
