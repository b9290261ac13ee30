//! Exit codes and the one place an error becomes one.

use std::fmt;
use std::io;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Success = 0,
    Error = 1,
    Usage = 2,
    NotFound = 3,
    Auth = 4,
    ExportFailed = 5,
    Deadline = 6,
    Interrupted = 130,
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

pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Prints the error as one line (plus a hint) and picks its exit code.
pub fn report(err: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(err) {
        return Code::Success.into();
    }
    let fail = err.chain().find_map(|e| e.downcast_ref::<Fail>());
    eprintln!(
        "klap-export: error: {}",
        crate::output::sanitize(&format!("{err:#}"))
    );
    if let Some(hint) = fail.and_then(|f| f.hint.as_deref()) {
        eprintln!("hint: {}", crate::output::sanitize(hint));
    }
    fail.map_or(Code::Error, |f| f.code).into()
}
