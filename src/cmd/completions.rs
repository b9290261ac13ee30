//! `completions SHELL`: print a completion script, generated from the clap tree.

use std::fmt::Write as _;
use std::io::{self, Write};

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

const BIN: &str = "klap-export";

pub fn run(shell: Shell) -> anyhow::Result<()> {
    write(shell, &mut io::stdout().lock())?;
    Ok(())
}

/// Writes the completion script for `shell`.
pub fn write(shell: Shell, out: &mut impl Write) -> io::Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), BIN, &mut script);
    let script = String::from_utf8_lossy(&script);
    let script = match shell {
        Shell::Bash => fix_bash(&script),
        Shell::Fish => fix_fish(&script) + &fish_positionals(&Cli::command()),
        _ => script.into_owned(),
    };
    out.write_all(script.as_bytes())?;
    out.flush()
}

/// Works around clap_complete's bash bug with hyphenated binary names
/// (clap-rs/clap#6421): the loop that walks the words sets `cmd` to
/// `klap__export__subcmd__list`, but the `case` arm that lists `list`'s options
/// is labelled `klap__subcmd__export__subcmd__list` (the `-` in the binary name
/// was escaped as a subcommand separator), so nothing after a subcommand ever
/// completed. Relabel the arms the way the loop spells them. The text replaced
/// occurs only in those labels; once clap_complete is fixed it no longer occurs
/// and this does nothing.
///
/// It also registers the function with `-o bashdefault -o default`, which falls back
/// to file names whenever the function offers nothing: after `status` (export refs) or
/// `--download` with no directory matching. The arms complete files themselves where a
/// file is meant (`compgen -f` for a path, `plusdirs` for a directory), so leave both
/// out.
fn fix_bash(script: &str) -> String {
    script
        .replace("klap__subcmd__export__subcmd__", "klap__export__subcmd__")
        .replace(" -o bashdefault -o default ", " ")
}

/// clap_complete's fish script decides whether the line has a command yet by parsing
/// the words before the cursor; `klap-export --retries <TAB>` ends them with an option
/// that lacks its value, the parse fails, and so no option's rule applies: fish offered
/// file names for the value. Parse once more without that last word. (Once clap_complete
/// changes that text, this does nothing; the completion tests say so.)
fn fix_fish(script: &str) -> String {
    let func = format!("__fish_{}_global_optspecs", BIN.replace('-', "_"));
    let parse = format!("    argparse -s ({func}) -- $cmd 2>/dev/null\n");
    script.replace(
        &format!("{parse}    or return\n"),
        &format!(
            "{parse}    or begin\n        set -e cmd[-1]\n    {parse}    end\n    or return\n"
        ),
    )
}

/// clap_complete's fish generator leaves out positional arguments (said in its
/// docs), so `klap-export completions <TAB>` offered file names. Add a line
/// for each subcommand's positional that has a fixed set of values, and one that
/// turns file names off where the positional is a ref or an ID.
fn fish_positionals(cli: &clap::Command) -> String {
    let mut lines = String::new();
    let func = format!("__fish_{}_using_subcommand", BIN.replace('-', "_"));
    for sub in cli.get_subcommands() {
        for arg in sub.get_positionals() {
            let values: Vec<_> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_owned())
                .collect();
            if !values.is_empty() {
                // The condition as the generated lines spell it; the values
                // are offered until one of them is on the line.
                let (sub, values) = (sub.get_name(), values.join(" "));
                let seen = format!("__fish_seen_subcommand_from {values}");
                let _ = writeln!(
                    lines,
                    "complete -c {BIN} -n \"{func} {sub}; and not {seen}\" -f -a \"{values}\""
                );
            } else if arg.get_value_hint() == clap::ValueHint::Other {
                // Refs and IDs: no file names (fish offers them unless told not to).
                let _ = writeln!(
                    lines,
                    "complete -c {BIN} -n \"{func} {}\" -f",
                    sub.get_name()
                );
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each value an option or positional takes says what it is, so the shells offer
    /// files only where a path goes (clap's default, `ValueHint::Unknown`, means files).
    #[test]
    fn every_value_has_a_hint_or_its_values() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values())
                    || arg.get_action().takes_values();
                if takes_value
                    && arg.get_value_hint() == clap::ValueHint::Unknown
                    && arg.get_possible_values().is_empty()
                {
                    missing.push(format!("{path} {}", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), BIN, &mut missing);
        assert!(missing.is_empty(), "no value_hint: {missing:?}");
    }

    #[test]
    fn bash_case_arms_match_the_states_the_loop_sets() {
        let mut out = Vec::new();
        write(Shell::Bash, &mut out).unwrap();
        let script = String::from_utf8(out).unwrap();
        assert!(!script.contains("klap__subcmd__export"));
        // Every state the loop can set (`cmd="..."`) has an arm `STATE)`.
        let states: Vec<&str> = script
            .lines()
            .filter_map(|l| l.trim().strip_prefix("cmd=\"")?.strip_suffix('"'))
            .filter(|state| !state.is_empty())
            .collect();
        assert!(states.len() > 10, "{states:?}");
        for state in states {
            assert!(
                script.contains(&format!("\n        {state})\n")),
                "no case arm for {state}"
            );
        }
    }
}
