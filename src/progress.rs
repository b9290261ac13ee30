//! The one progress reporter of `wait` and `download`, on stderr: nothing, plain
//! lines (logs, CI), or indicatif spinners and bars (a terminal). Commands say what
//! happened to each export; this decides how it looks.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{HumanBytes, MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::interrupt;
use crate::say;
use crate::text::sanitize;
use crate::values::Mode;

/// Plain progress repeats itself at least this often, so CI sees the job alive
/// (CI systems kill jobs silent for 10 minutes). Debug builds (the tests) may
/// shorten it with `KLAP_TEST_STILL_WAITING`.
fn still_waiting_every() -> Duration {
    #[cfg(debug_assertions)]
    if let Some(d) = std::env::var("KLAP_TEST_STILL_WAITING")
        .ok()
        .and_then(|v| crate::values::parse_duration(&v).ok())
    {
        return d;
    }
    Duration::from_secs(60)
}

/// Most spinners animated at once.
const MAX_TICKING: usize = 40;

pub struct Progress {
    /// Lines made so far.
    lines: std::cell::Cell<usize>,
    mode: Mode,
    color: bool,
    multi: Option<MultiProgress>,
    start: Instant,
    every: Duration,
    /// Say `saved PATH` lines with progress off (`--no-progress`): they are results.
    results: bool,
}

impl Progress {
    pub fn new(mode: Mode, color: bool) -> Progress {
        let multi = (mode == Mode::Terminal)
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        interrupt::set_progress(multi.clone());
        // Errors and notes said meanwhile go above the bars, not through them.
        if let Some(m) = multi.clone() {
            crate::text::set_stderr_writer(Some(Box::new(move |line: &str| {
                let _ = m.println(line);
            })));
        }
        Progress {
            lines: std::cell::Cell::new(0),
            mode,
            color,
            multi,
            start: Instant::now(),
            every: still_waiting_every(),
            results: false,
        }
    }

    /// With progress off, still say where each file went (not under `-q`).
    #[must_use]
    pub fn results(mut self, on: bool) -> Progress {
        self.results = on;
        self
    }

    fn bytes_line(&self, bar: Option<ProgressBar>, label: &str) -> Bytes {
        Bytes {
            bar,
            plain: self.mode == Mode::Plain,
            results: self.results,
            label: label.to_string(),
            eta: Arc::new(AtomicBool::new(false)),
        }
    }

    /// A line on the display, styled before it is shown (no default frame flashes by).
    fn bar(&self, label: &str, template: &str) -> Option<ProgressBar> {
        self.multi.as_ref().map(|m| {
            m.add(
                ProgressBar::new(0)
                    .with_style(style(template))
                    .with_prefix(label.to_string()),
            )
        })
    }

    /// A line for one export, labelled with its ref; a spinner on a terminal.
    pub fn line(&self, label: &str) -> Line {
        let template = if self.color {
            "{spinner:.cyan} {prefix} {msg} [{elapsed}]"
        } else {
            "{spinner} {prefix} {msg} [{elapsed}]"
        };
        let bar = self.bar(label, template);
        if let Some(bar) = &bar {
            bar.set_message("waiting");
            // indicatif runs a thread per ticking bar: past a screenful, the others move
            // when their state does.
            if self.lines.get() < MAX_TICKING {
                bar.enable_steady_tick(Duration::from_millis(100));
            }
            self.lines.set(self.lines.get() + 1);
        }
        Line {
            bytes: self.bytes_line(bar, label),
            start: self.start,
            said_at: Instant::now(),
            every: self.every,
            last_error: String::new(),
        }
    }

    /// A line for one download on its own (not waited for): a byte bar from the start.
    pub fn download(&self, label: &str) -> Bytes {
        self.bytes_line(self.bar(label, BYTES), label)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        crate::text::set_stderr_writer(None);
        interrupt::set_progress(None);
    }
}

/// What the user sees of one export while it is waited for.
pub struct Line {
    bytes: Bytes,
    start: Instant,
    said_at: Instant,
    every: Duration,
    /// The last retry error said in plain mode.
    last_error: String,
}

impl Line {
    /// The export's state changed.
    pub fn status(&mut self, shown: &str) {
        let b = &self.bytes;
        if b.plain {
            say!(
                "klap-export: {}: {} ({} elapsed)",
                b.label,
                shown,
                elapsed(self.start)
            );
            self.said_at = Instant::now();
        }
        if let Some(bar) = &b.bar {
            bar.set_message(shown.to_string());
        }
    }

    /// A poll failed in a way that may pass. Plain lines say a new error, and the same
    /// one again only as often as the still-waiting line: a storm of retries is not a log.
    pub fn retrying(&mut self, status: Option<&str>, err: &anyhow::Error) {
        let b = &self.bytes;
        let text = format!("{err:#}");
        if b.plain && (text != self.last_error || self.said_at.elapsed() >= self.every) {
            say!("klap-export: {}: {text}; retrying", b.label);
            self.said_at = Instant::now();
            self.last_error = text;
        }
        if let Some(bar) = &b.bar {
            let short: String = sanitize(&format!("{err:#}")).chars().take(60).collect();
            bar.set_message(format!(
                "{} (retrying: {short})",
                status.unwrap_or("waiting")
            ));
        }
    }

    /// In plain mode, says the export is still being waited for when nothing was said for a while.
    pub fn still_waiting(&mut self, status: Option<&str>) {
        if self.bytes.plain && self.said_at.elapsed() >= self.every {
            say!(
                "klap-export: {}: still waiting ({}, {} elapsed)",
                self.bytes.label,
                status.map(sanitize).unwrap_or_default(),
                elapsed(self.start)
            );
            self.said_at = Instant::now();
        }
    }

    /// The handle a download worker reports through.
    pub fn bytes(&self) -> Bytes {
        self.bytes.clone()
    }

    /// The wait is over for this export: its spinner leaves the screen (a saved line stays).
    pub fn done(&self) {
        if let Some(bar) = &self.bytes.bar
            && !bar.is_finished()
        {
            bar.finish_and_clear();
        }
    }
}

/// A download's view of its line: byte counts, then where the file went.
#[derive(Clone)]
pub struct Bytes {
    bar: Option<ProgressBar>,
    plain: bool,
    results: bool,
    label: String,
    /// The ETA is shown: only once the rate has been measured for a while (a guess from
    /// the first second says `ETA 2m` for a file done in one).
    eta: Arc<AtomicBool>,
}

impl Bytes {
    /// The download of `total` bytes (when known) starts: the line becomes a byte bar.
    pub fn start(&self, total: Option<u64>) {
        if let Some(bar) = &self.bar {
            bar.disable_steady_tick();
            bar.set_style(style(BYTES));
            bar.set_length(total.unwrap_or(0));
            bar.set_position(0);
            // The ETA's clock starts with the bytes, not with the wait before them.
            bar.reset_elapsed();
            self.eta.store(false, Ordering::Relaxed);
        }
    }

    pub fn set(&self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
            if bar.length().is_some_and(|n| n > 0)
                && bar.elapsed() >= ETA_AFTER
                && !self.eta.swap(true, Ordering::Relaxed)
            {
                bar.set_style(style(BYTES_ETA));
            }
        }
    }

    pub fn saved(&self, path: &Path, bytes: u64, took: Duration) {
        let took = humantime::format_duration(Duration::from_millis(
            u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
        ));
        self.end(&format!(
            "saved {} ({}, {took})",
            path.display(),
            HumanBytes(bytes)
        ));
    }

    pub fn skipped(&self, path: &Path) {
        self.kept(path, "--skip-existing");
    }

    /// The file is there already, for the reason given.
    pub fn kept(&self, path: &Path, why: &str) {
        self.end(&format!("kept {} ({why})", path.display()));
    }

    /// The download ended in an error (reported on its own by the caller).
    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn end(&self, text: &str) {
        if self.plain || (self.results && self.bar.is_none()) {
            say!("klap-export: {}: {text}", self.label);
        }
        if let Some(bar) = &self.bar {
            bar.set_style(style("{prefix} {msg}"));
            bar.finish_with_message(text.to_string());
        }
    }
}

const BYTES: &str = "{prefix} {bytes}/{total_bytes} {bytes_per_sec} {wide_bar}";
const BYTES_ETA: &str = "{prefix} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {wide_bar}";

/// How long a download runs before its bar shows an ETA.
const ETA_AFTER: Duration = Duration::from_secs(3);

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn elapsed(start: Instant) -> humantime::FormattedDuration {
    humantime::format_duration(Duration::from_secs(start.elapsed().as_secs()))
}
