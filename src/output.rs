//! What commands print on stdout, through one printer: a command says what its rows are
//! ([`Rows`]: their JSON, their table, their tsv fields, their refs), and [`print`] writes
//! the one the format asks for (table, json, ndjson, tsv, or refs only with `-q`), through
//! `--jq` when one was given, as gh's `Exporter` does.

use std::borrow::Cow;
use std::io::{self, Write};

use anyhow::Context;

use crate::model::{Export, ExportRef, State};
use crate::table::{self, Cell, Color, Column, EXPORT_COLUMNS};
use crate::text::sanitize;
use crate::values::{Format, Ui};
use crate::{jq, json};

/// How JSON holds the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An array, even of one row or none.
    Array,
    /// One row: an object (no row: nothing; several: an array).
    Object,
}

/// What a text format prints.
pub enum Text<'a> {
    /// A table: its columns and a row of cells each, fitted to a terminal; nothing at all
    /// when there is no row.
    Table(&'static [Column], Vec<Vec<Cell<'a>>>),
    /// A table of `n` rows, each made when needed by `row(i)` (twice when piped: to
    /// measure, then to print), so that a long list is never held as cells.
    Rows(
        &'static [Column],
        usize,
        Box<dyn Fn(usize) -> Vec<Cell<'a>> + 'a>,
    ),
    /// A line a row, its fields tab-separated; control characters in a field become spaces.
    Fields(Vec<Vec<String>>),
    /// Lines printed as they are.
    Lines(Vec<String>),
    /// `n` lines printed as they are, each made when printed: `line(i, text)` writes
    /// line `i` (without its end) to an empty `text`.
    Stream(usize, Box<Line<'a>>),
}

/// Writes line `i` of a [`Text::Stream`] to `text`.
pub type Line<'a> = dyn Fn(usize, &mut String) + 'a;

/// What a command prints, in each format.
pub trait Rows {
    fn shape(&self) -> Shape {
        Shape::Array
    }
    /// The rows' JSON texts: the server's own (re-indented, never re-encoded: unknown fields,
    /// numbers and key order stay as sent), or the command's serialised.
    fn json(&self) -> Vec<Cow<'_, str>>;
    /// The table format.
    fn table(&mut self) -> Text<'_>;
    /// tsv: the table's text unless the command says otherwise.
    fn tsv(&mut self) -> Text<'_> {
        self.table()
    }
    /// `-q`: the table's text unless the command says otherwise (usually its refs).
    fn refs(&mut self) -> Text<'_> {
        self.table()
    }
}

/// Prints `rows` in the format `ui` asks for. Nothing reaches stdout before everything
/// that could fail has been checked, so a bad body never leaves half a document there;
/// long JSON is then written out in pieces, not built whole a second time.
pub fn print(ui: Ui, rows: &mut impl Rows) -> anyhow::Result<()> {
    print_to(ui, rows, io::stdout().lock())
}

fn print_to(ui: Ui, rows: &mut impl Rows, to: impl Write) -> anyhow::Result<()> {
    let mut out = Out {
        buf: Vec::with_capacity(64 * 1024),
        to,
    };
    match (ui.format, ui.jq) {
        (Format::Json, Some(filter)) => {
            let items = rows.json();
            checked(&items)?;
            let input = match (rows.shape(), items.as_slice()) {
                (Shape::Object, []) => jq::Input::Text(""),
                (Shape::Object, [one]) => jq::Input::Text(one),
                (_, all) => jq::Input::Array(all),
            };
            filter.run_on(input, &mut out.buf, ui.stdout_tty)?;
        }
        (Format::Json, None) => {
            let items = rows.json();
            match (rows.shape(), items.as_slice()) {
                (Shape::Object, []) => {}
                (Shape::Object, [one]) => pretty(&mut out.buf, one)?,
                (_, all) => {
                    checked(all)?;
                    out.buf.push(b'[');
                    for (i, item) in all.iter().enumerate() {
                        out.buf
                            .extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                        out.line_end()?;
                        out.buf.extend_from_slice(b"  ");
                        json::pretty_at(item, &mut out.buf, 1).map_err(|e| invalid(&e))?;
                    }
                    out.buf
                        .extend_from_slice(if all.is_empty() { b"]\n" } else { b"\n]\n" });
                }
            }
        }
        (Format::Ndjson, _) => {
            let items = rows.json();
            checked(&items)?;
            for item in items {
                compact_line(&mut out.buf, &item)?;
                out.line_end()?;
            }
        }
        (Format::Table, _) => text(&mut out, ui, rows.table())?,
        (Format::Tsv, _) => text(&mut out, ui, rows.tsv())?,
        (Format::Refs, _) => text(&mut out, ui, rows.refs())?,
    }
    out.finish()
}

/// What `--jq` prints of `input`, written as [`print`] writes (the key hidden): for a
/// command that has the input at hand without rows.
pub fn print_jq(ui: Ui, filter: &jq::Filter, input: jq::Input) -> anyhow::Result<()> {
    let mut out = Out {
        buf: Vec::new(),
        to: io::stdout().lock(),
    };
    filter.run_on(input, &mut out.buf, ui.stdout_tty)?;
    out.finish()
}

fn text(out: &mut Out<impl Write>, ui: Ui, text: Text) -> anyhow::Result<()> {
    match text {
        Text::Table(columns, rows) => {
            let n = rows.len();
            table_text(out, ui, columns, n, &|i| rows[i].clone())?;
        }
        Text::Rows(columns, n, row) => table_text(out, ui, columns, n, &row)?,
        Text::Fields(rows) => {
            for fields in rows {
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        out.buf.push(b'\t');
                    }
                    out.buf.extend_from_slice(sanitize(field).as_bytes());
                }
                out.buf.push(b'\n');
                out.line_end()?;
            }
        }
        Text::Lines(lines) => out.lines(lines)?,
        Text::Stream(n, line) => {
            let mut text = String::new();
            for i in 0..n {
                text.clear();
                line(i, &mut text);
                out.lines([&text])?;
            }
        }
    }
    Ok(())
}

/// A table of `n` rows; nothing at all when there is none.
fn table_text<'a>(
    out: &mut Out<impl Write>,
    ui: Ui,
    columns: &[Column],
    n: usize,
    row: &dyn Fn(usize) -> Vec<Cell<'a>>,
) -> anyhow::Result<()> {
    if n == 0 {
        return Ok(());
    }
    // Cut to fit on a terminal only; of unknown width, nothing is cut.
    let width = ui.stdout_tty.then(table::stdout_width).flatten();
    if width.is_none() && !ui.color {
        return table::plain(columns, n, row, |line| out.lines([line]));
    }
    let rows: Vec<Vec<Cell>> = (0..n).map(row).collect();
    out.lines(table::render(columns, &rows, width, ui.color))
}

/// What the JSON printer would refuse in texts that are valid JSON (all the rows' are:
/// the server's were validated as read, ours written by serde_json): nesting too deep.
fn checked(items: &[Cow<'_, str>]) -> io::Result<()> {
    for item in items {
        json::check_depth(item, 1).map_err(|e| invalid(&e))?;
    }
    Ok(())
}

/// Output on its way to stdout: written in pieces of about `CHUNK` bytes, each ending at a
/// line end. The key has no line end in it (an HTTP header cannot), so hiding it in each
/// piece hides it everywhere.
struct Out<W: Write> {
    buf: Vec<u8>,
    to: W,
}

const CHUNK: usize = 1 << 20;

impl<W: Write> Out<W> {
    fn lines<S: AsRef<str>>(&mut self, lines: impl IntoIterator<Item = S>) -> anyhow::Result<()> {
        for line in lines {
            self.buf.extend_from_slice(line.as_ref().as_bytes());
            self.buf.push(b'\n');
            self.line_end()?;
        }
        Ok(())
    }

    /// Called just after a line end: writes what is held once it is a piece's worth.
    fn line_end(&mut self) -> anyhow::Result<()> {
        if self.buf.len() >= CHUNK {
            self.write()?;
        }
        Ok(())
    }

    fn write(&mut self) -> anyhow::Result<()> {
        // A server that echoes the key in a field does not get it printed.
        let bytes = crate::text::redact_bytes(&self.buf);
        self.to
            .write_all(&bytes)
            .context("cannot write to stdout")?;
        self.buf.clear();
        Ok(())
    }

    fn finish(mut self) -> anyhow::Result<()> {
        self.write()?;
        self.to.flush().context("cannot write to stdout")
    }
}

/// Pretty JSON: the text re-indented (numbers, escapes and key order untouched).
fn pretty(out: &mut Vec<u8>, raw: &str) -> io::Result<()> {
    json::pretty(raw, out).map_err(|e| invalid(&e))?;
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
    fn table(&mut self) -> Text<'_> {
        Text::Lines(std::mem::take(&mut self.lines))
    }
    fn refs(&mut self) -> Text<'_> {
        Text::Lines(std::mem::take(&mut self.refs))
    }
}

/// Exports: the exports, the refs the user gave for them (status, wait), and whether one
/// object (not an array) is wanted in JSON.
pub struct Report<'a, 'b> {
    exports: &'b [Export<'a>],
    asked: Option<&'b [ExportRef]>,
    single: bool,
    /// One export to a terminal: a card (set by `print`), its status coloured or not.
    card: bool,
    color: bool,
}

impl<'a, 'b> Report<'a, 'b> {
    /// One export: an object in JSON.
    pub fn one(export: &'b Export<'a>, asked: Option<&'b ExportRef>) -> Self {
        Report {
            exports: std::slice::from_ref(export),
            asked: asked.map(std::slice::from_ref),
            single: true,
            card: false,
            color: false,
        }
    }

    /// Several exports (or a list): an array in JSON. `asked` pairs with `exports`.
    pub fn many(exports: &'b [Export<'a>], asked: Option<&'b [ExportRef]>) -> Self {
        Report {
            exports,
            asked,
            single: false,
            card: false,
            color: false,
        }
    }

    /// What a command asked for `one` ref (not several, not refs from stdin) prints of the
    /// `exports` it got (`asked` pairs with them): one ref gives an object in JSON, else
    /// an array.
    pub fn of_refs(exports: &'b [Export<'a>], asked: &'b [ExportRef], one: bool) -> Self {
        match exports {
            [one_export] if one => Report::one(one_export, asked.first()),
            all => Report::many(all, Some(asked)),
        }
    }

    pub fn print(mut self, ui: Ui) -> anyhow::Result<()> {
        // On a terminal one export is a card, every value whole (as `gh ... view`); piped,
        // the one-row table a script can rely on.
        self.card = self.single && ui.stdout_tty;
        self.color = ui.color;
        print(ui, &mut self)
    }

    /// One `FIELD value` line each, in the table's columns and order; nothing is cut.
    fn card(&self) -> Text<'_> {
        let values = columns(&self.exports[0]);
        let width = EXPORT_COLUMNS
            .iter()
            .map(|c| c.header.len())
            .max()
            .unwrap_or(0);
        let lines = EXPORT_COLUMNS
            .iter()
            .zip(values)
            .map(|(c, v)| {
                let v = sanitize(v.as_deref().unwrap_or("-")).into_owned();
                let v = match self.exports[0].state() {
                    Some(state) if self.color && c.header == "STATUS" => {
                        let color = match state {
                            State::Ready => anstyle::AnsiColor::Green,
                            State::Failed => anstyle::AnsiColor::Red,
                            State::Processing => anstyle::AnsiColor::Yellow,
                        };
                        let style = anstyle::Style::new().fg_color(Some(color.into()));
                        format!("{style}{v}{style:#}")
                    }
                    _ => v,
                };
                format!("{:width$}  {v}", c.header)
            })
            .collect();
        Text::Lines(lines)
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

    fn table(&mut self) -> Text<'_> {
        if self.card {
            return self.card();
        }
        let row = |i: usize| {
            let e: &Export = &self.exports[i];
            let mut cells = columns(e).map(|v| Cell::new(v.unwrap_or(Cow::Borrowed("-"))));
            cells[1].color = match e.state() {
                Some(State::Ready) => Some(Color::DarkGreen),
                Some(State::Failed) => Some(Color::DarkRed),
                Some(State::Processing) => Some(Color::DarkYellow),
                None => None,
            };
            cells.into()
        };
        Text::Rows(&EXPORT_COLUMNS, self.exports.len(), Box::new(row))
    }

    fn tsv(&mut self) -> Text<'_> {
        // A line a row, as `Text::Fields` prints them, made as it is printed.
        let this = &*self;
        let line = move |i: usize, line: &mut String| {
            let e: &Export = &this.exports[i];
            // A ref is made of valid IDs only: nothing in it to make safe.
            e.push_ref(this.asked.and_then(|a| a.get(i)), line);
            for field in [
                e.status(),
                e.name(),
                e.created_at(),
                e.finished_at(),
                e.src_url(),
            ] {
                line.push('\t');
                line.push_str(&sanitize(field.as_deref().unwrap_or("")));
            }
        };
        Text::Stream(self.exports.len(), Box::new(line))
    }

    fn refs(&mut self) -> Text<'_> {
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

/// An export's values in the order of [`EXPORT_COLUMNS`].
fn columns<'a>(e: &Export<'a>) -> [Option<Cow<'a, str>>; 8] {
    [
        e.id(),
        e.status(),
        e.name(),
        e.project_id(),
        e.folder_id(),
        e.created_at(),
        e.finished_at(),
        e.src_url(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_list;

    /// A list of `n` exports with escapes, unsafe characters, a lone surrogate, odd
    /// numbers and nesting: what the fast paths must print byte for byte as before.
    fn body(n: usize) -> String {
        let items: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"id":"e{i}", "status":"{}","n":1.50e3,"big":12345678901234567890123,"name":"a\"b\u202e\ud83d x{i}","nest":{{"a":[1,{{}},[]],"b":null}},"created_at":"2026-01-0{}T00:00:00Z"}}"#,
                    if i % 3 == 0 { "ready" } else { "processing" },
                    1 + i % 9,
                )
            })
            .collect();
        format!("[{}]", items.join(" ,\n"))
    }

    fn ui(format: Format, jq: Option<&'static jq::Filter>) -> Ui {
        Ui {
            format,
            color: false,
            color_stderr: false,
            stdout_tty: false,
            progress: crate::values::Mode::Off,
            jq,
        }
    }

    fn printed(ui: Ui, body: &str) -> Vec<u8> {
        let exports = parse_list(body).unwrap();
        let mut out = Vec::new();
        print_to(ui, &mut Report::many(&exports, None), &mut out).unwrap();
        out
    }

    #[test]
    fn json_in_pieces_is_the_whole_pretty_array() {
        // 20,000 exports: several pieces of CHUNK bytes.
        for n in [0, 1, 2, 20_000] {
            let body = body(n);
            let exports = parse_list(&body).unwrap();
            let mut want = Vec::new();
            json::pretty_array(exports.iter().map(|e| e.raw), &mut want).unwrap();
            want.push(b'\n');
            let got = printed(ui(Format::Json, None), &body);
            assert!(n < 20_000 || got.len() > 3 * CHUNK);
            assert!(got == want, "{n}");

            let mut want = Vec::new();
            for e in &exports {
                json::compact(e.raw, &mut want).unwrap();
                want.push(b'\n');
            }
            assert!(printed(ui(Format::Ndjson, None), &body) == want, "{n}");
        }
    }

    #[test]
    fn tsv_lines_are_the_fields_tab_separated() {
        let body = body(20_000).replace("\\u202e", "\\t\\n");
        let exports = parse_list(&body).unwrap();
        let report = Report::many(&exports, None);
        let field = |v: Option<Cow<str>>| v.as_deref().unwrap_or("").to_string();
        let rows = (0..exports.len())
            .map(|i| {
                let e = &exports[i];
                vec![
                    report.reference(i),
                    field(e.status()),
                    field(e.name()),
                    field(e.created_at()),
                    field(e.finished_at()),
                    field(e.src_url()),
                ]
            })
            .collect();
        let mut want = Vec::new();
        let mut out = Out {
            buf: Vec::new(),
            to: &mut want,
        };
        text(&mut out, ui(Format::Tsv, None), Text::Fields(rows)).unwrap();
        out.finish().unwrap();
        let got = printed(ui(Format::Tsv, None), &body);
        assert!(String::from_utf8_lossy(&got).contains("\tprocessing\ta\"b"));
        assert!(got.len() > CHUNK);
        assert!(got == want);
    }

    #[test]
    fn jq_reads_the_items_as_it_read_the_printed_array() {
        let body = body(50);
        let exports = parse_list(&body).unwrap();
        let mut text = Vec::new();
        json::pretty_array(exports.iter().map(|e| e.raw), &mut text).unwrap();
        let text = json::without_lone_surrogates(std::str::from_utf8(&text).unwrap()).into_owned();
        for expr in [
            "length",
            "map(.id)",
            r#".[] | select(.status=="ready") | .name"#,
            ".[3]",
            "map(.n, .big) | add",
            ".[0] | keys_unsorted",
        ] {
            let filter: &'static jq::Filter =
                Box::leak(Box::new(jq::Filter::compile(expr).unwrap()));
            let mut want = Vec::new();
            filter.run(&text, &mut want, false).unwrap();
            let got = printed(ui(Format::Json, Some(filter)), &body);
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want),
                "{expr}"
            );
        }
        // The lone surrogate reads as U+FFFD (jaq refuses it as sent).
        let filter = Box::leak(Box::new(jq::Filter::compile(".[0].name").unwrap()));
        let got = printed(ui(Format::Json, Some(filter)), &body);
        assert_eq!(String::from_utf8(got).unwrap(), "a\"b\u{202e}\u{fffd} x0\n");
    }
}
