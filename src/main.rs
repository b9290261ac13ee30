//! klap-export: parse, build the context, run one command, report the exit code.

#![warn(clippy::pedantic)]
// Doc comments are help text and prose; flag names in them need no backticks.
#![allow(clippy::doc_markdown)]
// Counting newlines to name a config file's line is not worth a crate.
#![allow(clippy::naive_bytecount)]

mod api;
mod cli;
mod cmd;
mod config;
mod credentials;
mod download;
mod exit;
mod interrupt;
mod jq;
mod json;
mod manifest;
mod model;
mod names;
mod output;
mod profile;
mod progress;
mod sandbox;
mod table;
mod task;
mod text;
mod values;
mod watch;

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::config::Ctx;

fn main() -> ExitCode {
    if stdout_closed() {
        // Not a pipe closed by its reader (that ends quietly) but no stdout at all: what
        // is printed would be lost, or land in whatever file takes descriptor 1 next.
        say!("klap-export: error: stdout is closed: nothing can be printed");
        return ExitCode::from(1);
    }
    let cli = match cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        // Help, version (exit 0) or a usage error (exit 2), written as clap writes them.
        Err(err) => return clap_exit(&err),
    };
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => exit::report(&err),
    }
}

/// Whether descriptor 1 was closed when we started (`klap-export list >&-`). Rust's
/// runtime then opens `/dev/null` read-write in its place, where a shell's `>/dev/null`
/// opens it write-only: told apart on Linux (`/proc`); elsewhere unknown (false).
fn stdout_closed() -> bool {
    const O_ACCMODE: u32 = 0o3;
    const O_RDWR: u32 = 0o2;
    let Ok(target) = std::fs::read_link("/proc/self/fd/1") else {
        return false;
    };
    let flags = std::fs::read_to_string("/proc/self/fdinfo/1")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("flags:"))?;
            u32::from_str_radix(line.trim_start_matches("flags:").trim(), 8).ok()
        });
    target == std::path::Path::new("/dev/null") && flags.is_some_and(|f| f & O_ACCMODE == O_RDWR)
}

/// Prints clap's help or error. An error quotes the user's own arguments: when they hold
/// characters that could drive the terminal, it is printed plain with those replaced.
fn clap_exit(err: &clap::Error) -> ExitCode {
    let code = u8::try_from(err.exit_code()).unwrap_or(2);
    let unsafe_args = std::env::args_os().any(|a| a.to_string_lossy().chars().any(text::is_unsafe));
    let printed = if unsafe_args {
        let plain = err.render().to_string();
        let lines: Vec<_> = plain.lines().map(text::sanitize).collect();
        writeln!(std::io::stderr(), "{}", lines.join("\n"))
    } else {
        err.print()
    };
    match printed {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            say!(
                "klap-export: error: cannot write the {}: {e}",
                if code == 0 { "help" } else { "error" }
            );
            ExitCode::from(1)
        }
        _ => ExitCode::from(code),
    }
}

fn run(cli: &Cli) -> anyhow::Result<()> {
    let flags = cmd::flags(&cli.global);
    let ctx = || {
        let ctx = Ctx::resolve(&flags)?;
        interrupt::install();
        anyhow::Ok(ctx)
    };
    match &cli.command {
        Command::Create(a) => cmd::create::run(a, &ctx()?, &cli.global),
        Command::Status(a) => cmd::status::run(a, &ctx()?),
        Command::List(a) => cmd::list::run(a, &ctx()?),
        Command::Wait(a) => cmd::wait::run(a, &ctx()?, &cli.global),
        Command::Download(a) => cmd::download::run(a, &ctx()?),
        Command::Projects(a) => cmd::projects::run(a, &ctx()?),
        Command::Task(a) => cmd::task::run(a, ctx),
        Command::Shorts(a) => cmd::shorts::run(a, &ctx()?),
        Command::Sandbox(a) => cmd::sandbox::run(a, flags.verbose),
        Command::Completions { shell } => cmd::completions::run(*shell),
        Command::Manpage => cmd::manpage::run(),
        Command::Auth(a) => cmd::auth::run(a, &flags),
    }
}
