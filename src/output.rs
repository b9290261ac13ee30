//! Exports on stdout as table, json, ndjson, tsv, or refs only (`-q`).

use std::borrow::Cow;
use std::io::{self, Write};

use anyhow::Context;

use crate::cli::Format;
use crate::config::Ui;
use crate::json;
use crate::model::{Export, ExportRef, State};
use crate::table::{self, Cell, Color, EXPORT_COLUMNS};
use crate::text::sanitize;

/// What to print: the exports, the refs the user gave for them (status, wait),
/// and whether one object (not an array) is wanted in JSON.
pub struct Report<'a, 'b> {
    exports: &'b [Export<'a>],
    asked: Option<&'b [ExportRef]>,
    single: bool,
}

impl<'a, 'b> Report<'a, 'b> {
    /// One export: an object in JSON.
    pub fn one(export: &'b Export<'a>, asked: Option<&'b ExportRef>) -> Self {
        Report {
            exports: std::slice::from_ref(export),
            asked: asked.map(std::slice::from_ref),
            single: true,
        }
    }

    /// Several exports (or a list): an array in JSON. `asked` pairs with `exports`.
    pub fn many(exports: &'b [Export<'a>], asked: Option<&'b [ExportRef]>) -> Self {
        Report {
            exports,
            asked,
            single: false,
        }
    }

    /// What a command given `given` refs prints of the `exports` it got (`asked` pairs
    /// with them): one ref gives an object in JSON, several an array.
    pub fn of_refs(exports: &'b [Export<'a>], asked: &'b [ExportRef], given: usize) -> Self {
        match exports {
            [one] if given == 1 => Report::one(one, asked.first()),
            all => Report::many(all, Some(asked)),
        }
    }

    fn reference(&self, i: usize) -> String {
        self.exports[i].display_ref(self.asked.and_then(|a| a.get(i)))
    }

    pub fn print(&self, ui: Ui) -> anyhow::Result<()> {
        let mut out = Vec::with_capacity(64 * 1024);
        match ui.format {
            Format::Json => json(&mut out, self)?,
            Format::Ndjson => ndjson(&mut out, self)?,
            Format::Tsv => tsv(&mut out, self)?,
            Format::Table => table(&mut out, ui, self)?,
            Format::Refs => {
                let refs: Vec<String> =
                    (0..self.exports.len()).map(|i| self.reference(i)).collect();
                // An export whose ID fails the rule has no ref: a blank line would be read
                // as nothing, or worse, by the next command in a pipeline.
                let unusable = refs.iter().filter(|r| r.is_empty()).count();
                if unusable > 0 {
                    crate::say!(
                        "klap-export: {unusable} export(s) without a usable ID left out of the refs"
                    );
                }
                for r in refs.iter().filter(|r| !r.is_empty()) {
                    writeln!(out, "{}", sanitize(r))?;
                }
            }
        }
        emit(ui, out)
    }
}

/// Writes what a command prints, built whole in memory first (so a bad body never leaves
/// half a document on stdout); JSON goes through `--jq` when one was given.
pub fn emit(ui: Ui, bytes: Vec<u8>) -> anyhow::Result<()> {
    let bytes = match ui.jq {
        Some(filter) if ui.format == Format::Json => {
            let mut filtered = Vec::new();
            filter.run(
                &String::from_utf8_lossy(&bytes),
                &mut filtered,
                ui.stdout_tty,
            )?;
            filtered
        }
        _ => bytes,
    };
    // A server that echoes the key in a field does not get it printed.
    let bytes = match crate::text::redact(&String::from_utf8_lossy(&bytes)) {
        Cow::Owned(hidden) => hidden.into_bytes(),
        Cow::Borrowed(_) => bytes,
    };
    let mut out = io::stdout().lock();
    out.write_all(&bytes)
        .and_then(|()| out.flush())
        .context("cannot write to stdout")
}

/// Pretty JSON: the server's own text re-indented (numbers, escapes and key order untouched).
pub fn json_one(out: &mut impl Write, raw: &str) -> io::Result<()> {
    let mut buf = Vec::with_capacity(raw.len() * 2);
    json::pretty(raw, &mut buf).map_err(|e| invalid(&e))?;
    buf.push(b'\n');
    out.write_all(&buf)
}

/// A pretty JSON array of the server's objects.
pub fn json_array<'r>(
    out: &mut impl Write,
    items: impl IntoIterator<Item = &'r str>,
) -> io::Result<()> {
    let mut buf = Vec::new();
    json::pretty_array(items, &mut buf).map_err(|e| invalid(&e))?;
    buf.push(b'\n');
    out.write_all(&buf)
}

/// One compact object on its own line (ndjson).
pub fn json_line(out: &mut impl Write, raw: &str) -> io::Result<()> {
    let mut buf = Vec::with_capacity(raw.len() + 1);
    json::compact(raw, &mut buf).map_err(|e| invalid(&e))?;
    buf.push(b'\n');
    out.write_all(&buf)
}

fn invalid(e: &json::Error) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("unexpected response: {e}"),
    )
}

fn json(out: &mut impl Write, r: &Report) -> io::Result<()> {
    match r.exports {
        [one] if r.single => json_one(out, one.raw),
        all => json_array(out, all.iter().map(|e| e.raw)),
    }
}

fn ndjson(out: &mut impl Write, r: &Report) -> io::Result<()> {
    for e in r.exports {
        json_line(out, e.raw)?;
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

fn table(out: &mut impl Write, ui: Ui, r: &Report) -> io::Result<()> {
    if r.exports.is_empty() {
        return Ok(());
    }
    let text = |v: &Option<Cow<str>>| v.as_deref().unwrap_or("-").to_string();
    let rows: Vec<Vec<Cell>> = r
        .exports
        .iter()
        .map(|e| {
            let f = &e.fields;
            let status = Cell::new(text(&f.status));
            let status = match e.state() {
                Some(State::Ready) => status.fg(Color::DarkGreen),
                Some(State::Failed) => status.fg(Color::DarkRed),
                Some(State::Processing) => status.fg(Color::DarkYellow),
                None => status,
            };
            vec![
                Cell::new(text(&f.id)),
                status,
                Cell::new(text(&f.name)),
                Cell::new(text(&f.project_id)),
                Cell::new(text(&f.folder_id)),
                Cell::new(text(&f.created_at)),
                Cell::new(text(&f.finished_at)),
                Cell::new(text(&f.src_url)),
            ]
        })
        .collect();
    // On a terminal of unknown width nothing is cut.
    let width = if ui.stdout_tty {
        table::stdout_width()
    } else {
        None
    };
    for line in table::render(&EXPORT_COLUMNS, &rows, width, ui.color) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
