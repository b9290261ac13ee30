//! `manpage`: a roff man page of every command and option, the environment variables and
//! the exit codes (clap_mangen renders each part; this puts them on one page).

use std::io::Write;

use clap::CommandFactory;
use clap_mangen::Man;

use crate::cli::Cli;

pub fn run() -> anyhow::Result<()> {
    let cmd = Cli::command();
    let mut page = Vec::new();
    // Title, name, synopsis, description, global options, commands, then the
    // after-help text: environment variables and exit codes.
    let mut top = Vec::new();
    Man::new(cmd.clone()).render(&mut top)?;
    // clap_mangen titles the after-help text EXTRA and fills it like prose: give it its
    // name and keep its lines (tables of variables and exit codes, example commands).
    let mut in_extra = false;
    for line in String::from_utf8_lossy(&top).lines() {
        if line == ".SH EXTRA" {
            writeln!(page, ".SH \"ENVIRONMENT, EXIT CODES AND EXAMPLES\"\n.nf")?;
            in_extra = true;
            continue;
        }
        if in_extra && line.starts_with(".SH ") {
            writeln!(page, ".fi")?;
            in_extra = false;
        }
        writeln!(page, "{line}")?;
    }
    if in_extra {
        writeln!(page, ".fi")?;
    }
    commands(&cmd, "klap-export", &mut page)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(())
}

/// A section for each command (and each command of a command, as `auth login`).
fn commands(cmd: &clap::Command, parent: &str, page: &mut Vec<u8>) -> std::io::Result<()> {
    for sub in cmd.get_subcommands() {
        let full = format!("{parent} {}", sub.get_name());
        writeln!(page, ".SH \"COMMAND: {}\"", full.to_uppercase())?;
        let man = Man::new(sub.clone().bin_name(&full));
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        man.render_description_section(&mut part)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut part)?;
        }
        if sub.get_after_help().is_some() {
            man.render_extra_section(&mut part)?;
        }
        // One page: each command's sections become subsections of its own.
        for line in String::from_utf8_lossy(&part).lines() {
            match line.strip_prefix(".SH ") {
                Some(title) => writeln!(page, ".SS {title}")?,
                None => writeln!(page, "{line}")?,
            }
        }
        commands(sub, &full, page)?;
    }
    Ok(())
}
