//! Every help text of the command tree reads as written at 80 columns.

use crate::{bin, run};

/// The help of `path` (`["auth", "login"]`) with `flag` (`--help` or `-h`), as clap
/// renders it when the terminal is `columns` wide.
fn help(path: &[String], flag: &str, columns: usize) -> String {
    let r = run(bin()
        .args(path)
        .arg(flag)
        .env("COLUMNS", columns.to_string())
        .env("LINES", "50"));
    assert_eq!(r.code, 0, "{path:?} {flag}: {}", r.stderr);
    r.stdout
}

/// The sections clap fills with arguments and commands; it wraps their descriptions into
/// their own column, so a wrapped line there still reads as part of its item.
fn is_clap_section(heading: &str) -> bool {
    // `Options:`, `Global options:`, `Task options:` (next_help_heading)...
    ["Commands:", "Arguments:"].contains(&heading)
        || heading.ends_with(" options:")
        || heading == "Options:"
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The subcommands listed in a help text's `Commands:` section (but `help`).
fn subcommands(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| indent(l) == 2)
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// Every command path of the tree, the top level (`[]`) first.
fn command_tree() -> Vec<Vec<String>> {
    let mut paths = vec![Vec::new()];
    let mut i = 0;
    while i < paths.len() {
        let path = paths[i].clone();
        for name in subcommands(&help(&path, "--help", 10_000)) {
            let mut sub = path.clone();
            sub.push(name);
            paths.push(sub);
        }
        i += 1;
    }
    paths
}

/// What is wrong with one help text: `wide` is it unwrapped, `narrow` at 80 columns.
fn faults(wide: &str, narrow: &str) -> Vec<String> {
    let mut faults = Vec::new();
    for line in narrow.lines() {
        if line.chars().count() > 80 {
            faults.push(format!("over 80 columns: {line:?}"));
        }
    }
    let mut heading = "";
    let mut previous = "";
    for line in wide.lines() {
        if indent(line) == 0 && line.ends_with(':') {
            heading = line;
        }
        let long = line.chars().count() > 80;
        // An indented line outside clap's sections is an item of a hand-made list (an
        // example, a variable, an exit code): wrapped, its rest starts at the list's
        // margin and reads as a new item.
        if long && indent(line) > 0 && !is_clap_section(heading) {
            faults.push(format!("wraps onto its block's margin: {line:?}"));
        }
        // A paragraph is one line of source, so clap wraps it whole at any width; hard
        // line breaks inside it come apart when it is rewrapped.
        if indent(line) == 0
            && indent(previous) == 0
            && !line.is_empty()
            && !previous.is_empty()
            && !previous.ends_with(':')
            && !line.starts_with("Usage:")
        {
            faults.push(format!(
                "a hard line break inside a paragraph: {previous:?}"
            ));
        }
        previous = line;
    }
    // Examples as the reader sees them at 80 columns: each starts at the margin (a
    // comment or a command), and only a line ending in ` \\` continues, indented.
    let (mut heading, mut previous) = ("", "");
    for line in narrow.lines() {
        if indent(line) == 0 {
            heading = line;
        }
        if heading == "Examples:" && indent(line) > 0 {
            let continued = previous.ends_with(" \\") && indent(previous) > 0;
            if continued && indent(line) <= 2 {
                faults.push(format!("a continuation not indented: {line:?}"));
            }
            if !continued && indent(line) != 2 {
                faults.push(format!("indented, but continues nothing: {line:?}"));
            } else if !continued
                && !line.trim_start().starts_with("# ")
                && !line
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_lowercase())
            {
                // `--download clips/`, `| jq`, `FOLDER_ID`: the rest of a command
                faults.push(format!("an example that starts with no command: {line:?}"));
            }
        }
        previous = line;
    }
    faults
}

#[test]
fn every_help_text_fits_80_columns_as_written() {
    let tree = command_tree();
    let names: Vec<String> = tree.iter().map(|p| p.join(" ")).collect();
    for name in [
        "create",
        "wait",
        "projects",
        "sandbox",
        "auth",
        "auth login",
    ] {
        assert!(names.iter().any(|n| n == name), "{name}: {names:?}");
    }
    let mut all = Vec::new();
    for path in &tree {
        for flag in ["--help", "-h"] {
            let wide = help(path, flag, 10_000);
            let narrow = help(path, flag, 80);
            for fault in faults(&wide, &narrow) {
                all.push(format!("klap-export {} {flag}: {fault}", path.join(" ")));
            }
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

/// The checks fail on each fault issue 18 found, and pass the fixed text.
#[test]
fn the_checks_see_what_a_reader_would() {
    let pipeline =
        "  klap-export projects F -q --top 5 | klap-export create - --reuse --download clips/";
    let wide = format!("Examples:\n{pipeline}\n");
    let narrow = "Examples:\n  klap-export projects F -q --top 5 | klap-export create - --reuse\n  --download clips/\n";
    assert_eq!(
        faults(&wide, narrow).len(),
        2,
        "{:?}",
        faults(&wide, narrow)
    );
    let split = "Examples:\n  klap-export projects F -q --top 5 \\\n    | klap-export create - --reuse --download clips/\n";
    assert_eq!(faults(split, split), Vec::<String>::new());
    let unsplit = "Examples:\n  klap-export projects F -q\n    --top 5\n";
    assert_eq!(faults(unsplit, unsplit).len(), 1);
    let broken = "Notes:\n\nOn a terminal the table\nfits its width.\n";
    assert_eq!(faults(broken, broken).len(), 1);
    let wide = "Environment:\n  KLAP_CONFIG        config file (default: klap-export/config.toml in $XDG_CONFIG_HOME)\n";
    let narrow = "Environment:\n  KLAP_CONFIG        config file (default: klap-export/config.toml in\n  $XDG_CONFIG_HOME)\n";
    assert_eq!(faults(wide, narrow).len(), 1);
    // clap's own wrapping of an option's help keeps to the help's column.
    let wide = "Options:\n      --status <STATE>  Only exports in this state (repeatable): processing, ready, error\n";
    let narrow = "Options:\n      --status <STATE>  Only exports in this state (repeatable): processing,\n                        ready, error\n";
    assert_eq!(faults(wide, narrow), Vec::<String>::new());
    assert_eq!(faults(wide, wide).len(), 1, "over 80 columns");
}

/// Whether `program` runs here; when not, the test says so and passes, except under CI
/// (`CI` set, as `.ci/run` installs it): there a missing program fails.
fn have(program: &str) -> bool {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found || std::env::var_os("CI").is_none(),
        "{program} is not installed, and CI is set: the man page test cannot be skipped"
    );
    if !found {
        crate::say_skipped(&format!(
            "{program} is not installed, the man page is not rendered with it"
        ));
    }
    found
}

/// The man page as `man -l` and `groff` show it at 80 columns.
fn rendered(page: &std::path::Path) -> Vec<(&'static str, String)> {
    let mut views = Vec::new();
    let utf8 = |cmd: &mut std::process::Command| {
        cmd.env("LC_ALL", "C.UTF-8").env("MANWIDTH", "80").arg(page);
        let out = cmd.output().expect("render the man page");
        assert!(out.status.success(), "{out:?}");
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Minus signs as hyphens, so the text can be searched as typed.
        String::from_utf8_lossy(&out.stdout).replace('−', "-")
    };
    if have("man") {
        views.push((
            "man -l",
            utf8(std::process::Command::new("man").args(["-P", "cat", "-l"])),
        ));
    }
    if have("groff") {
        let mut groff = std::process::Command::new("groff");
        groff.args(["-man", "-Tutf8", "-rLL=80n", "-P-cbou", "-ww"]);
        views.push(("groff", utf8(&mut groff)));
    }
    views
}

#[test]
fn the_man_page_is_one_page_that_reads_at_80_columns() {
    let r = run(bin().arg("manpage"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let roff = r.stdout;
    let tree = command_tree();
    // One page: no references to pages per command, which do not exist.
    for path in &tree[1..] {
        let page = format!("klap\\-export\\-{}", path.join("\\-"));
        assert!(!roff.contains(&page), "{page}");
    }
    assert!(!roff.contains(".BR klap"), "a reference to another page");
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("klap-export.1");
    std::fs::write(&page, &roff).unwrap();
    for (how, text) in rendered(&page) {
        for path in &tree[1..] {
            let title = format!("COMMAND: KLAP-EXPORT {}", path.join(" ").to_uppercase());
            assert!(text.contains(&title), "{how}: no {title}");
        }
        for section in ["ENVIRONMENT", "EXIT STATUS", "EXAMPLES"] {
            assert!(text.contains(&format!("\n{section}\n")), "{how}: {section}");
        }
        for whole in [
            "klap-export status <EXPORT_REF>...",
            "klap-export create [OPTIONS] <PROJECT_REF>...",
            "https://api.klap.app/v2",
            "KLAP_API_KEY_FILE",
            "klap-export projects FOLDER_ID -q --top 5 \\\n",
        ] {
            assert!(
                text.contains(whole),
                "{how}: {whole:?} is not whole:\n{text}"
            );
        }
        for section in text.split("\nCOMMAND: ") {
            let notes = section.matches("\n   NOTES\n").count();
            assert!(notes <= 1, "{how}: {notes} NOTES headings in {section}");
        }
        for line in text.lines() {
            assert!(
                line.chars().count() <= 80,
                "{how}: over 80 columns: {line:?}"
            );
            // U+2010 is the hyphen roff puts where it breaks a word.
            assert!(!line.ends_with('‐'), "{how}: a word broken: {line:?}");
        }
    }
}

/// The first ```sh block of the README after the line `after`.
fn readme_block(after: &str) -> String {
    let readme = include_str!("../../README.md");
    let rest = &readme[readme.find(after).expect(after)..];
    let start = rest.find("```sh\n").expect("a sh block") + "```sh\n".len();
    rest[start..][..rest[start..].find("```").unwrap()].to_owned()
}

/// Runs README lines with bash in the repository, with a fresh HOME and the binary's
/// folder and `~/.local/bin` on PATH; returns stdout.
fn run_in_fresh_home(home: &std::path::Path, script: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin("klap-export");
    let path = format!(
        "{}/.local/bin:{}:/usr/local/bin:/usr/bin:/bin",
        home.display(),
        bin.parent().unwrap().display()
    );
    std::fs::create_dir_all(home.join(".local/bin")).unwrap();
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-euo", "pipefail", "-c", script])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .env("HOME", home)
        .env("PATH", path)
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    assert!(out.status.success(), "{script}\n{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Issue 18.24: the README's install steps work in a HOME that has none of the folders.
#[test]
fn the_readme_install_steps_work_in_a_fresh_home() {
    let readme = include_str!("../../README.md");
    assert!(!readme.contains("--ndjson"), "--ndjson does not exist");
    assert!(readme.contains("cargo install --path . --locked"));
    assert!(!readme.contains("cargo install --path .\n"));
    let home = tempfile::tempdir().unwrap();
    // Completions, but PowerShell's (a line for $PROFILE, not a step to run here).
    let steps: String = readme_block("### Shell completions")
        .lines()
        .filter(|l| !l.contains("Invoke-Expression"))
        .map(|l| format!("{l}\n"))
        .collect();
    run_in_fresh_home(home.path(), &steps);
    for file in [
        ".local/share/bash-completion/completions/klap-export",
        ".zfunc/_klap-export",
        ".config/fish/completions/klap-export.fish",
        ".config/elvish/lib/klap-export.elv",
    ] {
        assert!(home.path().join(file).is_file(), "{file}");
    }
    // bash-completion loads the script from there the first time klap-export is completed.
    let loader = "/usr/share/bash-completion/bash_completion";
    if std::path::Path::new(loader).exists() {
        let found = run_in_fresh_home(
            home.path(),
            &format!(
                "set +u; source {loader}; __load_completion klap-export \
                 || _completion_loader klap-export; complete -p klap-export"
            ),
        );
        assert!(found.contains("-F _klap__export"), "{found}");
    } else {
        assert!(std::env::var_os("CI").is_none(), "CI needs bash-completion");
        crate::say_skipped("bash-completion is not installed, its loading is not tried");
    }
    // The man page: written where the README says, and found by man as it says.
    run_in_fresh_home(home.path(), &readme_block("The man page, one page"));
    if have("man") {
        let found = run_in_fresh_home(home.path(), "man -w klap-export");
        let page = home.path().join(".local/share/man/man1/klap-export.1");
        assert_eq!(found.trim(), page.display().to_string());
    }
}
