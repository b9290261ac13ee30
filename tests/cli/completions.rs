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

/// The committed completion script for a shell.
fn script(file: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(file)
}

/// Whether `shell` can be run here; when not, the test says so and passes, except under
/// CI (`CI` set, as `.ci/run` installs every shell): there a missing shell fails.
fn have(shell: &str) -> bool {
    let found = std::process::Command::new(shell)
        .arg("-c")
        .arg("exit 0")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found || std::env::var_os("CI").is_none(),
        "{shell} is not installed, and CI is set: the completion test cannot be skipped"
    );
    if !found {
        crate::say_skipped(&format!(
            "{shell} is not installed, its completions are not tried"
        ));
    }
    found
}

/// What bash offers for the command line `words` (the last word is the one
/// being completed), calling the function as `complete -F` would: with the
/// command, the current word and the previous word.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c"])
        .arg(
            r#"source "$0" || exit 9
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
_klap__export "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}""#,
        )
        .arg(script("klap-export.bash"))
        .args(words)
        .output()
        .expect("run bash");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_subcommands_their_flags_and_flag_values() {
    if !have("bash") {
        return;
    }
    assert_eq!(bash_complete(&["klap-export", "li"]), ["list"]);
    // A subcommand's own flag: nothing completed here before the fix.
    assert_eq!(
        bash_complete(&["klap-export", "list", "--st"]),
        ["--status"]
    );
    assert_eq!(
        bash_complete(&["klap-export", "create", "--wat"]),
        [
            "--watermark",
            "--watermark-x",
            "--watermark-y",
            "--watermark-scale"
        ]
    );
    // A flag's values, after a subcommand.
    assert_eq!(
        bash_complete(&["klap-export", "list", "--format", ""]),
        ["table", "json", "ndjson", "tsv"]
    );
    assert_eq!(
        bash_complete(&["klap-export", "wait", "--color", "a"]),
        ["auto", "always"]
    );
    // A positional's values: the shells.
    assert_eq!(
        bash_complete(&["klap-export", "completions", "b"]),
        ["bash"]
    );
    let all = bash_complete(&["klap-export", "completions", ""]);
    for shell in ["bash", "elvish", "fish", "powershell", "zsh"] {
        assert!(all.iter().any(|w| w == shell), "{shell}: {all:?}");
    }
    // Nested: `help <TAB>` offers the commands.
    assert!(bash_complete(&["klap-export", "help", "d"]) == ["download"]);
}

/// What fish offers for `line` (`complete -C`), without descriptions.
fn fish_complete(line: &str) -> Vec<String> {
    let out = std::process::Command::new("fish")
        .args([
            "--no-config",
            "-c",
            "source $argv[1]; and complete -C $argv[2]",
        ])
        .arg(script("klap-export.fish"))
        .arg(line)
        .output()
        .expect("run fish");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn fish_completes_subcommands_their_flags_and_values() {
    if !have("fish") {
        return;
    }
    assert_eq!(fish_complete("klap-export li"), ["list"]);
    assert_eq!(fish_complete("klap-export list --st"), ["--status"]);
    assert_eq!(
        fish_complete("klap-export list --format "),
        ["json", "ndjson", "table", "tsv"]
    );
    assert_eq!(
        fish_complete("klap-export completions "),
        ["bash", "elvish", "fish", "powershell", "zsh"]
    );
    // Values that are no path: nothing, not the file names of the current directory.
    for line in [
        "klap-export --retries ",
        "klap-export --profile ",
        "klap-export list --jq ",
        "klap-export status ",
        "klap-export wait --interval ",
    ] {
        assert_eq!(fish_complete(line), [""; 0], "{line}");
    }
    // A directory for --download, files too for --api-key-file.
    let here = env!("CARGO_MANIFEST_DIR");
    assert_eq!(
        fish_complete(&format!("klap-export wait --download {here}/complet")),
        [format!("{here}/completions/")]
    );
    assert_eq!(
        fish_complete(&format!("klap-export --api-key-file {here}/Cargo.l")),
        [format!("{here}/Cargo.lock")]
    );
}

/// zsh's completion system needs an interactive shell to drive it, so this
/// checks only that the script parses and defines its function.
#[test]
fn zsh_script_parses() {
    if !have("zsh") {
        return;
    }
    let out = std::process::Command::new("zsh")
        .args([
            "-f",
            "-c",
            "autoload -U compinit && compinit -u && source $0 && whence -w _klap-export",
        ])
        .arg(script("_klap-export"))
        .output()
        .expect("run zsh");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "_klap-export: function\n"
    );
}

/// What a shell at a terminal makes of each of `lines` once TAB is pressed at its end:
/// the words the command line then runs with, as `<word>`s. `klap-export` is a shell
/// function that prints its words, and `X` is typed after the completion, so
/// `<clips/X>` means `clips/` was completed with no space after it. The shell runs in
/// a directory holding `clips/`, `clipfile` and `exp_file`.
fn at_a_terminal(shell: &str, lines: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("clips")).unwrap();
    std::fs::write(dir.path().join("clipfile"), "").unwrap();
    std::fs::write(dir.path().join("exp_file"), "").unwrap();
    let show = "klap-export() { printf '=>'; printf '<%s>' \"$@\"; echo; }\nPS1='> '\n";
    let (command, rc, tab) = match shell {
        "bash" => (
            "bash --rcfile rc --noprofile -i".to_owned(),
            format!("source {}\n{show}", script("klap-export.bash").display()),
            "\tX\n",
        ),
        // zsh drops completion while keys are pending, so TAB, X and Enter are one
        // key: a widget that completes, types X and runs the line.
        _ => {
            let fpath = dir.path().join("fpath");
            std::fs::create_dir(&fpath).unwrap();
            std::fs::copy(script("_klap-export"), fpath.join("_klap-export")).unwrap();
            let rc = format!(
                "fpath=({} $fpath)\nautoload -U compinit && compinit -u -D\n{show}\
                 tab-x-run() {{ zle complete-word; LBUFFER+=X; zle accept-line }}\n\
                 zle -N tab-x-run\nbindkey '^T' tab-x-run\n",
                fpath.display()
            );
            std::fs::write(dir.path().join(".zshrc"), &rc).unwrap();
            ("zsh -i".to_owned(), rc, "\x14")
        }
    };
    std::fs::write(dir.path().join("rc"), rc).unwrap();
    let mut input: String = lines.iter().map(|l| format!("{l}{tab}")).collect();
    input.push_str("exit\n");
    let mut child = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .env("ZDOTDIR", dir.path())
        .env("HOME", dir.path())
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    let words: Vec<String> = screen
        .split(['\r', '\n'])
        .filter_map(|l| l.strip_prefix("=>"))
        .map(str::to_owned)
        .collect();
    assert_eq!(words.len(), lines.len(), "{screen}");
    words
}

/// Issue 18.19: at a terminal, value flags complete nothing or their values, paths
/// complete directories (and files where a file is meant), refs complete no files.
#[test]
fn completion_at_a_terminal_offers_what_each_value_can_be() {
    for shell in ["bash", "zsh"] {
        if !have(shell) {
            continue;
        }
        let lines = [
            "klap-export wait --download cl",
            "klap-export --retries ",
            "klap-export --profile ",
            "klap-export list --jq ",
            "klap-export --base-url ",
            "klap-export status ex",
            "klap-export download -o clipf",
            "klap-export --api-key-file ex",
            "klap-export list --status proc",
            "klap-export shorts --download cl",
            "klap-export task status ex",
            "klap-export task create --clips ",
        ];
        let got = at_a_terminal(shell, &lines);
        let want = [
            "<wait><--download><clips/X>",
            "<--retries><X>",
            "<--profile><X>",
            "<list><--jq><X>",
            "<--base-url><X>",
            "<status><exX>",
            "<download><-o><clipfile><X>",
            "<--api-key-file><exp_file><X>",
            "<list><--status><processing><X>",
            "<shorts><--download><clips/X>",
            "<task><status><exX>",
            "<task><create><--clips><X>",
        ];
        assert_eq!(got, want, "{shell}");
    }
}
