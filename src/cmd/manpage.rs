//! `manpage`: one roff man page of every command and option, the environment variables,
//! the exit codes and examples. clap_mangen renders the options; the rest is laid out
//! here, from the same help text, so that the page reads well at 80 columns.

use std::fmt::Write as _;
use std::io::Write;

use clap::CommandFactory;
use clap_mangen::Man;

use crate::cli::Cli;

pub fn run() -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(&page()?)?;
    out.flush()?;
    Ok(())
}

/// The whole page.
pub fn page() -> std::io::Result<Vec<u8>> {
    let cmd = with_usage(Cli::command(), "klap-export");
    let man = Man::new(cmd.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    // No hyphenation and a ragged right margin: IDs, variables and URLs stay whole.
    writeln!(page, ".nh\n.ad l")?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    // clap_mangen names a page per command (klap-export-create(1)); this page has them
    // all, each in its own section below.
    writeln!(page, ".SH COMMANDS")?;
    for sub in cmd.get_subcommands() {
        writeln!(page, ".TP\n\\fB{}\\fR", roff(sub.get_name()))?;
        if let Some(about) = sub.get_about() {
            writeln!(page, "{}", roff(&about.to_string()))?;
        }
    }
    writeln!(
        page,
        ".PP\nEach command has a section below. The global options apply to all of them."
    )?;
    commands(&cmd, "klap-export", &mut page)?;
    if let Some(text) = cmd.get_after_help() {
        extra(&text.to_string(), true, &mut page)?;
    }
    man.render_version_section(&mut page)?;
    Ok(page)
}

/// The command with clap's own usage line as its synopsis: `<EXPORT_REF>...` shows
/// that several refs may be given, and `[OPTIONS]` keeps the line short (the options
/// are listed below it).
fn with_usage(cmd: clap::Command, name: &str) -> clap::Command {
    let cmd = cmd.bin_name(name);
    // Rendered from a copy: building the command itself would copy the global options
    // into every subcommand, and list them again in each command's section.
    let usage = cmd.clone().render_usage().to_string();
    let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage).to_owned();
    cmd.override_usage(usage)
}

/// A section for each command (and each command of a command, as `auth login`).
fn commands(cmd: &clap::Command, parent: &str, page: &mut Vec<u8>) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let full = format!("{parent} {}", sub.get_name());
        writeln!(page, ".SH \"COMMAND: {}\"", roff(&full.to_uppercase()))?;
        let sub = with_usage(sub.clone(), &full);
        let man = Man::new(sub.clone());
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        man.render_description_section(&mut part)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut part)?;
        }
        // Each command's sections become subsections of its own.
        for line in String::from_utf8_lossy(&part).lines() {
            match line.strip_prefix(".SH ") {
                Some(title) => writeln!(page, ".SS {title}")?,
                None => writeln!(page, "{line}")?,
            }
        }
        if let Some(text) = sub.get_after_help() {
            extra(&text.to_string(), false, page)?;
        }
        if sub.has_subcommands() {
            writeln!(page, ".SS COMMANDS")?;
            for s in sub.get_subcommands().filter(|s| s.get_name() != "help") {
                writeln!(page, ".TP\n\\fB{} {}\\fR", roff(&full), roff(s.get_name()))?;
                if let Some(about) = s.get_about() {
                    writeln!(page, "{}", roff(&about.to_string()))?;
                }
            }
        }
        commands(&sub, &full, page)?;
    }
    Ok(())
}

/// An after-help text, block by block (blocks are parted by blank lines). `Heading:`
/// starts a section (top level) or subsection; the Environment list becomes tagged
/// paragraphs, which roff wraps; other lists (exit codes, examples) stay as written,
/// one level less indented; a paragraph is filled.
fn extra(text: &str, top: bool, page: &mut Vec<u8>) -> std::io::Result<()> {
    let mut in_notes = false;
    for block in text.split("\n\n") {
        let mut lines = block.lines().peekable();
        let Some(heading) = lines.next_if(|l| !l.starts_with(' ') && l.ends_with(':')) else {
            // Paragraphs after a list go under a heading of their own, not the list's.
            let title = match (in_notes, top) {
                (true, _) => ".PP",
                (false, true) => ".SH NOTES",
                (false, false) => ".SS NOTES",
            };
            writeln!(page, "{title}\n{}", roff(&block.replace('\n', " ")))?;
            in_notes = true;
            continue;
        };
        in_notes = false;
        let heading = heading.trim_end_matches(':');
        let title = match heading {
            "Exit codes" if top => "EXIT STATUS".to_string(),
            _ => heading.to_uppercase(),
        };
        writeln!(
            page,
            ".{} \"{}\"",
            if top { "SH" } else { "SS" },
            roff(&title)
        )?;
        let items: Vec<&str> = lines.map(|l| l.strip_prefix("  ").unwrap_or(l)).collect();
        if heading == "Environment" {
            environment(&items, page)?;
            continue;
        }
        writeln!(page, ".nf")?;
        for item in items {
            writeln!(page, "{}", roff(item))?;
        }
        writeln!(page, ".fi")?;
    }
    Ok(())
}

/// `NAME  what it is` lines, a description going on in lines of its own (indented).
fn environment(items: &[&str], page: &mut Vec<u8>) -> std::io::Result<()> {
    for item in items {
        if item.starts_with(' ') {
            writeln!(page, "{}", roff(item.trim()))?;
            continue;
        }
        let (name, what) = item.split_once(' ').unwrap_or((item, ""));
        writeln!(page, ".TP\n.B {}\n{}", roff(name), roff(what.trim()))?;
    }
    Ok(())
}

/// Text as roff shows it literally: backslashes and hyphens escaped (a bare `-` may
/// be set as a hyphen and broken at), other than ASCII as `\[uXXXX]` (troff reads
/// bytes, not UTF-8), and a leading `.` or `'` kept from being read as a request.
fn roff(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\e"),
            '-' => escaped.push_str("\\-"),
            c if c.is_ascii() => escaped.push(c),
            c => {
                let _ = write!(escaped, "\\[u{:04X}]", u32::from(c));
            }
        }
    }
    let text = escaped;
    if text.starts_with(['.', '\'']) {
        format!("\\&{text}")
    } else {
        text
    }
}
