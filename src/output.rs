//! What commands print on stdout, through one printer: a command says what its rows are
//! ([`Rows`]: their JSON, their table, their tsv fields, their refs), and [`print`] writes
//! the one the format asks for (table, json, ndjson, tsv, or refs only with `-q`), through
//! `--jq` when one was given, as gh's `Exporter` does.

use std::borrow::Cow;
use std::io::{self, Write};

use anyhow::Context;

use crate::json;
use crate::model::{Export, ExportRef, State};
use crate::table::{self, Cell, Color, Column, EXPORT_COLUMNS};
use crate::text::sanitize;
use crate::values::{Format, Ui};

/// How JSON holds the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An array, even of one row or none.
    Array,
    /// One row: an object (no row: nothing; several: an array).
    Object,
}

/// What a text format prints.
pub enum Text {
    /// A table: its columns and a row of cells each, fitted to a terminal; nothing at all
    /// when there is no row.
    Table(&'static [Column], Vec<Vec<Cell>>),
    /// A line a row, its fields tab-separated; control characters in a field become spaces.
    Fields(Vec<Vec<String>>),
    /// Lines printed as they are.
    Lines(Vec<String>),
}

/// What a command prints, in each format.
pub trait Rows {
    fn shape(&self) -> Shape {
        Shape::Array
    }
    /// The rows' JSON texts: the server's own (re-indented, never re-encoded: unknown fields,
    /// numbers and key order stay as sent), or the command's serialised.
    fn json(&self) -> Vec<Cow<'_, str>>;
    /// The table format.
    fn table(&mut self) -> Text;
    /// tsv: the table's text unless the command says otherwise.
    fn tsv(&mut self) -> Text {
        self.table()
    }
    /// `-q`: the table's text unless the command says otherwise (usually its refs).
    fn refs(&mut self) -> Text {
        self.table()
    }
}

/// Prints `rows` in the format `ui` asks for. The output is built whole in memory first,
/// so a bad body never leaves half a document on stdout.
pub fn print(ui: Ui, rows: &mut impl Rows) -> anyhow::Result<()> {
    let mut out = Vec::with_capacity(64 * 1024);
    match ui.format {
        Format::Json => {
            let items = rows.json();
            match (rows.shape(), items.as_slice()) {
                (Shape::Object, []) => {}
                (Shape::Object, [one]) => pretty(&mut out, one)?,
                (_, all) => pretty_array(&mut out, all.iter().map(AsRef::as_ref))?,
            }
        }
        Format::Ndjson => {
            for item in rows.json() {
                compact_line(&mut out, &item)?;
            }
        }
        Format::Table => text(&mut out, ui, rows.table())?,
        Format::Tsv => text(&mut out, ui, rows.tsv())?,
        Format::Refs => text(&mut out, ui, rows.refs())?,
    }
    emit(ui, out)
}

fn text(out: &mut Vec<u8>, ui: Ui, text: Text) -> io::Result<()> {
    match text {
        Text::Table(_, rows) if rows.is_empty() => {}
        Text::Table(columns, rows) => {
            // Cut to fit on a terminal only; of unknown width, nothing is cut.
            let width = ui.stdout_tty.then(table::stdout_width).flatten();
            for line in table::render(columns, &rows, width, ui.color) {
                writeln!(out, "{line}")?;
            }
        }
        Text::Fields(rows) => {
            for fields in rows {
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(b'\t');
                    }
                    out.extend_from_slice(sanitize(field).as_bytes());
                }
                out.push(b'\n');
            }
        }
        Text::Lines(lines) => {
            for line in lines {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

/// Writes what a command prints; JSON goes through `--jq` when one was given.
fn emit(ui: Ui, bytes: Vec<u8>) -> anyhow::Result<()> {
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

/// Pretty JSON: the text re-indented (numbers, escapes and key order untouched).
fn pretty(out: &mut Vec<u8>, raw: &str) -> io::Result<()> {
    json::pretty(raw, out).map_err(|e| invalid(&e))?;
    out.push(b'\n');
    Ok(())
}

/// A pretty JSON array of the items.
fn pretty_array<'r>(out: &mut Vec<u8>, items: impl IntoIterator<Item = &'r str>) -> io::Result<()> {
    json::pretty_array(items, out).map_err(|e| invalid(&e))?;
    out.push(b'\n');
    Ok(())
}

/// One compact value on its own line (ndjson).
fn compact_line(out: &mut Vec<u8>, raw: &str) -> io::Result<()> {
    json::compact(raw, out).map_err(|e| invalid(&e))?;
    out.push(b'\n');
    Ok(())
}

fn invalid(e: &json::Error) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("unexpected response: {e}"),
    )
}

/// Rows a command has whole at hand: their JSON texts, the lines that table and tsv
/// print, and the lines of `-q`.
pub struct Plain {
    pub shape: Shape,
    pub json: Vec<String>,
    pub lines: Vec<String>,
    pub refs: Vec<String>,
}

impl Rows for Plain {
    fn shape(&self) -> Shape {
        self.shape
    }
    fn json(&self) -> Vec<Cow<'_, str>> {
        self.json
            .iter()
            .map(|j| Cow::Borrowed(j.as_str()))
            .collect()
    }
    fn table(&mut self) -> Text {
        Text::Lines(std::mem::take(&mut self.lines))
    }
    fn refs(&mut self) -> Text {
        Text::Lines(std::mem::take(&mut self.refs))
    }
}

/// Exports: the exports, the refs the user gave for them (status, wait), and whether one
/// object (not an array) is wanted in JSON.
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

    pub fn print(mut self, ui: Ui) -> anyhow::Result<()> {
        print(ui, &mut self)
    }

    fn reference(&self, i: usize) -> String {
        self.exports[i].display_ref(self.asked.and_then(|a| a.get(i)))
    }
}

impl Rows for Report<'_, '_> {
    fn shape(&self) -> Shape {
        if self.single {
            Shape::Object
        } else {
            Shape::Array
        }
    }

    fn json(&self) -> Vec<Cow<'_, str>> {
        self.exports.iter().map(|e| Cow::Borrowed(e.raw)).collect()
    }

    fn table(&mut self) -> Text {
        let text = |v: &Option<Cow<str>>| v.as_deref().unwrap_or("-").to_string();
        let rows = self
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
        Text::Table(&EXPORT_COLUMNS, rows)
    }

    fn tsv(&mut self) -> Text {
        let text = |v: &Option<Cow<str>>| v.as_deref().unwrap_or("").to_string();
        let rows = (0..self.exports.len())
            .map(|i| {
                let f = &self.exports[i].fields;
                vec![
                    self.reference(i),
                    text(&f.status),
                    text(&f.name),
                    text(&f.created_at),
                    text(&f.finished_at),
                    text(&f.src_url),
                ]
            })
            .collect();
        Text::Fields(rows)
    }

    fn refs(&mut self) -> Text {
        let refs: Vec<String> = (0..self.exports.len()).map(|i| self.reference(i)).collect();
        // An export whose ID fails the rule has no ref: a blank line would be read as
        // nothing, or worse, by the next command in a pipeline.
        let unusable = refs.iter().filter(|r| r.is_empty()).count();
        if unusable > 0 {
            crate::say!(
                "klap-export: {unusable} export(s) without a usable ID left out of the refs"
            );
        }
        Text::Fields(
            refs.into_iter()
                .filter(|r| !r.is_empty())
                .map(|r| vec![r])
                .collect(),
        )
    }
}
