//! Ctrl-C, SIGTERM and SIGHUP: clear the progress display, remove partial downloads,
//! exit 128 + the signal number (130, 143, 129), as a shell reports a death by signal.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use indicatif::MultiProgress;

use crate::say;

struct Cleanup {
    parts: Vec<PathBuf>,
    progress: Option<MultiProgress>,
    /// What the user should know if interrupted now (how to pick up again).
    note: Option<String>,
}

static CLEANUP: Mutex<Cleanup> = Mutex::new(Cleanup {
    parts: Vec::new(),
    progress: None,
    note: None,
});

// The same numbers on every Unix (and what Windows's C runtime uses for SIGINT).
const SIGINT: i32 = 2;
const SIGHUP: i32 = 1;
const SIGTERM: i32 = 15;

pub fn install() {
    // signal-hook (not ctrlc) on Unix: it says which signal came, for the exit code.
    // Registering fails only for forbidden signals, which these are not; if it ever
    // did, the default action (die at once) would still apply.
    #[cfg(unix)]
    {
        use signal_hook::iterator::{SignalsInfo, exfiltrator::WithRawSiginfo};
        if let Ok(mut signals) = SignalsInfo::<WithRawSiginfo>::new([SIGINT, SIGTERM, SIGHUP]) {
            std::thread::spawn(move || {
                if let Some(info) = signals.forever().next() {
                    // A positive si_code: the kernel sent it, i.e. the terminal's Ctrl-C,
                    // which echoed `^C`; kill(2) and friends give 0 or less.
                    clean_up_and_exit(info.si_signo, info.si_code > 0);
                }
            });
        }
    }
    // Fails only when a handler is already set, which this program never does twice.
    #[cfg(not(unix))]
    let _ = ctrlc::set_handler(|| clean_up_and_exit(SIGINT, false));
}

fn clean_up_and_exit(signal: i32, from_terminal: bool) -> ! {
    // Held until the exit: no download can create a part file after the clean-up.
    let mut c = CLEANUP.lock().unwrap_or_else(PoisonError::into_inner);
    crate::text::set_stderr_writer(None);
    if let Some(progress) = &c.progress {
        // The terminal's `^C` echo leaves the cursor a line below the display, where
        // the clear would start one line short: step back up onto the display first.
        if from_terminal && !progress.is_hidden() {
            let _ = write!(io::stderr(), "\r\x1b[K\x1b[1A");
        }
        let _ = progress.clear();
        // Hidden, so no spinner tick draws again between the clear and the exit.
        progress.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    for part in &c.parts {
        let _ = std::fs::remove_file(part);
    }
    let what = match signal {
        SIGTERM => "terminated",
        SIGHUP => "hung up",
        _ => "interrupted",
    };
    say!("klap-export: {what}");
    if let Some(note) = c.note.take() {
        say!("hint: {note}");
    }
    std::process::exit(128 + signal);
}

fn with(f: impl FnOnce(&mut Cleanup)) {
    f(&mut CLEANUP.lock().unwrap_or_else(PoisonError::into_inner));
}

/// Makes a file to delete if the user interrupts before it is complete. The clean-up lock
/// is held meanwhile, so a signal cannot come between creating and registering it.
pub fn create_part<T>(make: impl FnOnce() -> io::Result<(T, PathBuf)>) -> io::Result<T> {
    let mut cleanup = CLEANUP
        .lock()
        .map_err(|_| io::Error::other("clean-up state poisoned"))?;
    let (file, path) = make()?;
    cleanup.parts.push(path);
    Ok(file)
}

pub fn untrack_part(path: &Path) {
    with(|c| c.parts.retain(|p| p != path));
}

/// What to tell the user if interrupted from now on (`None`: nothing).
pub fn set_note(note: Option<String>) {
    with(|c| c.note = note);
}

/// The progress display to clear on Ctrl-C.
pub fn set_progress(progress: Option<MultiProgress>) {
    with(|c| c.progress = progress);
}
