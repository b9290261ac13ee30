//! Ctrl-C: clear the progress display, remove partial downloads, exit 130.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use indicatif::MultiProgress;

use crate::exit::Code;
use crate::say;

struct Cleanup {
    parts: Vec<PathBuf>,
    progress: Option<MultiProgress>,
}

static CLEANUP: Mutex<Cleanup> = Mutex::new(Cleanup {
    parts: Vec::new(),
    progress: None,
});

pub fn install() {
    // Fails only when a handler is already set, which this program never does twice.
    let _ = ctrlc::set_handler(|| {
        if let Ok(c) = CLEANUP.lock() {
            if let Some(progress) = &c.progress {
                let _ = progress.clear();
            }
            for part in &c.parts {
                let _ = std::fs::remove_file(part);
            }
        }
        say!("klap-export: interrupted");
        std::process::exit(Code::Interrupted as i32);
    });
}

fn with(f: impl FnOnce(&mut Cleanup)) {
    if let Ok(mut c) = CLEANUP.lock() {
        f(&mut c);
    }
}

/// A file to delete if the user interrupts before it is complete.
pub fn track_part(path: &Path) {
    with(|c| c.parts.push(path.to_path_buf()));
}

pub fn untrack_part(path: &Path) {
    with(|c| c.parts.retain(|p| p != path));
}

/// The progress display to clear on Ctrl-C.
pub fn set_progress(progress: Option<MultiProgress>) {
    with(|c| c.progress = progress);
}
