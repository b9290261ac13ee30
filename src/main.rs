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
mod exit;
mod interrupt;
mod jq;
mod json;
mod model;
mod output;
mod profile;
mod progress;
mod sandbox;
mod save;
mod table;
mod text;
mod watch;

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::config::Ctx;

fn main() -> ExitCode {
    let cli = match cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        // Help, version (exit 0) or a usage error (exit 2), written as clap writes them.
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => exit::report(&err),
    }
}

fn run(cli: &Cli) -> anyhow::Result<()> {
    let ctx = || {
        let ctx = Ctx::resolve(&cli.global)?;
        interrupt::install();
        anyhow::Ok(ctx)
    };
    match &cli.command {
        Command::Create(a) => cmd::create::run(a, &ctx()?),
        Command::Status(a) => cmd::status::run(a, &ctx()?),
        Command::List(a) => cmd::list::run(a, &ctx()?),
        Command::Wait(a) => cmd::wait::run(a, &ctx()?),
        Command::Download(a) => cmd::download::run(a, &ctx()?),
        Command::Projects(a) => cmd::projects::run(a, &ctx()?),
        Command::Sandbox(a) => cmd::sandbox::run(a, cli.global.verbose),
        Command::Completions { shell } => cmd::completions::run(*shell),
        Command::Manpage => cmd::manpage::run(),
        Command::Auth(a) => cmd::auth::run(a, &cli.global),
    }
}
