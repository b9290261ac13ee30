//! The vocabulary that flags, environment variables and the config file share: output
//! format, colour choice, durations and counts, and the presentation settings (`Ui`) they
//! resolve to. The bottom of the project: it knows nothing of clap's tree or of commands.

use std::time::Duration;

use clap::ValueEnum;

use crate::jq;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Ndjson,
    Tsv,
    /// Export refs only, one a line (`-q`).
    #[value(skip)]
    Refs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// A format named in `KLAP_FORMAT`; the error lists the valid names.
pub fn parse_format(s: &str) -> Result<Format, String> {
    Format::from_str(s.trim(), true).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(ValueEnum::to_possible_value)
            .map(|v| v.get_name().to_string())
            .collect();
        format!("expected one of {}", names.join(", "))
    })
}

/// How progress is shown on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nothing but errors.
    Off,
    /// One line per change; for logs and CI.
    Plain,
    /// indicatif spinners and bars.
    Terminal,
}

/// Presentation settings, decided once.
#[derive(Clone, Copy)]
pub struct Ui {
    /// What stdout gets: a format, or refs only (`-q`).
    pub format: Format,
    /// Colour on stdout (tables).
    pub color: bool,
    /// Colour on stderr (spinners, bars).
    pub color_stderr: bool,
    pub stdout_tty: bool,
    pub progress: Mode,
    /// `--jq`: compiled once, before any request (it lives as long as the process).
    pub jq: Option<&'static jq::Filter>,
}

impl Ui {
    /// `-q`: refs only on stdout, and no more than errors on stderr.
    pub fn quiet(&self) -> bool {
        self.format == Format::Refs
    }
}

/// Plain seconds (`90`, `0.2`) or humantime units (`500ms`, `1h30m`).
/// The messages follow clap's "invalid value 'V' for '--ARG'", so they say only why.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let d = parse_any_duration(s)?;
    // `0` means "no deadline" in places: only when written so, never by rounding.
    if d < Duration::from_millis(1) && s.contains(|c: char| matches!(c, '1'..='9')) {
        return Err("is below 1ms: write 0 for none, or at least 1ms".into());
    }
    Ok(d)
}

fn parse_any_duration(s: &str) -> Result<Duration, String> {
    const FORMS: &str = "expected seconds (90, 0.5) or units (500ms, 30s, 5m, 1h30m)";
    if is_negative(s) {
        return Err("cannot be negative".into());
    }
    if let Ok(secs) = s.parse::<f64>() {
        return Duration::try_from_secs_f64(secs)
            .map_err(|_| if secs.is_finite() { "too long" } else { FORMS }.to_string());
    }
    humantime::parse_duration(s).map_err(|e| match e {
        humantime::DurationError::UnknownUnit { unit, .. } if !unit.is_empty() => {
            format!("unknown unit '{unit}': {FORMS}")
        }
        humantime::DurationError::NumberOverflow => "too long".into(),
        _ => FORMS.into(),
    })
}

/// `-5`, `-0.5s`: a minus sign before a number (not `--json`, a flag taken as the value).
fn is_negative(s: &str) -> bool {
    s.strip_prefix('-')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit() || c == '.'))
}

pub fn parse_positive_duration(s: &str) -> Result<Duration, String> {
    match parse_duration(s)? {
        Duration::ZERO => Err("must be greater than 0".into()),
        d => Ok(d),
    }
}

/// The shortest poll interval: anything faster only floods the API.
pub const MIN_INTERVAL: Duration = Duration::from_millis(100);

pub fn parse_interval(s: &str) -> Result<Duration, String> {
    let d = parse_duration(s)?;
    if d < MIN_INTERVAL {
        return Err("must be at least 100ms (polling faster only floods the API)".into());
    }
    Ok(d)
}

/// A whole number >= 0, saying why when it is not one.
pub fn parse_count<T>(s: &str) -> Result<T, String>
where
    T: std::str::FromStr<Err = std::num::ParseIntError>,
{
    let s = s.trim();
    if is_negative(s) {
        return Err("cannot be negative".into());
    }
    s.parse::<T>().map_err(|e| match e.kind() {
        std::num::IntErrorKind::PosOverflow => "too large".to_string(),
        _ => "expected a whole number (0, 1, 2, ...)".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_that_rounds_to_zero_is_refused_unless_written_zero() {
        for zero in ["0", "0.0", "0s", "0ms", " 0 "] {
            assert_eq!(parse_duration(zero), Ok(Duration::ZERO), "{zero}");
        }
        for tiny in ["0.0000000001", "1ns", "999us", "0.0009", "1e-10"] {
            let e = parse_duration(tiny).unwrap_err();
            assert!(e.contains("below 1ms"), "{tiny}: {e}");
        }
        assert_eq!(parse_duration("1ms"), Ok(Duration::from_millis(1)));
        assert_eq!(parse_duration("0.001"), Ok(Duration::from_millis(1)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
    }
}
