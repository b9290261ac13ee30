//! Exit codes and the one place an error becomes one.

use std::fmt;
use std::io::{self, IsTerminal};
use std::process::ExitCode;

use crate::text::{color_arg, color_wanted, sanitize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    Success = 0,
    Error = 1,
    Usage = 2,
    NotFound = 3,
    Auth = 4,
    ExportFailed = 5,
    Deadline = 6,
}

impl Code {
    /// Batch rule: of several outcomes, the first that applies of 4, 3, 1, 5, 6, 0.
    pub fn rank(self) -> u8 {
        match self {
            Code::Usage => 1,
            Code::Auth => 2,
            Code::NotFound => 3,
            Code::Error => 4,
            Code::ExportFailed => 5,
            Code::Deadline => 6,
            Code::Success => 7,
        }
    }

    /// The code that wins by the batch rule.
    pub fn worst(self, other: Code) -> Code {
        if other.rank() < self.rank() {
            other
        } else {
            self
        }
    }
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> Self {
        ExitCode::from(code as u8)
    }
}

/// An error that carries its exit code and an optional hint line.
#[derive(Debug)]
pub struct Fail {
    pub code: Code,
    pub message: String,
    pub hint: Option<String>,
}

impl Fail {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Fail {
            code,
            message: message.into(),
            hint: None,
        }
    }

    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fail {}

/// Shorthand for an `anyhow` error with a code.
pub fn fail(code: Code, message: impl Into<String>) -> anyhow::Error {
    Fail::new(code, message).into()
}

/// The exit code an error carries (1 when it carries none).
pub fn code_of(err: &anyhow::Error) -> Code {
    err.chain()
        .find_map(|e| e.downcast_ref::<Fail>())
        .map_or(Code::Error, |f| f.code)
}

pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The outcome of a command that handles several refs: each error is reported when it
/// happens, and the exit code is the worst by the batch rule.
#[derive(Debug)]
pub struct Tally {
    code: Code,
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            code: Code::Success,
        }
    }
}

impl Tally {
    /// Reports one item's error now; the command goes on with the rest.
    pub fn error(&mut self, err: &anyhow::Error) {
        if is_broken_pipe(err) {
            return;
        }
        print(err);
        self.code = self.code.worst(code_of(err));
    }

    /// The command's result: `Ok` when nothing went wrong, else an error already reported.
    pub fn finish(self) -> anyhow::Result<()> {
        match self.code {
            Code::Success => Ok(()),
            code => Err(Fail::new(code, "").into()),
        }
    }
}

/// `error:`, bold red as clap writes it when stderr takes colour (by --color,
/// NO_COLOR and CLICOLOR_FORCE, read here as the error may come before the settings).
fn error_label() -> String {
    let choice = color_arg(std::env::args_os().skip(1));
    if color_wanted(choice.as_deref(), io::stderr().is_terminal()) {
        let style = anstyle::Style::new()
            .bold()
            .fg_color(Some(anstyle::AnsiColor::Red.into()));
        format!("{style}error:{style:#}")
    } else {
        "error:".to_string()
    }
}

/// Prints the error as one line (plus a hint) on stderr.
pub fn print(err: &anyhow::Error) {
    if err.to_string().is_empty() {
        return; // already reported, item by item (`Tally`)
    }
    crate::say!(
        "klap-export: {} {}",
        error_label(),
        sanitize(&format!("{err:#}"))
    );
    if let Some(hint) = err
        .chain()
        .find_map(|e| e.downcast_ref::<Fail>())
        .and_then(|f| f.hint.as_deref())
    {
        // A hint may be a command to paste over several lines (refs on stdin).
        let mut lines = hint.lines();
        crate::say!("hint: {}", sanitize(lines.next().unwrap_or_default()));
        for line in lines {
            crate::say!("{}", sanitize(line));
        }
    }
}

/// Prints the error and picks its exit code; a closed stdout ends quietly with 0.
pub fn report(err: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(err) {
        return Code::Success.into();
    }
    print(err);
    code_of(err).into()
}
