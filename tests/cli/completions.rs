//! The committed completion scripts match what the code generates; help and version.

use crate::{bin, run};

const SCRIPTS: [(&str, &str); 5] = [
    ("bash", "klap-export.bash"),
    ("zsh", "_klap-export"),
    ("fish", "klap-export.fish"),
    ("powershell", "_klap-export.ps1"),
    ("elvish", "klap-export.elv"),
];

#[test]
fn committed_completions_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in SCRIPTS {
        let r = run(bin().args(["completions", shell]));
        assert_eq!(r.code, 0);
        assert!(
            r.stdout.contains("klap-export") && r.stdout.contains("watermark"),
            "{shell}"
        );
        let committed = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        assert!(
            committed == r.stdout,
            "completions/{file} is out of date; refresh it with:\n  cargo run -q -- completions {shell} > completions/{file}"
        );
    }
}

#[test]
fn help_lists_exit_codes_environment_and_examples() {
    let r = run(bin().arg("--help"));
    assert_eq!(r.code, 0);
    for text in [
        "Exit codes:",
        "6 wait deadline passed",
        "KLAP_API_KEY_FILE",
        "KLAP_HTTP_TIMEOUT",
        "NO_COLOR",
    ] {
        assert!(r.stdout.contains(text), "{text}: {}", r.stdout);
    }
    for command in ["create", "wait", "list", "download"] {
        let r = run(bin().args([command, "--help"]));
        assert!(
            r.stdout.contains("Examples:\n  klap-export"),
            "{command}: {}",
            r.stdout
        );
    }
    let r = run(bin().args(["create", "--help"]));
    assert!(r.stdout.contains("wait $(klap-export create"));
    let r = run(bin().args(["list", "--help"]));
    assert!(r.stdout.contains("| jq "));
    let r = run(bin().arg("--version"));
    assert_eq!(
        r.stdout,
        format!("klap-export {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn completions_need_no_key_and_reject_unknown_shells() {
    let r = run(bin().args(["completions", "tcsh"]));
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
}
