//! What a new user meets first: colour, help, odd values, flags that clash, empty output.

use httpmock::prelude::*;

use crate::{KEY, api, bin, run};

const ESC: char = '\x1b';
/// `error:` as clap writes it on a colour terminal: bold red.
const RED_ERROR: &str = "\x1b[1m\x1b[31merror:\x1b[0m";

/// Runs `klap-export ARGS` under an 80x24 pseudo-terminal with a clean environment
/// plus `env`; returns the exit code and the screen (stdout and stderr together).
fn terminal(args: &str, env: &[(&str, &str)]) -> (i32, String) {
    let bin = assert_cmd::cargo::cargo_bin("klap-export");
    let mut cmd = std::process::Command::new("script");
    cmd.args([
        "-qec",
        &format!("stty rows 24 cols 80; {} {args}", bin.display()),
        "/dev/null",
    ]);
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        if name.starts_with("KLAP_")
            || ["HOME", "NO_COLOR", "CLICOLOR_FORCE", "CI"].contains(&name.as_str())
        {
            cmd.env_remove(&name);
        }
    }
    cmd.env("TERM", "xterm")
        .env("RUST_BACKTRACE", "0")
        .envs(env.iter().copied());
    let out = cmd.output().expect("script(1) from util-linux");
    let screen = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    assert!(
        !screen.contains(KEY) && !screen.contains("panicked"),
        "{screen}"
    );
    (out.status.code().unwrap_or(-1), screen)
}

#[test]
fn color_never_and_no_color_cover_clap_errors_on_a_terminal() {
    let (code, screen) = terminal("list --bogus", &[]);
    assert_eq!(code, 2);
    assert!(screen.starts_with(RED_ERROR), "{screen:?}");

    for (args, env) in [
        ("list --bogus --color never", &[][..]),
        ("--color=never list --bogus", &[][..]),
        ("list --bogus", &[("NO_COLOR", "1")][..]),
    ] {
        let (code, screen) = terminal(args, env);
        assert_eq!(code, 2, "{args}");
        assert!(
            screen.starts_with("error: unexpected argument '--bogus' found\n"),
            "{args}: {screen:?}"
        );
        assert!(!screen.contains(ESC), "{args} {env:?}: {screen:?}");
    }
    // Help follows --color too.
    let (code, screen) = terminal("list --help --color never", &[]);
    assert_eq!(code, 0);
    assert!(screen.contains("Usage: klap-export list") && !screen.contains(ESC));
}

#[test]
fn own_error_prefix_is_coloured_like_claps_only_where_colour_goes() {
    // No key: the tool's own error, before anything is sent.
    let (code, screen) = terminal("list", &[]);
    assert_eq!(code, 4);
    assert!(
        screen.starts_with(&format!("klap-export: {RED_ERROR} no API key\nhint: ")),
        "{screen:?}"
    );
    for (args, env) in [
        ("list --color never", &[][..]),
        ("list", &[("NO_COLOR", "1")][..]),
    ] {
        let (code, screen) = terminal(args, env);
        assert_eq!(code, 4);
        assert!(
            screen.starts_with("klap-export: error: no API key\n") && !screen.contains(ESC),
            "{args} {env:?}: {screen:?}"
        );
    }
    // Piped stderr: plain, unless forced.
    let r = run(bin().arg("list"));
    assert_eq!(r.code, 4);
    assert!(r.stderr.starts_with("klap-export: error: no API key\n"));
    assert!(!r.stderr.contains(ESC), "{:?}", r.stderr);
    for forced in [
        bin().args(["list", "--color", "always"]),
        bin().arg("list").env("CLICOLOR_FORCE", "1"),
    ] {
        let r = run(forced);
        assert!(
            r.stderr
                .starts_with(&format!("klap-export: {RED_ERROR} no API key\n")),
            "{:?}",
            r.stderr
        );
    }
}

#[test]
fn subcommand_help_points_to_the_global_options_instead_of_repeating_them() {
    let pointer = "Global options (--json, -q, --format, --base-url, --sandbox, ...): see `klap-export --help`";
    let r = run(bin().args(["status", "--help"]));
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout,
        format!(
            "Show the current state of exports\n\n\
             Usage: klap-export status <EXPORT_REF>...\n\n\
             Arguments:\n  <EXPORT_REF>...  EXPORT_ID, PROJECT_ID/EXPORT_ID or FOLDER_ID/PROJECT_ID/EXPORT_ID; '-' reads them\n                   from stdin\n\n\
             Options:\n  -h, --help  Print help\n\n{pointer}\n"
        )
    );
    for command in [
        "create",
        "list",
        "wait",
        "download",
        "sandbox",
        "completions",
    ] {
        for flag in ["--help", "-h"] {
            let r = run(bin().args([command, flag]));
            assert_eq!(r.code, 0);
            assert!(r.stdout.contains(pointer), "{command}: {}", r.stdout);
            for global in [
                "--base-url <URL>",
                "--api-key-file",
                "--no-progress",
                "--retries",
            ] {
                assert!(!r.stdout.contains(global), "{command} {flag}: {}", r.stdout);
            }
            assert!(r.stdout.lines().count() <= 45, "{command}: {}", r.stdout);
        }
    }
    // The top-level help keeps them all.
    let r = run(bin().arg("--help"));
    for global in [
        "--base-url <URL>",
        "--api-key-file",
        "--no-progress",
        "--retries",
    ] {
        assert!(r.stdout.contains(global), "{global}");
    }
    // Hidden in help, the global options still work after the command.
    let r = run(bin().args(["completions", "bash", "--color", "never", "-q"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn top_level_help_has_examples_with_the_pipeline() {
    let r = run(bin().arg("--help"));
    assert_eq!(r.code, 0);
    let examples = r.stdout.split("\nExamples:\n").nth(1).expect("Examples");
    for line in [
        "  klap-export --sandbox create demo/clip --download .\n",
        "  klap-export projects FOLDER_ID -q --top 5 \\\n    | klap-export create - --reuse --download clips/\n",
        "  klap-export list --status processing -q | klap-export wait -\n",
    ] {
        assert!(examples.contains(line), "{line}: {examples}");
    }
}

#[test]
fn environment_values_never_show_in_help_or_usage() {
    let url = "https://api.secret-host.example/v2";
    let r = run(bin()
        .args(["list", "--bogus"])
        .env("KLAP_BASE_URL", url)
        .env("KLAP_API_KEY", KEY));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("\nUsage: klap-export list [OPTIONS]\n"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("--base-url"), "{}", r.stderr);
    for args in [&["--help"][..], &["list", "--help"][..]] {
        let r = run(bin()
            .args(args)
            .env("KLAP_BASE_URL", url)
            .env("KLAP_API_KEY", KEY));
        assert_eq!(r.code, 0);
        assert!(!r.stdout.contains("secret-host"), "{}", r.stdout);
        assert!(!r.stdout.contains("env: KLAP_BASE_URL="), "{}", r.stdout);
        let usage = r.stdout.lines().find(|l| l.starts_with("Usage: ")).unwrap();
        assert!(usage.ends_with("[OPTIONS] <COMMAND>") || usage.ends_with("list [OPTIONS]"));
    }
}

#[test]
fn negative_and_odd_values_say_why_and_send_nothing() {
    let server = MockServer::start();
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(500);
    });
    let cases: [(&[&str], &str); 14] = [
        (
            &["wait", "f/p/e", "--interval", "-5s"],
            "invalid value '-5s' for '--interval <DURATION>': cannot be negative",
        ),
        (
            &["list", "--limit", "-1"],
            "invalid value '-1' for '--limit <N>': cannot be negative",
        ),
        (
            &["wait", "f/p/e", "--timeout=-1"],
            "invalid value '-1' for '--timeout <DURATION>': cannot be negative",
        ),
        (
            &["--http-timeout", "-2", "list"],
            "invalid value '-2' for '--http-timeout <DURATION>': cannot be negative",
        ),
        (
            &["list", "--retries", "-1"],
            "invalid value '-1' for '--retries <N>': cannot be negative",
        ),
        (
            &["sandbox", "--ready-after", "-1s"],
            "invalid value '-1s' for '--ready-after <DURATION>': cannot be negative",
        ),
        (
            &["sandbox", "--seed", "-3"],
            "invalid value '-3' for '--seed <N>': cannot be negative",
        ),
        (
            &[
                "create",
                "f/p",
                "--watermark",
                "https://x.example/w.png",
                "--watermark-x",
                "-0.5",
            ],
            "invalid value '-0.5' for '--watermark-x <X>': -0.5 is outside 0..1",
        ),
        (
            &[
                "create",
                "f/p",
                "--watermark",
                "https://x.example/w.png",
                "--watermark-scale",
                "-1",
            ],
            "invalid value '-1' for '--watermark-scale <S>': -1 is not greater than 0",
        ),
        (
            &["wait", "f/p/e", "--interval", "50ms"],
            "invalid value '50ms' for '--interval <DURATION>': must be at least 100ms",
        ),
        (
            &["wait", "f/p/e", "--timeout", "1x"],
            "invalid value '1x' for '--timeout <DURATION>': unknown unit 'x': expected seconds (90, 0.5) or units (500ms, 30s, 5m, 1h30m)",
        ),
        (
            &["wait", "f/p/e", "--timeout", "--json"],
            "invalid value '--json' for '--timeout <DURATION>': expected seconds",
        ),
        (
            &["list", "--limit", "ten"],
            "invalid value 'ten' for '--limit <N>': expected a whole number",
        ),
        (
            &["list", "--limit", "99999999999999999999999"],
            "for '--limit <N>': too large",
        ),
    ];
    for (args, message) in cases {
        let r = run(api(&server.base_url()).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with("error: ") && r.stderr.lines().next().unwrap().contains(message),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    }
    any.assert_calls(0);
}

#[test]
fn flags_that_clash_or_mean_nothing_are_usage_errors() {
    let server = MockServer::start();
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(500);
    });
    let cases: [(&[&str], &str); 8] = [
        (
            &["-q", "--json", "list"],
            "the argument '--quiet' cannot be used with '--json'",
        ),
        (
            &["list", "-q", "--json"],
            "the argument '--quiet' cannot be used with '--json'",
        ),
        (
            &["-q", "list", "--json"],
            "the argument '--quiet' cannot be used with '--json'",
        ),
        (
            &["--format", "tsv", "status", "e", "-q"],
            "the argument '--quiet' cannot be used with '--format <FORMAT>'",
        ),
        (
            &["list", "--json", "--format", "tsv"],
            "cannot be used with",
        ),
        (
            &["--sandbox", "sandbox"],
            "--sandbox runs one command against its own sandbox",
        ),
        (
            &["create", "f/p", "--interval", "1s"],
            "--interval needs --wait (or --download)",
        ),
        (
            &["create", "f/p", "--timeout", "10m"],
            "--timeout needs --wait (or --download)",
        ),
    ];
    for (args, message) in cases {
        let r = run(api(&server.base_url()).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with("error: ") && r.stderr.lines().next().unwrap().contains(message),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("\nUsage: klap-export "), "{}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    any.assert_calls(0);
}

#[test]
fn a_bad_variable_troubles_only_the_commands_that_use_it() {
    let r = run(bin()
        .args(["completions", "bash"])
        .env("KLAP_FORMAT", "xml"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("klap-export"));
    let r = run(bin().args(["--sandbox", "list"]).env("KLAP_FORMAT", "xml"));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("klap-export: error: KLAP_FORMAT=xml"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}

#[test]
fn an_empty_list_says_so_on_a_terminal_only() {
    let (code, screen) = terminal("--sandbox list", &[]);
    assert_eq!(code, 0);
    assert_eq!(screen, "no exports\n");
    let r = run(bin().args(["--sandbox", "list"]));
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    let (_, screen) = terminal("--sandbox list --format tsv", &[]);
    assert_eq!(screen, "");
}

#[test]
fn a_full_stdout_is_named() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = crate::process()
        .args(["--sandbox", "list", "--json"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "klap-export: error: cannot write to stdout: No space left on device (os error 28)\n"
    );
}

#[test]
fn usage_errors_never_echo_control_or_bidi_characters_to_the_terminal() {
    let (code, screen) = terminal(
        "status \"$(printf 'x\\033]0;PWNED\\007\\033[41mRED\\342\\200\\256y')\"",
        &[],
    );
    assert_eq!(code, 2, "{screen}");
    assert!(screen.contains("invalid value"), "{screen}");
    assert!(
        !screen.contains("PWNED\u{7}")
            && !screen.contains('\u{202e}')
            && !screen.contains("\u{1b}]0"),
        "{screen:?}"
    );
}

// ---- issue 18: the terminal (r3) ----

/// A fixed exports API: the list, and each export's status route.
fn fixed_exports() -> crate::script::Script {
    let e = |n: u32, id: &str, status: &str, name: &str, created: &str| {
        let ready = status == "ready";
        serde_json::json!({
            "id": id,
            "status": status,
            "name": name,
            "project_id": format!("demo_p{n}"),
            "folder_id": "demo",
            "created_at": created,
            "finished_at": if ready { Some("2026-11-29T03:24:51Z") } else { None },
            "src_url": if ready {
                Some(format!("https://storage.klap.app/exports/demo/demo_p{n}/{id}.mp4"))
            } else { None },
            "author_id": "user_123",
        })
    };
    let all = serde_json::json!([
        e(
            1,
            "exp_7Qx2_1",
            "ready",
            "The best forty seconds of the keynote",
            "2026-11-29T03:22:07Z"
        ),
        e(
            2,
            "exp_7Qx2_2",
            "processing",
            "Q&A: what ships next",
            "2026-11-29T03:21:07Z"
        ),
        e(
            3,
            "exp_7Qx2_3",
            "ready",
            "Live demo",
            "2026-11-29T03:20:07Z"
        ),
        e(4, "exp_7Qx2_4", "error", "Opening", "2026-11-29T03:19:07Z"),
        e(
            5,
            "exp_7Qx2_5",
            "ready",
            "Closing words",
            "2026-11-29T03:18:07Z"
        ),
    ]);
    crate::script::Script::route(move |req, _| {
        let list = all.as_array().unwrap();
        match req.path.rsplit_once("/exports/") {
            Some((_, id)) => match list.iter().find(|e| e["id"] == id) {
                Some(one) => crate::script::json(200, one),
                None => crate::script::json(404, &serde_json::json!({"message": "not found"})),
            },
            None => crate::script::json(200, &all),
        }
    })
}

/// The README's terminal samples: fenced blocks whose first line is `$ klap-export ARGS`,
/// then what the tool prints for ARGS at 80 columns.
fn readme_samples() -> Vec<(String, String)> {
    let readme = include_str!("../../README.md");
    let mut samples = Vec::new();
    let mut rest = readme;
    while let Some(start) = rest.find("```\n$ klap-export ") {
        let block = &rest[start + 4..];
        let end = block.find("\n```").unwrap();
        let (command, output) = block[..end].split_once('\n').unwrap();
        let args = command.strip_prefix("$ klap-export ").unwrap().to_string();
        samples.push((args, format!("{output}\n")));
        rest = &block[end..];
    }
    samples
}

#[test]
fn the_readme_80_column_samples_are_what_the_tool_prints() {
    let server = fixed_exports();
    let env = [
        ("KLAP_BASE_URL", format!("{}/v2", server.base)),
        ("KLAP_API_KEY", KEY.to_string()),
        ("NO_COLOR", "1".to_string()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let samples = readme_samples();
    assert!(samples.len() >= 2, "a list and a card: {samples:?}");
    for (args, want) in samples {
        let (code, screen) = terminal(&args, &env);
        assert_eq!(code, 0, "{args}: {screen}");
        assert_eq!(screen, want, "README sample of `{args}`");
        assert!(screen.lines().all(|l| l.chars().count() <= 80), "{screen}");
    }
}

#[test]
fn one_export_on_a_terminal_is_a_card_with_every_value_whole() {
    let server = fixed_exports();
    let base = format!("{}/v2", server.base);
    let env = [("KLAP_BASE_URL", base.as_str()), ("KLAP_API_KEY", KEY)];
    let (code, screen) = terminal("status demo/demo_p1/exp_7Qx2_1 --color never", &env);
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("URL       https://storage.klap.app/exports/demo/demo_p1/exp_7Qx2_1.mp4\n"),
        "the URL whole at 80 columns: {screen}"
    );
    assert!(
        screen.contains("NAME      The best forty seconds of the keynote\n"),
        "{screen}"
    );
    // Two refs: the table, fitted.
    let (_, screen) = terminal(
        "status demo/demo_p1/exp_7Qx2_1 demo/demo_p3/exp_7Qx2_3 --color never",
        &env,
    );
    assert!(screen.starts_with("ID "), "{screen}");
    assert!(screen.lines().all(|l| l.chars().count() <= 80), "{screen}");
}

#[test]
fn term_dumb_gets_plain_progress_lines_without_escape_codes() {
    let server = crate::script::Script::route(|_, nth| {
        let status = if nth < 2 { "processing" } else { "ready" };
        crate::script::json(
            200,
            &crate::export("e", status, Some("f"), "p", "2023-10-02T09:00:00Z"),
        )
    });
    let base = format!("{}/v2", server.base);
    let env = [
        ("KLAP_BASE_URL", base.as_str()),
        ("KLAP_API_KEY", KEY),
        ("TERM", "dumb"),
    ];
    let (code, screen) = terminal("wait f/p/e --interval 0.1", &env);
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("klap-export: f/p/e: processing (0s elapsed)\n"),
        "{screen:?}"
    );
    assert!(screen.contains("klap-export: f/p/e: ready ("), "{screen:?}");
    assert!(
        !screen.contains(ESC) && !screen.contains('\r'),
        "{screen:?}"
    );
}

#[test]
fn an_empty_folder_on_a_terminal_says_so() {
    let server =
        crate::script::Script::route(|_, _| crate::script::json(200, &serde_json::json!([])));
    let base = format!("{}/v2", server.base);
    let env = [("KLAP_BASE_URL", base.as_str()), ("KLAP_API_KEY", KEY)];
    let (code, screen) = terminal("projects empty1", &env);
    assert_eq!(
        (code, screen.as_str()),
        (0, "klap-export: no projects in folder empty1\n")
    );
    // Piped: nothing (as list).
    let r = run(api(&server.base).args(["projects", "empty1"]));
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
}
