//! The command-line tree. Doc comments are the help text.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use std::ffi::OsString;

use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueHint};

use crate::model::{ExportRef, ProjectRef, State};
use crate::names::Template;
use crate::values::{
    ColorChoice, Format, parse_count, parse_duration, parse_interval, parse_positive_duration,
};

const AFTER_HELP: &str = "\
Environment:
  KLAP_API_KEY           the API key (no flag takes the key itself)
  KLAP_API_KEY_FILE      file holding the key (--api-key-file, KLAP_API_KEY win)
  KLAP_BASE_URL          API root (default https://api.klap.app/v2)
  KLAP_FORMAT            output format: table, json, ndjson, tsv
  KLAP_HTTP_TIMEOUT      per-request timeout (default 30s)
  KLAP_RETRIES           retries of a failed safe request (default 3)
  KLAP_PROFILE           profile of the config file (default: default); unlike
                         the --profile flag, the KLAP_* variables come first
  KLAP_CONFIG            config file (default: klap-export/config.toml
                         in $XDG_CONFIG_HOME, else in ~/.config)
  KLAP_CREDENTIALS_FILE  where auth login stores keys (default: see auth --help)
  NO_COLOR               turn colour off
  CLICOLOR_FORCE         turn colour on, also when not a terminal

Exit codes:
  0 success          1 error (network, server, response, I/O)
  2 usage            3 not found           4 authentication
  5 export failed    6 wait deadline passed
  130 interrupted (Ctrl-C), 143 SIGTERM, 129 SIGHUP
  Several refs: the first that applies of 4, 3, 1, 5, 6, 0

Examples:
  # offline, in-process sandbox: a video to the MP4s of its 3 best shorts
  klap-export --sandbox shorts https://example.com/talk.mp4 --top 3 \\
    --download clips/
  # try it offline: create, wait and download against an in-process sandbox
  klap-export --sandbox create demo/clip --download .
  # export the five most viral shorts of a folder into the directory clips/
  klap-export projects FOLDER_ID -q --top 5 \\
    | klap-export create - --reuse --download clips/
  # wait for everything still processing
  klap-export list --status processing -q | klap-export wait -
  # the video URL of one export
  klap-export status EXPORT_REF --json | jq -r .src_url";

/// The one line that stands for the global options in a subcommand's help.
const SEE_GLOBAL: &str =
    "Global options (--json, -q, --format, --base-url, --sandbox, ...): see `klap-export --help`";

/// Start, check, list, wait for and download Klap video exports.
#[derive(Debug, Parser)]
#[command(name = "klap-export", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// The tree as it is parsed and its help shown (completions use `Cli::command()`, which
/// keeps every option). `color` also governs clap's own errors and help.
pub fn command(color: clap::ColorChoice) -> clap::Command {
    let cmd = Cli::command().color(color);
    // A subcommand that already has an argument does not get the global one again, so
    // hidden copies keep the global options working there but out of its help, which
    // gets one line pointing to the top-level help instead.
    let hidden: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| a.clone().hide(true))
        .collect();
    cmd.mut_subcommands(|sc| {
        let after = match sc.get_after_help() {
            Some(text) => format!("{SEE_GLOBAL}\n\n{text}"),
            None => SEE_GLOBAL.to_string(),
        };
        sc.args(hidden.iter().cloned()).after_help(after)
    })
}

/// Parses the command line, with the checks clap cannot express.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Cli, clap::Error> {
    let args: Vec<OsString> = args.into_iter().collect();
    let color = match crate::text::color_arg(args.iter().skip(1).cloned()).as_deref() {
        Some("always") => clap::ColorChoice::Always,
        Some("never") => clap::ColorChoice::Never,
        _ => clap::ColorChoice::Auto,
    };
    let mut cmd = command(color);
    let matches = cmd
        .try_get_matches_from_mut(&args)
        .map_err(|e| output_flag(e, &args, &mut cmd))?;
    let cli = Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut cmd))?;
    let Some(message) = RULES.iter().find_map(|rule| rule(&cli, &matches)) else {
        return Ok(cli);
    };
    // Said as clap says its own conflicts, with the usage line of the subcommand.
    let mut sc = matches
        .subcommand_name()
        .and_then(|name| cmd.find_subcommand(name))
        .cloned()
        .unwrap_or_else(|| cmd.clone());
    Err(sc.error(clap::error::ErrorKind::ArgumentConflict, message))
}

/// `wait X -o clips/`: clap's tip (`-- -o`) would make `-o` a ref; `--download` is meant.
fn output_flag(e: clap::Error, args: &[OsString], cmd: &mut clap::Command) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else {
        return e;
    };
    let output = arg == "-o" || arg.starts_with("--output") || arg.starts_with("-o");
    let sub = args
        .iter()
        .skip(1)
        .find_map(|a| a.to_str().filter(|a| ["wait", "create"].contains(a)));
    match (
        e.kind(),
        sub,
        cmd.clone().find_subcommand(sub.unwrap_or_default()),
    ) {
        (ErrorKind::UnknownArgument, Some(sub), Some(sc)) if output => sc.clone().error(
            ErrorKind::UnknownArgument,
            format!("unexpected argument '{arg}' found; {sub} downloads with --download PATH"),
        ),
        _ => e,
    }
}

/// A rule across flags: the usage error's message when the command line breaks it.
type Rule = fn(&Cli, &clap::ArgMatches) -> Option<String>;

/// Checked in this order; the first broken one is the error.
const RULES: [Rule; 8] = [
    one_output_choice,
    jq_needs_json,
    format_needs_exports,
    sandbox_brings_its_own,
    stdin_holds_one_thing,
    auth_needs_a_real_api,
    no_sandbox_in_sandbox,
    wait_options_need_wait,
];

/// clap checks conflicts among the options of one level only (`list -q --json`),
/// not across levels (`-q list --json`).
fn one_output_choice(cli: &Cli, _: &clap::ArgMatches) -> Option<String> {
    let g = &cli.global;
    let flags = [
        ("--quiet", g.quiet),
        ("--json", g.json),
        ("--format <FORMAT>", g.format.is_some()),
    ];
    match flags.iter().filter(|(_, on)| *on).collect::<Vec<_>>()[..] {
        [(a, _), (b, _), ..] => Some(format!("the argument '{a}' cannot be used with '{b}'")),
        _ => None,
    }
}

fn jq_needs_json(cli: &Cli, _: &clap::ArgMatches) -> Option<String> {
    let g = &cli.global;
    g.jq.as_ref()?;
    let conflict = match (g.quiet, g.format) {
        (true, _) => "--quiet".to_string(),
        (false, Some(f)) if f != Format::Json => format!("--format {f:?}").to_lowercase(),
        _ => return None,
    };
    Some(format!(
        "--jq filters the JSON output: it cannot be used with {conflict}"
    ))
}

fn format_needs_exports(cli: &Cli, matches: &clap::ArgMatches) -> Option<String> {
    let g = &cli.global;
    let formatted = g.jq.is_some() || g.json || g.format.is_some();
    (formatted && !cli.command.has_formats()).then(|| {
        let name = matches.subcommand_name().unwrap_or_default();
        format!("{name} prints no exports: --json, --format and --jq do not apply")
    })
}

fn sandbox_brings_its_own(cli: &Cli, _: &clap::ArgMatches) -> Option<String> {
    let g = &cli.global;
    (g.sandbox && (g.base_url.is_some() || g.api_key_file.is_some() || g.profile.is_some()))
        .then(|| {
            "--sandbox brings its own base URL and key: leave out --base-url, --api-key-file and --profile".into()
        })
}

fn stdin_holds_one_thing(cli: &Cli, _: &clap::ArgMatches) -> Option<String> {
    let key_on_stdin = cli.global.api_key_file.as_deref() == Some(std::path::Path::new("-"));
    (key_on_stdin && cli.command.reads_refs_from_stdin())
        .then(|| "stdin cannot hold both the key (--api-key-file -) and the refs (-)".into())
}

fn auth_needs_a_real_api(cli: &Cli, _: &clap::ArgMatches) -> Option<String> {
    (cli.global.sandbox && matches!(cli.command, Command::Auth(_)))
        .then(|| "auth manages the key of a real API: leave out --sandbox".into())
}

fn no_sandbox_in_sandbox(cli: &Cli, _: &clap::ArgMatches) -> Option<String> {
    (cli.global.sandbox && matches!(cli.command, Command::Sandbox(_))).then(|| {
        "--sandbox runs one command against its own sandbox; \
         the sandbox command serves one: leave out --sandbox"
            .into()
    })
}

/// Options of `wait` mean nothing to `create` unless it waits.
fn wait_options_need_wait(cli: &Cli, matches: &clap::ArgMatches) -> Option<String> {
    let (Command::Create(a), Some((_, m))) = (&cli.command, matches.subcommand()) else {
        return None;
    };
    if a.wait || a.wait_args.download.is_some() {
        return None;
    }
    WaitArgs::augment_args(clap::Command::new("wait"))
        .get_arguments()
        .map(|arg| arg.get_id().as_str().to_string())
        .find(|id| id != "download" && m.value_source(id) == Some(ValueSource::CommandLine))
        .map(|id| format!("--{} needs --wait (or --download)", id.replace('_', "-")))
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
#[allow(
    clippy::struct_excessive_bools,
    reason = "one field per flag, as clap wants"
)]
pub struct Global {
    /// API root [env: KLAP_BASE_URL] [default: https://api.klap.app/v2]
    #[arg(value_hint = ValueHint::Other, long, global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// File holding the API key ('-' reads it from stdin) [env: KLAP_API_KEY_FILE]
    #[arg(value_hint = ValueHint::FilePath, long, global = true, value_name = "PATH")]
    pub api_key_file: Option<PathBuf>,

    /// Output format [env: KLAP_FORMAT] [default: table]
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Same as --format json
    #[arg(long, global = true, conflicts_with = "format")]
    pub json: bool,

    /// Print only export refs, one a line; no progress
    #[arg(short, long, global = true, conflicts_with_all = ["json", "format"])]
    pub quiet: bool,

    /// Colour on stdout and stderr [default: auto; NO_COLOR, CLICOLOR_FORCE apply]
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<ColorChoice>,

    /// No spinner, no progress lines (errors, saved files and the summary stay)
    #[arg(long, global = true)]
    pub no_progress: bool,

    /// Log each HTTP request to stderr: method, URL, status, time
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Timeout of each HTTP request (90, 500ms, 30s, 5m, 1h30m) [env: KLAP_HTTP_TIMEOUT] [default: 30s]
    #[arg(value_hint = ValueHint::Other, long, global = true, value_name = "DURATION", allow_hyphen_values = true,
          value_parser = parse_positive_duration)]
    pub http_timeout: Option<Duration>,

    /// Retries of a failed safe request, 0 disables [env: KLAP_RETRIES] [default: 3]
    #[arg(value_hint = ValueHint::Other, long, global = true, value_name = "N", allow_negative_numbers = true,
          value_parser = parse_count::<u32>)]
    pub retries: Option<u32>,

    /// Run this one command against an in-process sandbox
    #[arg(long, global = true)]
    pub sandbox: bool,

    /// Profile of the config file to use [env: KLAP_PROFILE] [default: default]
    #[arg(value_hint = ValueHint::Other, long, global = true, value_name = "NAME", value_parser = crate::model::parse_id)]
    pub profile: Option<String>,

    /// Filter the JSON output with a jq expression (jaq): a result a line, strings raw
    ///
    /// jq's language and builtins (jq 1.7/1.8), run by jaq. Still unlike jq: no `?//`
    /// destructuring alternatives, no modules (`import`, `include`, `modulemeta`), one
    /// input (`input` fails), regular expressions without look-around or
    /// backreferences, `getpath`/`setpath` paths of any depth, some rarer errors in
    /// jaq's words, and a value nested deeper than 10,000 levels is an error rather
    /// than printed. Recursion without end is an error (exit 1), never a crash.
    #[arg(value_hint = ValueHint::Other, long, global = true, value_name = "EXPR")]
    pub jq: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// A video URL to the MP4s of its best shorts, in one re-runnable command
    #[command(after_help = SHORTS_HELP)]
    Shorts(ShortsArgs),

    /// Start and follow the Klap tasks that turn a video into shorts
    Task(TaskArgs),

    /// Start exports of projects (then wait and download with --wait / --download)
    #[command(after_help = "\
Examples:
  klap-export create FOLDER_ID/PROJECT_ID
  klap-export wait $(klap-export create FOLDER_ID/PROJECT_ID -q)
  klap-export create PROJECT_ID --download . \\
    --watermark https://example.com/logo.png")]
    Create(CreateArgs),

    /// Show the current state of exports
    Status(StatusArgs),

    /// List exports, filtered by folder / project / state
    #[command(after_help = "\
Examples:
  klap-export list --folder FOLDER_ID --status ready
  klap-export list --project PROJECT_ID --limit 5
  klap-export list --status ready --json | jq -r '.[].src_url'

On a terminal the table fits its width: URL (keeping its end), then NAME, are cut \
with …; then the least useful columns are left out (ID and STATUS always show; the \
others are kept in this order while they fit: CREATED, NAME, URL, PROJECT, FINISHED, \
FOLDER). Piped, every value is printed in full.")]
    List(ListArgs),

    /// Wait until exports are ready (spinner on a terminal)
    #[command(after_help = "\
Examples:
  klap-export wait FOLDER_ID/PROJECT_ID/EXPORT_ID --timeout 10m
  klap-export wait $(klap-export create FOLDER_ID/PROJECT_ID -q) \\
    --download .
  klap-export wait EXPORT_ID --json | jq -r .src_url")]
    Wait(WaitCmdArgs),

    /// Download the MP4s of ready exports
    #[command(after_help = "\
Examples:
  klap-export download FOLDER_ID/PROJECT_ID/EXPORT_ID
  klap-export download EXPORT_ID -o clips/ --force
  klap-export download EXPORT_ID -o - | ffprobe -")]
    Download(DownloadArgs),

    /// List the projects (shorts) of a folder, best first
    #[command(after_help = "\
Examples:
  klap-export projects FOLDER_ID --top 5
  klap-export projects FOLDER_ID -q --top 5 \\
    | klap-export create - --reuse --download clips/")]
    Projects(ProjectsArgs),

    /// Serve a local emulation of the exports API (offline use, CI)
    Sandbox(SandboxArgs),

    /// Print a shell completion script
    #[command(after_help = "\
Examples:
  # bash (needs the bash-completion package); the folders may not exist yet
  mkdir -p ~/.local/share/bash-completion/completions ~/.zfunc
  klap-export completions bash \\
    > ~/.local/share/bash-completion/completions/klap-export
  # zsh: with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc
  klap-export completions zsh > ~/.zfunc/_klap-export
  klap-export completions fish \\
    > ~/.config/fish/completions/klap-export.fish")]
    Completions {
        /// The shell to write the script for
        shell: clap_complete::Shell,
    },

    /// Print the man page (roff)
    #[command(after_help = "\
Examples:
  # man reads ~/.local/share/man when ~/.local/bin is on PATH (manpath(1));
  # else add it: export MANPATH=\"$HOME/.local/share/man:\"
  mkdir -p ~/.local/share/man/man1
  klap-export manpage > ~/.local/share/man/man1/klap-export.1")]
    Manpage,

    /// Store, check and remove the API key of a profile
    #[command(after_help = "\
Examples:
  pass show klap | klap-export auth login --profile staging
  klap-export auth status --profile staging
  klap-export auth logout --profile staging

The key is stored in $KLAP_CREDENTIALS_FILE, else klap-export/credentials.toml in \
$XDG_CONFIG_HOME or ~/.config (mode 0600), never beside KLAP_CONFIG. Any profile name \
can log in: its stored key makes the profile exist. The stored key is the last source \
of the key: --api-key-file, KLAP_API_KEY, KLAP_API_KEY_FILE and the profile's \
api_key_command and api_key_file come before it (with an explicit --profile, the \
profile's sources come before the variables).")]
    Auth(AuthArgs),
}

#[derive(Debug, Args)]
pub struct AuthArgs {
    #[command(subcommand)]
    pub action: AuthAction,
}

#[derive(Debug, Subcommand)]
pub enum AuthAction {
    /// Check and store the profile's API key (read from stdin when piped, else prompted for)
    Login {
        /// Store the key without checking it with the API
        #[arg(long)]
        no_verify: bool,
    },
    /// Show the profile, base URL, where the key comes from and whether the API accepts it
    Status,
    /// Remove the profile's stored key
    Logout,
}

impl Command {
    /// Whether the command takes its refs from stdin (`-`).
    fn reads_refs_from_stdin(&self) -> bool {
        fn stdin<T>(args: &[RefArg<T>]) -> bool {
            args.iter().any(|a| matches!(a, RefArg::Stdin))
        }
        match self {
            Command::Create(a) => stdin(&a.projects),
            Command::Status(a) => stdin(&a.refs),
            Command::Wait(a) => stdin(&a.refs),
            Command::Download(a) => stdin(&a.refs),
            Command::Projects(a) => stdin(&a.folders),
            Command::List(_)
            | Command::Shorts(_)
            | Command::Task(_)
            | Command::Sandbox(_)
            | Command::Completions { .. }
            | Command::Manpage
            | Command::Auth(_) => false,
        }
    }

    /// Whether --json, --format and --jq apply: the command prints exports or other data
    /// (not a script, a page or a server's address).
    fn has_formats(&self) -> bool {
        match self {
            Command::Create(_)
            | Command::Status(_)
            | Command::List(_)
            | Command::Wait(_)
            | Command::Download(_)
            | Command::Projects(_)
            | Command::Shorts(_)
            | Command::Task(_)
            | Command::Auth(_) => true,
            Command::Sandbox(_) | Command::Completions { .. } | Command::Manpage => false,
        }
    }
}

/// One ref argument: a ref, or `-` for refs read from stdin, one a line.
#[derive(Debug, Clone)]
pub enum RefArg<T> {
    Stdin,
    Ref(T),
}

fn export_ref_arg(s: &str) -> Result<RefArg<ExportRef>, String> {
    if s == "-" {
        return Ok(RefArg::Stdin);
    }
    ExportRef::parse(s).map(RefArg::Ref)
}

fn project_ref_arg(s: &str) -> Result<RefArg<ProjectRef>, String> {
    if s == "-" {
        return Ok(RefArg::Stdin);
    }
    ProjectRef::parse(s).map(RefArg::Ref)
}

const EXPORT_REF_HELP: &str =
    "EXPORT_ID, PROJECT_ID/EXPORT_ID or FOLDER_ID/PROJECT_ID/EXPORT_ID; '-' reads them from stdin";

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[arg(value_hint = ValueHint::Other, required = true, value_name = "EXPORT_REF", value_parser = export_ref_arg, help = EXPORT_REF_HELP)]
    pub refs: Vec<RefArg<ExportRef>>,
}

#[derive(Debug, Args)]
pub struct WaitCmdArgs {
    #[arg(value_hint = ValueHint::Other, required = true, value_name = "EXPORT_REF", value_parser = export_ref_arg, help = EXPORT_REF_HELP)]
    pub refs: Vec<RefArg<ExportRef>>,
    #[command(flatten)]
    pub wait: WaitArgs,
}

#[derive(Debug, Args)]
pub struct DownloadArgs {
    #[arg(value_hint = ValueHint::Other, required = true, value_name = "EXPORT_REF", value_parser = export_ref_arg, help = EXPORT_REF_HELP)]
    pub refs: Vec<RefArg<ExportRef>>,
    /// File or directory to write ('-' for stdout; an existing directory for several refs)
    /// [default: ./EXPORT_ID.mp4]
    #[arg(value_hint = ValueHint::FilePath, short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub files: FileArgs,
}

/// What to do about files that exist, and how many downloads at once.
#[derive(Debug, Args)]
pub struct FileArgs {
    /// Replace an existing regular file
    #[arg(long, conflicts_with = "skip_existing")]
    pub force: bool,
    /// Leave an existing file alone and count it as done (no request for it)
    #[arg(long)]
    pub skip_existing: bool,
    /// Downloads at once, 1-16 [default: 4]
    #[arg(value_hint = ValueHint::Other, long, value_name = "N", allow_negative_numbers = true, value_parser = parse_jobs)]
    pub jobs: Option<usize>,
    /// File name inside the directory: {id} {project} {folder} {name} {rank} {rank:02}
    /// {score}; .mp4 is added when it has no extension [default: {id}.mp4]
    #[arg(value_hint = ValueHint::Other, long, value_name = "TEMPLATE", value_parser = parse_template)]
    pub name: Option<Template>,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// PROJECT_ID or FOLDER_ID/PROJECT_ID; '-' reads them from stdin
    #[arg(value_hint = ValueHint::Other, required = true, value_name = "PROJECT_REF", value_parser = project_ref_arg)]
    pub projects: Vec<RefArg<ProjectRef>>,
    /// Absolute http(s) URL of a watermark image
    #[arg(value_hint = ValueHint::Other, long, value_name = "URL", value_parser = parse_watermark_url)]
    pub watermark: Option<String>,
    /// Watermark horizontal position, 0..1
    #[arg(value_hint = ValueHint::Other, long, value_name = "X", requires = "watermark", allow_negative_numbers = true,
          value_parser = parse_unit)]
    pub watermark_x: Option<f64>,
    /// Watermark vertical position, 0..1
    #[arg(value_hint = ValueHint::Other, long, value_name = "Y", requires = "watermark", allow_negative_numbers = true,
          value_parser = parse_unit)]
    pub watermark_y: Option<f64>,
    /// Watermark scale, > 0
    #[arg(value_hint = ValueHint::Other, long, value_name = "S", requires = "watermark", allow_negative_numbers = true,
          value_parser = parse_scale)]
    pub watermark_scale: Option<f64>,
    /// Take the project's newest export that has not failed instead of creating one
    /// (watermarks are not compared: the API does not return them); with --download,
    /// files already there are kept (as --skip-existing; --force fetches again)
    #[arg(long)]
    pub reuse: bool,
    /// Wait until the exports are ready, as `wait` does
    #[arg(long)]
    pub wait: bool,
    /// Say what would be created and what reused (only the --reuse lookups are sent)
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub wait_args: WaitArgs,
}

#[derive(Debug, Args)]
pub struct WaitArgs {
    /// Time between polls, at least 100ms [default: 5s; 250ms with --sandbox]
    #[arg(value_hint = ValueHint::Other, long, value_name = "DURATION", allow_hyphen_values = true,
          value_parser = parse_interval)]
    pub interval: Option<Duration>,
    /// Give up waiting after this long, 0 for no deadline (each request: --http-timeout)
    #[arg(value_hint = ValueHint::Other, long, value_name = "DURATION", default_value = "30m", allow_hyphen_values = true,
          value_parser = parse_duration)]
    pub timeout: Duration,
    /// Stop at the first failed export (exit 5); the others go on on the server
    #[arg(long)]
    pub fail_fast: bool,
    /// Download each export as soon as it is ready, to PATH (a directory when there are several)
    #[arg(value_hint = ValueHint::DirPath, long, value_name = "PATH")]
    pub download: Option<PathBuf>,
    #[command(flatten)]
    pub files: FileArgs,
}

#[derive(Debug, Args)]
pub struct ProjectsArgs {
    /// The folders (the output of video-to-shorts tasks); '-' reads them from stdin
    #[arg(value_hint = ValueHint::Other, required = true, value_name = "FOLDER_ID", value_parser = folder_arg)]
    pub folders: Vec<RefArg<String>>,
    /// Keep the N best
    #[arg(value_hint = ValueHint::Other, long, value_name = "N", allow_negative_numbers = true, value_parser = parse_top)]
    pub top: Option<usize>,
    /// Keep projects whose virality_score is at least X
    #[arg(value_hint = ValueHint::Other, long, value_name = "X", allow_negative_numbers = true, value_parser = parse_number)]
    pub min_virality: Option<f64>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only exports of this folder
    #[arg(value_hint = ValueHint::Other, long, value_name = "ID", value_parser = crate::model::parse_id)]
    pub folder: Option<String>,
    /// Only exports of this project
    #[arg(value_hint = ValueHint::Other, long, value_name = "ID", value_parser = crate::model::parse_id)]
    pub project: Option<String>,
    /// Only exports in this state (repeatable): processing, ready, error, or the other spellings
    #[arg(long, value_name = "STATE", ignore_case = true, value_parser = states())]
    pub status: Vec<State>,
    /// Keep the first N exports (newest first)
    #[arg(value_hint = ValueHint::Other, long, value_name = "N", allow_negative_numbers = true, value_parser = parse_count::<usize>)]
    pub limit: Option<usize>,
}

/// Serve a local emulation of the exports API (offline use, CI)
#[derive(Debug, Args)]
#[command(after_help = crate::sandbox::HELP)]
pub struct SandboxArgs {
    /// Address to listen on (port 0 picks a free one)
    #[arg(value_hint = ValueHint::Other, long, value_name = "ADDR", default_value = "127.0.0.1:8787", value_parser = parse_listen)]
    pub listen: SocketAddr,
    /// Time an export stays processing
    #[arg(value_hint = ValueHint::Other, long, value_name = "DURATION", default_value = "5s", allow_hyphen_values = true,
          value_parser = parse_duration)]
    pub ready_after: Duration,
    /// Pre-create N exports in mixed states
    #[arg(value_hint = ValueHint::Other, long, value_name = "N", default_value_t = 0, allow_negative_numbers = true,
          value_parser = parse_seed)]
    pub seed: usize,
}

fn folder_arg(s: &str) -> Result<RefArg<String>, String> {
    if s == "-" {
        return Ok(RefArg::Stdin);
    }
    crate::model::parse_id(s).map(RefArg::Ref)
}

fn parse_template(s: &str) -> Result<Template, String> {
    Template::parse(s)
}

const SHORTS_HELP: &str = "\
Steps: create the shorts task (or take the one in DIR/klap-export.json), wait for it, \
list its folder's projects (asked again while the listing is still empty), take the \
best --top, create their exports (reusing any that have not failed), wait, and save \
each MP4 into DIR as soon as it is ready. DIR/klap-export.json records the job after \
every step: the same command run again picks up where it stands (no second task, \
exports reused, saved files kept). Anything else at a clip's path (a file this job \
did not save, a symlink, a directory) is exit 2 before any export, and left alone. \
--timeout bounds the whole job.

On the real service each step costs money (late 2026: about $0.44 a video, $0.32 a \
short, $0.48 an export): --dry-run says what would be sent.

Examples:
  klap-export --sandbox shorts https://example.com/talk.mp4 --top 3 \\
    --download clips/
  klap-export shorts https://youtu.be/VIDEO --top 5 --language en \\
    --download talk/
  klap-export shorts URL --download talk/ --name '{rank:02}-{score}-{name}'";

#[derive(Debug, Args)]
pub struct TaskArgs {
    #[command(subcommand)]
    pub action: TaskAction,
}

#[derive(Debug, Subcommand)]
pub enum TaskAction {
    /// Start a task that makes shorts of a video (or, --video-to-video, one captioned video)
    #[command(after_help = "\
A task costs money on the real service (about $0.44 a video, late 2026) and a POST is \
never retried: there is no route that lists tasks, so keep the ID it prints.

Examples:
  klap-export task create https://example.com/talk.mp4 --clips 5 \\
    --language en
  klap-export task create URL --wait -q \\
    | klap-export projects - -q --top 5 \\
    | klap-export create - --reuse --download clips/")]
    Create(TaskCreateArgs),
    /// Show the current state of tasks
    Status {
        #[arg(value_hint = ValueHint::Other, required = true, value_name = "TASK_ID", value_parser = crate::model::parse_id)]
        ids: Vec<String>,
    },
    /// Wait until tasks are ready (spinner on a terminal); -q prints their outputs
    Wait {
        #[arg(value_hint = ValueHint::Other, required = true, value_name = "TASK_ID", value_parser = crate::model::parse_id)]
        ids: Vec<String>,
        #[command(flatten)]
        wait: TaskWaitArgs,
        /// Stop at the first failed task (exit 5)
        #[arg(long)]
        fail_fast: bool,
    },
}

#[derive(Debug, Args)]
pub struct TaskCreateArgs {
    /// The video: an absolute http(s) URL (YouTube, S3/GCS, any public video)
    #[arg(value_hint = ValueHint::Other, value_name = "VIDEO_URL", value_parser = parse_video_url)]
    pub url: String,
    /// POST /tasks/video-to-video: one video with captions/reframing, no shorts
    #[arg(long)]
    pub video_to_video: bool,
    /// Wait until the task is ready; -q then prints its output (folder or project ID)
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub wait_args: TaskWaitArgs,
    /// Print the body that would be sent (on stderr) and send nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub options: TaskOptionArgs,
}

#[derive(Debug, Args)]
pub struct TaskWaitArgs {
    /// Time between polls, at least 100ms [default: 15s; 250ms with --sandbox]
    #[arg(value_hint = ValueHint::Other, long, value_name = "DURATION", allow_hyphen_values = true, value_parser = parse_interval)]
    pub interval: Option<Duration>,
    /// Give up waiting after this long, 0 for no deadline
    #[arg(value_hint = ValueHint::Other, long, value_name = "DURATION", default_value = "1h", allow_hyphen_values = true,
          value_parser = parse_duration)]
    pub timeout: Duration,
}

/// The fields of a task create; each is sent only when given.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Task options")]
#[allow(
    clippy::struct_excessive_bools,
    reason = "one field per flag, as clap wants"
)]
pub struct TaskOptionArgs {
    /// Language of the video (language), e.g. en [default: detected]
    #[arg(value_hint = ValueHint::Other, long, value_name = "CODE")]
    pub language: Option<String>,
    /// Translate the shorts to this language (translate_to)
    #[arg(value_hint = ValueHint::Other, long, value_name = "CODE")]
    pub translate_to: Option<String>,
    /// Name of the task's folder (name)
    #[arg(value_hint = ValueHint::Other, long, value_name = "TEXT")]
    pub title: Option<String>,
    /// How many shorts to aim for (target_clip_count) [server default: 10]
    #[arg(value_hint = ValueHint::Other, long, value_name = "N", allow_negative_numbers = true, value_parser = parse_clips)]
    pub clips: Option<u32>,
    /// At most this many shorts (max_clip_count) [server default: 10]
    #[arg(value_hint = ValueHint::Other, long, value_name = "N", allow_negative_numbers = true, value_parser = parse_clips)]
    pub max_clips: Option<u32>,
    /// Shortest short, 1-120 whole seconds (min_duration)
    #[arg(value_hint = ValueHint::Other, long, value_name = "S", allow_negative_numbers = true, value_parser = seconds::<120>)]
    pub min_duration: Option<u32>,
    /// Longest short, 1-180 whole seconds (max_duration)
    #[arg(value_hint = ValueHint::Other, long, value_name = "S", allow_negative_numbers = true, value_parser = seconds::<180>)]
    pub max_duration: Option<u32>,
    /// Length to aim for, 1-120 whole seconds (target_duration)
    #[arg(value_hint = ValueHint::Other, long, value_name = "S", allow_negative_numbers = true, value_parser = seconds::<120>)]
    pub target_duration: Option<u32>,
    /// No captions (editing_options.captions: false)
    #[arg(long)]
    pub no_captions: bool,
    /// No reframing (editing_options.reframe: false)
    #[arg(long)]
    pub no_reframe: bool,
    /// No emojis (editing_options.emojis: false)
    #[arg(long)]
    pub no_emojis: bool,
    /// No intro title (editing_options.intro_title: false)
    #[arg(long)]
    pub no_intro_title: bool,
    /// Cut silences (editing_options.remove_silences: true)
    #[arg(long)]
    pub remove_silences: bool,
    /// Output size WxH, 1-4096 each (dimensions), e.g. 1080x1920
    #[arg(value_hint = ValueHint::Other, long, value_name = "WxH", value_parser = parse_size)]
    pub size: Option<(u32, u32)>,
    /// Style preset (style_preset_id)
    #[arg(value_hint = ValueHint::Other, long, value_name = "ID")]
    pub style_preset: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShortsArgs {
    /// The video: an absolute http(s) URL
    #[arg(value_hint = ValueHint::Other, value_name = "VIDEO_URL", value_parser = parse_video_url)]
    pub url: String,
    /// The job's directory: the MP4s and klap-export.json (created when missing)
    #[arg(value_hint = ValueHint::DirPath, long, required = true, value_name = "DIR")]
    pub download: PathBuf,
    /// Keep the N best shorts
    #[arg(value_hint = ValueHint::Other, long, value_name = "N", default_value_t = 5, allow_negative_numbers = true,
          value_parser = parse_top)]
    pub top: usize,
    /// Keep shorts whose virality_score is at least X
    #[arg(value_hint = ValueHint::Other, long, value_name = "X", allow_negative_numbers = true, value_parser = parse_number)]
    pub min_virality: Option<f64>,
    /// File name inside DIR (placeholders as for download --name) [default: {rank:02}-{name}.mp4]
    #[arg(value_hint = ValueHint::Other, long, value_name = "TEMPLATE", value_parser = parse_template)]
    pub name: Option<Template>,
    /// Time between polls, at least 100ms [default: 15s; 250ms with --sandbox]
    #[arg(value_hint = ValueHint::Other, long, value_name = "DURATION", allow_hyphen_values = true, value_parser = parse_interval)]
    pub interval: Option<Duration>,
    /// Give up after this long, for the whole job; 0 for no deadline
    #[arg(value_hint = ValueHint::Other, long, value_name = "DURATION", default_value = "2h", allow_hyphen_values = true,
          value_parser = parse_duration)]
    pub timeout: Duration,
    /// Downloads at once, 1-16 [default: 4]
    #[arg(value_hint = ValueHint::Other, long, value_name = "N", allow_negative_numbers = true, value_parser = parse_jobs)]
    pub jobs: Option<usize>,
    /// Stop at the first failed export (exit 5)
    #[arg(long)]
    pub fail_fast: bool,
    /// Send a task even though DIR records one whose answer was lost (it may exist)
    #[arg(long)]
    pub new_task: bool,
    /// Say what would be done, sending only GETs and writing nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub options: TaskOptionArgs,
}

fn parse_video_url(s: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(s).map_err(|e| format!("not an absolute URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("the video URL must be an absolute http(s) URL".into());
    }
    Ok(s.to_string())
}

fn parse_clips(s: &str) -> Result<u32, String> {
    match parse_count::<u32>(s)? {
        0 => Err("must be at least 1".into()),
        n => Ok(n),
    }
}

/// Whole seconds, 1 to MAX.
fn seconds<const MAX: u32>(s: &str) -> Result<u32, String> {
    match parse_count::<u32>(s) {
        Ok(n) if (1..=MAX).contains(&n) => Ok(n),
        _ => Err(format!("expected whole seconds, 1 to {MAX}")),
    }
}

/// `WxH`, each 1-4096.
fn parse_size(s: &str) -> Result<(u32, u32), String> {
    const WHY: &str = "expected WIDTHxHEIGHT, each 1 to 4096 (such as 1080x1920)";
    let (w, h) = s.split_once(['x', 'X']).ok_or(WHY)?;
    let side = |v: &str| match v.trim().parse::<u32>() {
        Ok(n @ 1..=4096) => Ok(n),
        _ => Err(WHY.to_string()),
    };
    Ok((side(w)?, side(h)?))
}

/// `IP:PORT` (`[::1]:0` for IPv6), or `localhost:PORT` for 127.0.0.1.
fn parse_listen(s: &str) -> Result<SocketAddr, String> {
    let s = s.trim();
    if let Some(port) = s.strip_prefix("localhost:") {
        return port
            .parse::<u16>()
            .map(|port| SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, port)))
            .map_err(|_| format!("invalid port '{port}'"));
    }
    s.parse()
        .map_err(|_| "expected IP:PORT or localhost:PORT, such as 127.0.0.1:8787".into())
}

/// `--top 0` keeps nothing: under `shorts`, a task paid for and no clip.
fn parse_top(s: &str) -> Result<usize, String> {
    match parse_count::<usize>(s)? {
        0 => Err("must be at least 1".into()),
        n => Ok(n),
    }
}

fn parse_jobs(s: &str) -> Result<usize, String> {
    match parse_count::<usize>(s)? {
        n @ 1..=16 => Ok(n),
        _ => Err("must be 1 to 16".into()),
    }
}

fn parse_seed(s: &str) -> Result<usize, String> {
    let n = parse_count::<usize>(s)?;
    if n > crate::sandbox::MAX_SEED {
        return Err(format!("at most {}", crate::sandbox::MAX_SEED));
    }
    Ok(n)
}

fn parse_number(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("'{s}' is not a finite number")),
    }
}

fn parse_unit(s: &str) -> Result<f64, String> {
    let v = parse_number(s)?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is outside 0..1"))
    }
}

fn parse_scale(s: &str) -> Result<f64, String> {
    let v = parse_number(s)?;
    if v > 0.0 {
        Ok(v)
    } else {
        Err(format!("{v} is not greater than 0"))
    }
}

fn parse_watermark_url(s: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(s).map_err(|e| format!("not an absolute URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("the watermark URL must be an absolute http(s) URL".into());
    }
    Ok(s.to_string())
}

/// The three states, with the other spellings as aliases (so completion offers the three).
fn states() -> impl clap::builder::TypedValueParser<Value = State> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new([
        PossibleValue::new("processing").aliases(["pending", "in_progress"]),
        PossibleValue::new("ready").alias("completed"),
        PossibleValue::new("error").aliases(["failed", "cancelled", "canceled"]),
    ])
    .map(|s| State::from_filter(&s).unwrap_or(State::Processing))
}
