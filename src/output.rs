//! Exports on stdout as table, json, ndjson, tsv, or refs only (`-q`).

use std::borrow::Cow;
use std::io::{self, BufWriter, Write};

use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use serde::{Serialize, Serializer};

use crate::cli::Format;
use crate::config::Settings;
use crate::model::{Export, ExportRef, State};

/// Replaces control characters (tabs, newlines, escape sequences) with spaces,
/// so nothing the server sends can drive the terminal or break a TSV row.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_control) {
        Cow::Owned(
            s.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// The start of a server's text for an error message: at most 200 characters, no control codes.
pub fn snippet(text: &str) -> String {
    sanitize(text).trim().chars().take(200).collect()
}

/// What to print: the exports, the refs the user gave for them (status, wait),
/// and whether one object (not an array) is wanted in JSON.
pub struct Report<'a, 'b> {
    pub exports: &'b [Export<'a>],
    pub asked: Option<&'b [ExportRef]>,
    pub single: bool,
}

impl Report<'_, '_> {
    fn reference(&self, i: usize) -> String {
        self.exports[i].display_ref(self.asked.and_then(|a| a.get(i)))
    }
}

pub fn print(s: &Settings, report: &Report) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    if s.quiet {
        for i in 0..report.exports.len() {
            writeln!(out, "{}", sanitize(&report.reference(i)))?;
        }
    } else {
        match s.format {
            Format::Json => json(&mut out, report)?,
            Format::Ndjson => ndjson(&mut out, report)?,
            Format::Tsv => tsv(&mut out, report)?,
            Format::Table => table(&mut out, s, report)?,
        }
    }
    out.flush()
}

/// Serializes an export's exact JSON text, re-read with key order kept, so a
/// pretty printer can indent it.
struct Verbatim<'r>(&'r serde_json::value::RawValue);

impl Serialize for Verbatim<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let value: serde_json::Value =
            serde_json::from_str(self.0.get()).map_err(serde::ser::Error::custom)?;
        value.serialize(ser)
    }
}

fn json(out: &mut impl Write, r: &Report) -> io::Result<()> {
    match r.exports {
        [one] if r.single => serde_json::to_writer_pretty(&mut *out, &Verbatim(one.raw))?,
        all => serde_json::Serializer::pretty(&mut *out)
            .collect_seq(all.iter().map(|e| Verbatim(e.raw)))?,
    }
    writeln!(out)
}

fn ndjson(out: &mut impl Write, r: &Report) -> io::Result<()> {
    for e in r.exports {
        serde_json::to_writer(&mut *out, &Verbatim(e.raw))?;
        writeln!(out)?;
    }
    Ok(())
}

fn tsv(out: &mut impl Write, r: &Report) -> io::Result<()> {
    for (i, e) in r.exports.iter().enumerate() {
        let f = &e.fields;
        let cols = [
            &f.status,
            &f.name,
            &f.created_at,
            &f.finished_at,
            &f.src_url,
        ];
        out.write_all(sanitize(&r.reference(i)).as_bytes())?;
        for col in cols {
            out.write_all(b"\t")?;
            out.write_all(sanitize(col.as_deref().unwrap_or("")).as_bytes())?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn table(out: &mut impl Write, s: &Settings, r: &Report) -> io::Result<()> {
    if r.exports.is_empty() {
        return Ok(());
    }
    let mut t = Table::new();
    t.load_style(presets::NOTHING);
    t.set_header([
        "ID", "STATUS", "NAME", "PROJECT", "FOLDER", "CREATED", "FINISHED", "URL",
    ]);
    if s.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    // Fit a terminal of a known, usable width; otherwise never cut anything.
    let fits = s.stdout_tty && t.width().is_some_and(|w| w >= 40);
    t.set_content_arrangement(if fits {
        ContentArrangement::Dynamic
    } else {
        ContentArrangement::Disabled
    });
    let text = |v: &Option<Cow<str>>| sanitize(v.as_deref().unwrap_or("-")).into_owned();
    for e in r.exports {
        let f = &e.fields;
        let mut status = Cell::new(text(&f.status));
        if s.color {
            status = status.fg(match e.state() {
                Some(State::Ready) => Color::Green,
                Some(State::Failed) => Color::Red,
                Some(State::Processing) => Color::Yellow,
                None => Color::Reset,
            });
        }
        t.add_row(vec![
            Cell::new(text(&f.id)),
            status,
            Cell::new(text(&f.name)),
            Cell::new(text(&f.project_id)),
            Cell::new(text(&f.folder_id)),
            Cell::new(text(&f.created_at)),
            Cell::new(text(&f.finished_at)),
            Cell::new(text(&f.src_url)),
        ]);
    }
    for column in t.column_iter_mut() {
        column.set_padding((0, 2));
    }
    for line in t.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
