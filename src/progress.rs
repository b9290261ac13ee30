//! The one progress reporter of `wait` and `download`, on stderr: nothing, plain
//! lines (logs, CI), or indicatif spinners and bars (a terminal). Commands say what
//! happened to each export; this decides how it looks.

use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::interrupt;
use crate::say;
use crate::text::sanitize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nothing but errors.
    Off,
    /// One line per change; for logs and CI.
    Plain,
    /// indicatif spinners and bars.
    Terminal,
}

/// Plain progress repeats itself at least this often, so CI sees the job alive
/// (CI systems kill jobs silent for 10 minutes). Debug builds (the tests) may
/// shorten it with `KLAP_TEST_STILL_WAITING`.
fn still_waiting_every() -> Duration {
    #[cfg(debug_assertions)]
    if let Some(d) = std::env::var("KLAP_TEST_STILL_WAITING")
        .ok()
        .and_then(|v| crate::cli::parse_duration(&v).ok())
    {
        return d;
    }
    Duration::from_secs(60)
}

pub struct Progress {
    mode: Mode,
    color: bool,
    multi: Option<MultiProgress>,
    start: Instant,
    every: Duration,
}

impl Progress {
    pub fn new(mode: Mode, color: bool) -> Progress {
        let multi = (mode == Mode::Terminal)
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        interrupt::set_progress(multi.clone());
        Progress {
            mode,
            color,
            multi,
            start: Instant::now(),
            every: still_waiting_every(),
        }
    }

    /// A line for one export, labelled with its ref; a spinner on a terminal.
    pub fn line(&self, label: &str) -> Line {
        let bar = self.multi.as_ref().map(|m| {
            let bar = m.add(ProgressBar::new_spinner());
            let template = if self.color {
                "{spinner:.cyan} {prefix} {msg} [{elapsed}]"
            } else {
                "{spinner} {prefix} {msg} [{elapsed}]"
            };
            bar.set_style(style(template));
            bar.set_prefix(label.to_string());
            bar.set_message("waiting");
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Line {
            bar,
            plain: self.mode == Mode::Plain,
            label: label.to_string(),
            start: self.start,
            said_at: Instant::now(),
            every: self.every,
        }
    }

    /// A byte bar for a download on its own (not tied to a waited-for export).
    pub fn bytes(&self, total: Option<u64>) -> Line {
        let bar = self.multi.as_ref().map(|m| {
            let bar = m.add(ProgressBar::new(0));
            set_bytes(&bar, total);
            bar
        });
        Line {
            bar,
            plain: false,
            label: String::new(),
            start: self.start,
            said_at: Instant::now(),
            every: self.every,
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(m) = &self.multi {
            let _ = m.clear();
        }
        interrupt::set_progress(None);
    }
}

/// What the user sees of one export.
pub struct Line {
    bar: Option<ProgressBar>,
    plain: bool,
    label: String,
    start: Instant,
    said_at: Instant,
    every: Duration,
}

impl Line {
    /// The export's state changed.
    pub fn status(&mut self, shown: &str) {
        if self.plain {
            say!(
                "klap-export: {}: {} ({} elapsed)",
                self.label,
                shown,
                elapsed(self.start)
            );
            self.said_at = Instant::now();
        }
        if let Some(bar) = &self.bar {
            bar.set_message(shown.to_string());
        }
    }

    /// A poll failed in a way that may pass.
    pub fn retrying(&self, status: Option<&str>, err: &anyhow::Error) {
        if self.plain {
            say!("klap-export: {}: {err:#}; retrying", self.label);
        }
        if let Some(bar) = &self.bar {
            let short: String = sanitize(&format!("{err:#}")).chars().take(60).collect();
            bar.set_message(format!(
                "{} (retrying: {short})",
                status.unwrap_or("waiting")
            ));
        }
    }

    /// In plain mode, says the export is still being waited for when nothing was said for a while.
    pub fn still_waiting(&mut self, status: Option<&str>) {
        if self.plain && self.said_at.elapsed() >= self.every {
            say!(
                "klap-export: {}: still waiting ({}, {} elapsed)",
                self.label,
                status.map(sanitize).unwrap_or_default(),
                elapsed(self.start)
            );
            self.said_at = Instant::now();
        }
    }

    /// The download of `total` bytes (when known) starts: the spinner becomes a byte bar.
    pub fn start_bytes(&self, total: Option<u64>) {
        if let Some(bar) = &self.bar {
            set_bytes(bar, total);
        }
    }

    pub fn set_bytes(&self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        }
    }

    /// Removes the line from the screen.
    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn set_bytes(bar: &ProgressBar, total: Option<u64>) {
    bar.disable_steady_tick();
    bar.set_style(style(
        "{bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {wide_bar}",
    ));
    if let Some(total) = total {
        bar.set_length(total);
    }
    bar.set_position(0);
}

fn elapsed(start: Instant) -> humantime::FormattedDuration {
    humantime::format_duration(Duration::from_secs(start.elapsed().as_secs()))
}
