//! Tables: one line a row, fitted to the terminal's width; full values when piped.
//!
//! comfy-table lays them out and cuts what does not fit (one line a row, `…` at the
//! cut). Written here on top of it is only what it has no setting for: which columns
//! show (the least useful are left out first), and the URL's cut, which keeps its end.

use comfy_table::presets::NOTHING;
use comfy_table::{Attribute, ColumnConstraint, ContentArrangement, Row, Table, Width};
use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub use comfy_table::Color;

/// How a column gives way when the terminal is too narrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Never cut.
    Whole,
    /// Cut at its end with `…` (by comfy-table), down to `MIN_CUT` columns.
    Cut,
    /// Cut before the others, from its start, keeping its end (`…/EXPORT_ID.mp4`
    /// says more than `https://st…`), down to `MIN_CUT` columns.
    CutStart,
}

/// A column and how it gives way when the terminal is too narrow.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub fit: Fit,
    /// 0: always shown. The others are taken lowest number first, each only
    /// if the table still fits (with cutting): a higher number is left out
    /// first, and a narrow column can still show where a wider one did not.
    pub drop: u8,
}

impl Column {
    pub const fn new(header: &'static str, fit: Fit, drop: u8) -> Column {
        Column { header, fit, drop }
    }
}

/// The narrowest a cut column gets, `…` included.
pub const MIN_CUT: usize = 10;

/// Columns are this many spaces apart.
const GAP: u16 = 2;

/// The exports table (list, status, wait, create). ID and STATUS always show.
/// URL is cut first (keeping its end, the file name), then NAME; then the least
/// useful columns are left out: the others are kept in this order while they
/// fit: CREATED, NAME, URL, PROJECT, FINISHED, FOLDER (as `list --help` says).
/// The cells of a row are in the order of these columns.
pub const EXPORT_COLUMNS: [Column; 8] = [
    Column::new("ID", Fit::Whole, 0),
    Column::new("STATUS", Fit::Whole, 0),
    Column::new("NAME", Fit::Cut, 2),
    Column::new("PROJECT", Fit::Whole, 4),
    Column::new("FOLDER", Fit::Whole, 6),
    Column::new("CREATED", Fit::Whole, 1),
    Column::new("FINISHED", Fit::Whole, 5),
    Column::new("URL", Fit::CutStart, 3),
];

/// The projects table. ID always shows; NAME is cut with `…`; then the
/// others are kept in this order while they fit: NAME, VIRALITY, CREATED.
pub const PROJECT_COLUMNS: [Column; 4] = [
    Column::new("ID", Fit::Whole, 0),
    Column::new("NAME", Fit::Cut, 1),
    Column::new("VIRALITY", Fit::Whole, 2),
    Column::new("CREATED", Fit::Whole, 3),
];

/// The width of the terminal on stdout: its window size, else `COLUMNS`;
/// `None` when neither is known (print full values then: nothing is lost).
/// Whether stdout is a terminal at all is the caller's decision, made once.
/// (A window size with 0 rows counts as unknown: set both, e.g.
/// `stty rows 24 cols 80`, in a pseudo-terminal test.)
pub fn stdout_width() -> Option<usize> {
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| usize::from(w.0))
        .filter(|&w| w > 0)
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()?
                .trim()
                .parse()
                .ok()
                .filter(|&w| w > 0)
        })
}

/// One value (borrowed where it can be: a list's cells are made twice a row) and its
/// colour on a colour terminal.
#[derive(Debug, Clone, Default)]
pub struct Cell<'a> {
    pub text: Cow<'a, str>,
    pub color: Option<Color>,
}

impl<'a> Cell<'a> {
    pub fn new(text: impl Into<Cow<'a, str>>) -> Cell<'a> {
        Cell {
            text: text.into(),
            color: None,
        }
    }

    /// The cell in a foreground colour (used only when colour is on).
    pub fn fg(self, color: Color) -> Cell<'a> {
        Cell {
            color: Some(color),
            ..self
        }
    }
}

/// The table's lines, header first, without line ends or trailing spaces.
///
/// `width`: the terminal's width, or `None` when not on a terminal (nothing is
/// cut or left out). Columns are two spaces apart and left-aligned. `color`:
/// bold headers and the cells' colours; off, the lines hold no escape byte.
/// Missing cells are empty, extra cells are ignored; control characters in
/// the text become spaces so no value can move the cursor or break a line.
pub fn render(
    columns: &[Column],
    rows: &[Vec<Cell>],
    width: Option<usize>,
    color: bool,
) -> Vec<String> {
    let texts = |rows: &[Vec<Cell>]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|row| {
                (0..columns.len())
                    .map(|i| row.get(i).map_or_else(String::new, |c| clean(&c.text)))
                    .collect()
            })
            .collect()
    };
    let natural: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            rows.iter()
                .map(|row| {
                    row.get(i)
                        .map_or(0, |c| crate::text::sanitize(&c.text).width())
                })
                .fold(c.header.width(), usize::max)
        })
        .collect();
    let Some(w) = width else {
        // Piped, nothing is cut: comfy-table lays out a batch of rows at a time, every
        // column at its width over all rows, so that a long list does not hold several
        // copies of every cell (999,999 exports took 3.3 GB in one table).
        let shown = vec![true; columns.len()];
        let mut lines = Vec::with_capacity(rows.len() + 1);
        for (n, batch) in rows.chunks(BATCH).enumerate() {
            let table = layout(columns, batch, texts(batch), &shown, None, color);
            lines.extend(fixed(table, &natural, n == 0));
        }
        if rows.is_empty() {
            lines.extend(fixed(
                layout(columns, rows, Vec::new(), &shown, None, color),
                &natural,
                true,
            ));
        }
        return lines;
    };
    let mut texts = texts(rows);
    let shown = choose(columns, &natural, w);
    cut_starts(columns, &natural, &shown, w, &mut texts);
    let table = layout(columns, rows, texts, &shown, width, color);
    table
        .lines()
        .map(|l| l.trim_end_matches(' ').to_owned())
        .collect()
}

/// Rows comfy-table lays out at once when piped.
const BATCH: usize = 1000;

/// The lines `render` gives piped without colour, for `n` rows made one at a time by
/// `row(i)`, each handed to `line`. Nothing is cut then, so laying out is only padding:
/// every column as wide as its widest value, two spaces apart, no trailing space. It
/// is written here, not by comfy-table (a test holds the two to the same text), because
/// comfy-table allocates and frees for every cell of every line: 100,000 exports took
/// 0.6 s there, and holding them as cells for it four times the body's memory.
pub fn plain<'a, E>(
    columns: &[Column],
    n: usize,
    row: impl Fn(usize) -> Vec<Cell<'a>>,
    mut line: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    // Sanitised ASCII is printable: a column a byte.
    let width = |s: &str| if s.is_ascii() { s.len() } else { s.width() };
    let mut natural: Vec<usize> = columns.iter().map(|c| c.header.width()).collect();
    for i in 0..n {
        for (w, cell) in natural.iter_mut().zip(row(i)) {
            *w = (*w).max(width(&crate::text::sanitize(&cell.text)));
        }
    }
    let mut text = String::new();
    let mut put = |cells: &mut dyn Iterator<Item = Cow<str>>| {
        text.clear();
        for (i, (cell, &natural_width)) in cells.zip(&natural).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(&cell);
            let pad = natural_width.saturating_sub(width(&cell));
            text.extend(std::iter::repeat_n(' ', pad));
        }
        line(text.trim_end_matches(' '))
    };
    put(&mut columns.iter().map(|c| Cow::Borrowed(c.header)))?;
    for i in 0..n {
        let cells = row(i);
        let mut texts = (0..columns.len()).map(|c| {
            cells
                .get(c)
                .map_or(Cow::Borrowed(""), |cell| crate::text::sanitize(&cell.text))
        });
        put(&mut texts)?;
    }
    Ok(())
}

/// The lines of a piped `table`, each column `natural` wide, the header only when asked.
fn fixed(mut table: Table, natural: &[usize], header: bool) -> Vec<String> {
    for (i, column) in table.column_iter_mut().enumerate() {
        let pad = if i == 0 { 0 } else { GAP };
        let w = natural.get(i).map_or(0, |&w| w + usize::from(pad));
        column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(
            u16::try_from(w).unwrap_or(u16::MAX),
        )));
    }
    let lines = table.lines().map(|l| l.trim_end_matches(' ').to_owned());
    lines.skip(usize::from(!header)).collect()
}

/// The comfy-table of `rows` (their cleaned `texts`), the `shown` columns, fitted to `width`.
fn layout(
    columns: &[Column],
    rows: &[Vec<Cell>],
    texts: Vec<Vec<String>>,
    shown: &[bool],
    width: Option<usize>,
    color: bool,
) -> Table {
    let mut table = Table::new();
    table
        .load_style(NOTHING)
        // The caller knows whether stdout is a terminal, and how wide.
        .force_no_tty()
        .set_truncation_indicator("…")
        // A delimiter no cleaned text holds: a cut falls where the width ends ("The best
        // f…"), not at the last space before it ("The best…"), so no column is wasted; a
        // space the cut falls after stays before the `…`.
        .set_delimiter('\0');
    table.style_text_only();
    if color {
        table.enforce_styling();
        // The user asked for colour (`--color always` wins over NO_COLOR); crossterm would
        // otherwise read NO_COLOR itself and write an empty `ESC[m` for each colour.
        crossterm::style::Colored::set_ansi_color_disabled(false);
    }
    if let Some(w) = width {
        table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(u16::try_from(w).unwrap_or(u16::MAX));
    }
    table.set_header(columns.iter().map(|c| {
        let cell = comfy_table::Cell::new(c.header);
        if color {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }));
    for (row, text) in rows.iter().zip(texts) {
        let cells = text.into_iter().enumerate().map(|(i, t)| {
            let paint = row.get(i).and_then(|c| c.color).filter(|_| !t.is_empty());
            match paint {
                Some(c) if color => comfy_table::Cell::new(t).fg(c),
                _ => comfy_table::Cell::new(t),
            }
        });
        let mut row = Row::from(cells);
        row.max_height(1);
        table.add_row(row);
    }
    let first = shown.iter().position(|&s| s);
    for (i, column) in table.column_iter_mut().enumerate() {
        // Two spaces before every shown column but the first: none at the line's ends.
        let left = if Some(i) == first { 0 } else { GAP };
        column.set_padding((left, 0));
        // A `Cut` column is left free: it takes the width the others leave, which `choose`
        // made at least `MIN_CUT`. (`LowerBoundary(MIN_CUT + padding)` does harm: comfy-table
        // weighs it against the space left without padding, and at 80 columns it fixed the
        // 11 columns NAME had to 10.)
        if !shown[i] {
            column.set_constraint(ColumnConstraint::Hidden);
        } else if columns[i].fit != Fit::Cut {
            // Never cut by comfy-table: a `Whole` column, or one already cut here.
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    table
}

/// Which columns show. Columns that never drop come first; the others are
/// added in order of preference (lowest `drop` first), each one only if the
/// table still fits with cutting. So a narrow column can still show when a
/// wider, more useful one could not. The columns that always show are printed
/// even when they do not fit: the terminal wraps them, and nothing is lost.
fn choose(columns: &[Column], natural: &[usize], width: usize) -> Vec<bool> {
    let mut shown: Vec<bool> = columns.iter().map(|c| c.drop == 0).collect();
    let mut optional: Vec<usize> = (0..columns.len())
        .filter(|&i| columns[i].drop > 0)
        .collect();
    optional.sort_by_key(|&i| columns[i].drop);
    for i in optional {
        shown[i] = true;
        let narrowest = total(&shown, |j| match columns[j].fit {
            Fit::Whole => natural[j],
            Fit::Cut | Fit::CutStart => natural[j].min(MIN_CUT),
        });
        shown[i] = narrowest <= width;
    }
    shown
}

/// The width of the shown columns, each `width(i)` wide, with the gaps between them.
fn total(shown: &[bool], width: impl Fn(usize) -> usize) -> usize {
    let n = shown.iter().filter(|&&s| s).count();
    (0..shown.len())
        .filter(|&i| shown[i])
        .map(width)
        .sum::<usize>()
        + usize::from(GAP) * n.saturating_sub(1)
}

/// Cuts the shown `CutStart` columns (the URL) first, each only as far as the
/// table needs and to no less than `MIN_CUT`; comfy-table then cuts the rest.
fn cut_starts(
    columns: &[Column],
    natural: &[usize],
    shown: &[bool],
    width: usize,
    texts: &mut [Vec<String>],
) {
    let mut over = total(shown, |i| natural[i]).saturating_sub(width);
    for i in (0..columns.len()).filter(|&i| shown[i] && columns[i].fit == Fit::CutStart) {
        let cut = over.min(natural[i].saturating_sub(MIN_CUT));
        over -= cut;
        for row in texts.iter_mut() {
            row[i] = cut_start(&row[i], natural[i] - cut);
        }
    }
}

/// `…` and the end of `text`, in `width` columns.
fn cut_start(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        tail.push(c);
        used += w;
    }
    std::iter::once('…').chain(tail.into_iter().rev()).collect()
}

fn clean(text: &str) -> String {
    crate::text::sanitize(text).into_owned()
}
#[cfg(test)]
mod tests {
    use super::*;

    const ESC: char = '\u{1b}';

    fn export(id: &str, status: &str, name: &str, url: &str) -> Vec<Cell<'static>> {
        vec![
            Cell::new(id.to_owned()),
            Cell::new(status.to_owned()),
            Cell::new(name.to_owned()),
            Cell::new("project_001"),
            Cell::new("folder_001"),
            Cell::new("2023-12-08T05:03:10.91362+00:00"),
            Cell::new("2023-12-08T05:18:44.10001+00:00"),
            Cell::new(url.to_owned()),
        ]
    }

    fn rows() -> Vec<Vec<Cell<'static>>> {
        vec![
            export(
                "export_001",
                "ready",
                "The best forty seconds of the keynote",
                "https://cdn.example.com/exports/folder_001/project_001/export_001.mp4",
            ),
            export("export_002", "processing", "Intro", "-"),
        ]
    }

    fn headers(line: &str) -> Vec<&str> {
        line.split_whitespace().collect()
    }

    #[test]
    fn piped_batches_are_the_one_table_of_all_rows() {
        let names = [
            "Intro",
            "日本語のタイトル",
            "🎬 clip",
            "a\u{1b}[2Jb\tc",
            "",
            "x",
        ];
        let rows: Vec<Vec<Cell>> = (0..2 * BATCH + 7)
            .map(|i| {
                let mut row = export(
                    &format!("export_{i}"),
                    ["ready", "processing", "error"][i % 3],
                    &names[i % names.len()].repeat(1 + i % 4),
                    &format!("https://cdn.example.com/{}.mp4", "x".repeat(i % 50)),
                );
                row.truncate(8 - i % 3);
                row
            })
            .collect();
        let shown = vec![true; EXPORT_COLUMNS.len()];
        let texts = rows
            .iter()
            .map(|r| {
                (0..8)
                    .map(|i| r.get(i).map_or_else(String::new, |c| clean(&c.text)))
                    .collect()
            })
            .collect();
        let whole: Vec<String> = layout(&EXPORT_COLUMNS, &rows, texts, &shown, None, false)
            .lines()
            .map(|l| l.trim_end_matches(' ').to_owned())
            .collect();
        assert_eq!(render(&EXPORT_COLUMNS, &rows, None, false), whole);
        // And the padding written without comfy-table, one row at a time.
        let mut lines = Vec::new();
        let row = |i: usize| rows[i].clone();
        plain(&EXPORT_COLUMNS, rows.len(), row, |line| {
            lines.push(line.to_owned());
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(lines, whole);
    }

    #[test]
    fn wide_terminal_and_pipe_print_everything_in_full() {
        for width in [Some(400), None] {
            let lines = render(&EXPORT_COLUMNS, &rows(), width, false);
            assert_eq!(
                lines[0],
                "ID          STATUS      NAME                                   PROJECT      \
                 FOLDER      CREATED                          FINISHED                         URL"
            );
            assert_eq!(
                lines[1],
                "export_001  ready       The best forty seconds of the keynote  project_001  \
                 folder_001  2023-12-08T05:03:10.91362+00:00  2023-12-08T05:18:44.10001+00:00  \
                 https://cdn.example.com/exports/folder_001/project_001/export_001.mp4"
            );
            assert_eq!(
                lines[2],
                "export_002  processing  Intro                                  project_001  \
                 folder_001  2023-12-08T05:03:10.91362+00:00  2023-12-08T05:18:44.10001+00:00  -"
            );
            assert_eq!(lines.len(), 3);
        }
    }

    #[test]
    fn natural_width_that_fits_is_printed_as_is() {
        let natural = render(&EXPORT_COLUMNS, &rows(), None, false);
        let exact = natural.iter().map(|l| l.width()).max().unwrap();
        assert_eq!(
            render(&EXPORT_COLUMNS, &rows(), Some(exact), false),
            natural
        );
        // One column less and something gives way: the URL, cut by one at its start.
        let narrower = render(&EXPORT_COLUMNS, &rows(), Some(exact - 1), false);
        assert!(
            narrower[1].ends_with(
                "  …tps://cdn.example.com/exports/folder_001/project_001/export_001.mp4"
            ),
            "{}",
            narrower[1]
        );
        assert_eq!(narrower[1].width(), exact - 1);
    }

    #[test]
    fn eighty_columns_cut_the_url_then_the_name_and_keep_ids() {
        let lines = render(&EXPORT_COLUMNS, &rows(), Some(80), false);
        for l in &lines {
            assert!(l.width() <= 80, "{l}");
        }
        assert_eq!(
            headers(&lines[0]),
            ["ID", "STATUS", "NAME", "CREATED", "URL"]
        );
        assert_eq!(
            lines[1],
            "export_001  ready       The best f…  2023-12-08T05:03:10.91362+00:00  …t_001.mp4"
        );
        assert!(lines[2].starts_with("export_002  processing  Intro "));
    }

    #[test]
    fn narrow_terminals_leave_out_columns_in_the_documented_order() {
        // Kept in this order while they fit (as `list --help` says): CREATED,
        // NAME, URL, PROJECT, FINISHED, FOLDER; a narrow column can still show
        // where a wider, more useful one did not fit.
        let expected: [(usize, &[&str]); 9] = [
            (
                200,
                &[
                    "ID", "STATUS", "NAME", "PROJECT", "FOLDER", "CREATED", "FINISHED", "URL",
                ],
            ),
            (
                140,
                &[
                    "ID", "STATUS", "NAME", "PROJECT", "FOLDER", "CREATED", "FINISHED", "URL",
                ],
            ),
            (
                120,
                &[
                    "ID", "STATUS", "NAME", "PROJECT", "FOLDER", "CREATED", "URL",
                ],
            ),
            (100, &["ID", "STATUS", "NAME", "PROJECT", "CREATED", "URL"]),
            (80, &["ID", "STATUS", "NAME", "CREATED", "URL"]),
            (60, &["ID", "STATUS", "CREATED"]),
            (54, &["ID", "STATUS", "NAME", "URL"]),
            (40, &["ID", "STATUS", "NAME"]),
            (30, &["ID", "STATUS"]),
        ];
        for (width, headers_shown) in expected {
            let lines = render(&EXPORT_COLUMNS, &rows(), Some(width), false);
            assert_eq!(headers(&lines[0]), headers_shown, "{width}");
        }
        for width in 22..=220 {
            let lines = render(&EXPORT_COLUMNS, &rows(), Some(width), false);
            for l in &lines {
                assert!(l.width() <= width, "{width}: {l}");
            }
            assert!(lines[0].starts_with("ID          STATUS"), "{width}");
            assert!(lines[1].starts_with("export_001  ready"), "{width}");
            assert!(lines[2].starts_with("export_002  processing"), "{width}");
        }
        // comfy-table cuts where the width ends, a space before `…` included.
        assert_eq!(
            render(&EXPORT_COLUMNS, &rows(), Some(40), false),
            [
                "ID          STATUS      NAME",
                "export_001  ready       The best forty …",
                "export_002  processing  Intro",
            ]
        );
    }

    #[test]
    fn list_help_gives_the_order_columns_are_left_out_in() {
        let mut optional: Vec<&Column> = EXPORT_COLUMNS.iter().filter(|c| c.drop > 0).collect();
        optional.sort_by_key(|c| c.drop);
        let order: Vec<&str> = optional.iter().map(|c| c.header).collect();
        let help = <crate::cli::Cli as clap::CommandFactory>::command()
            .find_subcommand("list")
            .and_then(|c| c.get_after_help().map(ToString::to_string))
            .unwrap_or_default();
        let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            help.contains(&format!(
                "in this order while they fit: {})",
                order.join(", ")
            )),
            "{help}"
        );
    }

    #[test]
    fn ids_are_printed_whole_even_when_they_do_not_fit() {
        let lines = render(&EXPORT_COLUMNS, &rows(), Some(10), false);
        assert_eq!(lines[1], "export_001  ready");
        assert_eq!(lines[2], "export_002  processing");
    }

    #[test]
    fn colour_makes_headers_bold_and_styles_cells() {
        let rows = vec![vec![
            Cell::new("export_001"),
            Cell::new("ready").fg(Color::DarkGreen),
        ]];
        let lines = render(&EXPORT_COLUMNS[..2], &rows, Some(80), true);
        assert_eq!(
            lines[0],
            "\u{1b}[1mID\u{1b}[0m          \u{1b}[1mSTATUS\u{1b}[0m"
        );
        // crossterm's codes: 256-colour index 2 (the terminal's green), default foreground.
        assert_eq!(lines[1], "export_001  \u{1b}[38;5;2mready\u{1b}[39m");
        // Escape codes do not count toward the width.
        let cut = vec![vec![
            Cell::new("export_001"),
            Cell::new("x"),
            Cell::new("long name here").fg(Color::DarkRed),
        ]];
        let lines = render(&EXPORT_COLUMNS[..3], &cut, Some(30), true);
        assert_eq!(
            lines[1],
            "export_001  x       \u{1b}[38;5;1mlong name…\u{1b}[39m"
        );
    }

    #[test]
    fn no_colour_means_no_escape_byte_at_all() {
        let mut rows = rows();
        rows[0][1] = Cell::new("ready").fg(Color::DarkGreen);
        rows[1][1] = Cell::new("error").fg(Color::DarkRed);
        for width in [None, Some(80), Some(40)] {
            for l in render(&EXPORT_COLUMNS, &rows, width, false) {
                assert!(!l.contains(ESC), "{l:?}");
            }
        }
    }

    #[test]
    fn server_text_cannot_move_the_cursor_or_break_lines() {
        let rows = vec![vec![
            Cell::new("export_001"),
            Cell::new("re\u{1b}[2Jady\nx\t"),
        ]];
        let lines = render(&EXPORT_COLUMNS[..2], &rows, None, false);
        assert_eq!(lines[1], "export_001  re [2Jady x");
    }

    #[test]
    fn wide_characters_are_measured_by_display_width() {
        let rows = vec![
            export("export_001", "ready", "日本語のタイトルです長い名前", "-"),
            export("export_002", "ready", "🎬🎬🎬 clip", "-"),
        ];
        let cols = &EXPORT_COLUMNS[..3];
        let rows: Vec<Vec<Cell>> = rows
            .into_iter()
            .map(|r| r.into_iter().take(3).collect())
            .collect();
        let full = render(cols, &rows, None, false);
        // The name column is 28 display columns wide (14 CJK characters).
        assert_eq!(full[2], "export_002  ready   🎬🎬🎬 clip");
        assert_eq!(full[0].find("NAME"), Some(20));
        let lines = render(cols, &rows, Some(33), false);
        // 33 - 20 = 13 columns for NAME: 6 CJK characters (12) and `…`.
        assert_eq!(lines[1], "export_001  ready   日本語のタイ…");
        for l in &lines {
            assert!(l.width() <= 33, "{l}");
        }
        // A cut never splits a wide character: 12 columns hold 5 of them and `…`.
        let lines = render(cols, &rows, Some(32), false);
        assert_eq!(lines[1], "export_001  ready   日本語のタ…");
        assert_eq!(lines[2], "export_002  ready   🎬🎬🎬 clip");
        let lines = render(cols, &rows, Some(30), false);
        assert_eq!(lines[1], "export_001  ready   日本語の…");
        assert_eq!(lines[2], "export_002  ready   🎬🎬🎬 cl…");
    }

    #[test]
    fn missing_and_extra_cells_and_no_rows_do_not_panic() {
        let rows = vec![vec![Cell::new("export_001")], vec![]];
        let lines = render(&EXPORT_COLUMNS, &rows, Some(80), false);
        assert_eq!(lines[1], "export_001");
        assert_eq!(lines[2], "");
        let lines = render(&PROJECT_COLUMNS, &[], None, false);
        assert_eq!(lines, ["ID  NAME  VIRALITY  CREATED"]);
        assert_eq!(render(&PROJECT_COLUMNS, &[], Some(0), false), ["ID"]);
        let extra = vec![vec![
            Cell::new("a"),
            Cell::new("b"),
            Cell::new("c"),
            Cell::new("d"),
            Cell::new("e"),
        ]];
        assert_eq!(
            render(&PROJECT_COLUMNS, &extra, None, false)[1],
            "a   b     c         d"
        );
    }

    #[test]
    fn projects_table_cuts_the_name_then_leaves_out_created() {
        let rows = vec![vec![
            Cell::new("project_001"),
            Cell::new("The best 40 seconds of a very long video"),
            Cell::new("0.85"),
            Cell::new("2023-10-02T09:00:00Z"),
        ]];
        let lines = render(&PROJECT_COLUMNS, &rows, Some(60), false);
        assert_eq!(
            lines[1],
            "project_001  The best 40 se…  0.85      2023-10-02T09:00:00Z"
        );
        assert_eq!(lines[1].width(), 60);
        let lines = render(&PROJECT_COLUMNS, &rows, Some(50), false);
        assert_eq!(headers(&lines[0]), ["ID", "NAME", "VIRALITY"]);
    }
}
