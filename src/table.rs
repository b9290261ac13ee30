//! Tables: one line a row, fitted to the terminal's width; full values when piped.
//!
//! Written by hand rather than with comfy-table: comfy-table wraps cells over
//! several lines to fit a width (we want one line a row, cut with `…`), and its
//! colours go through crossterm, which under `NO_COLOR` still writes an empty
//! `ESC[m` for each styled cell.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A column and how it gives way when the terminal is too narrow.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    /// 0: never cut. Otherwise the column may be cut with `…` (down to
    /// `MIN_CUT` columns); a higher number is cut first.
    pub cut: u8,
    /// 0: always shown. The others are taken lowest number first, each only
    /// if the table still fits (with cutting): a higher number is left out
    /// first, and a narrow column can still show where a wider one did not.
    pub drop: u8,
    /// Cut from the start, keeping the end (`…/EXPORT_ID.mp4` says more than `https://st…`).
    pub keep_end: bool,
}

impl Column {
    pub const fn new(header: &'static str, cut: u8, drop: u8) -> Column {
        Column {
            header,
            cut,
            drop,
            keep_end: false,
        }
    }

    pub const fn keep_end(self) -> Column {
        Column {
            keep_end: true,
            ..self
        }
    }
}

/// The narrowest a cut column gets, `…` included.
pub const MIN_CUT: usize = 10;

/// The exports table (list, status, wait, create). ID and STATUS always show.
/// URL is cut first (keeping its end, the file name), then NAME; then the least useful columns are left out:
/// the others are kept in this order while they fit: CREATED, NAME, URL,
/// PROJECT, FINISHED, FOLDER. The cells of a row are in the order of these
/// columns.
pub const EXPORT_COLUMNS: [Column; 8] = [
    // header, cut, drop
    Column::new("ID", 0, 0),
    Column::new("STATUS", 0, 0),
    Column::new("NAME", 1, 2),
    Column::new("PROJECT", 0, 4),
    Column::new("FOLDER", 0, 6),
    Column::new("CREATED", 0, 1),
    Column::new("FINISHED", 0, 5),
    Column::new("URL", 2, 3).keep_end(),
];

/// The projects table. ID always shows; NAME is cut with `…`; then the
/// others are kept in this order while they fit: NAME, VIRALITY, CREATED.
pub const PROJECT_COLUMNS: [Column; 4] = [
    // header, cut, drop
    Column::new("ID", 0, 0),
    Column::new("NAME", 1, 1),
    Column::new("VIRALITY", 0, 2),
    Column::new("CREATED", 0, 3),
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

/// One value and how it looks on a colour terminal.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub text: String,
    pub style: Style,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            style: Style::new(),
        }
    }

    /// The cell in a foreground colour (used only when colour is on).
    pub fn fg(self, color: AnsiColor) -> Cell {
        Cell {
            style: Style::new().fg_color(Some(color.into())),
            ..self
        }
    }
}

/// The table's lines, header first, without line ends or trailing spaces.
///
/// `width`: the terminal's width, or `None` when not on a terminal (nothing is
/// cut or left out). Columns are two spaces apart and left-aligned. `color`:
/// bold headers and the cells' styles; off, the lines hold no escape byte.
/// Missing cells are empty, extra cells are ignored; control characters in
/// the text become spaces so no value can move the cursor or break a line.
pub fn render(
    columns: &[Column],
    rows: &[Vec<Cell>],
    width: Option<usize>,
    color: bool,
) -> Vec<String> {
    let header_style = Style::new().bold();
    let texts: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            (0..columns.len())
                .map(|i| row.get(i).map_or_else(String::new, |c| clean(&c.text)))
                .collect()
        })
        .collect();
    let natural: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            texts
                .iter()
                .map(|row| row[i].width())
                .fold(c.header.width(), usize::max)
        })
        .collect();
    let (shown, widths) = match width {
        None => ((0..columns.len()).collect(), natural),
        Some(w) => layout(columns, &natural, w),
    };

    let mut lines = Vec::with_capacity(rows.len() + 1);
    let header: Vec<(&str, Style)> = columns.iter().map(|c| (c.header, header_style)).collect();
    lines.push(line(columns, &header, &shown, &widths, color));
    for (row, text) in rows.iter().zip(&texts) {
        let cells: Vec<(&str, Style)> = text
            .iter()
            .enumerate()
            .map(|(i, t)| (t.as_str(), row.get(i).map_or_else(Style::new, |c| c.style)))
            .collect();
        lines.push(line(columns, &cells, &shown, &widths, color));
    }
    lines
}

/// Which columns to show (in table order) and how wide each column is.
/// Columns that never drop come first; the others are added in order of
/// preference (lowest `drop` first), each one only if the table still fits
/// with cutting. So a narrow column can still show when a wider, more
/// useful one could not.
fn layout(columns: &[Column], natural: &[usize], width: usize) -> (Vec<usize>, Vec<usize>) {
    let mut shown: Vec<usize> = (0..columns.len())
        .filter(|&i| columns[i].drop == 0)
        .collect();
    let mut optional: Vec<usize> = (0..columns.len())
        .filter(|&i| columns[i].drop > 0)
        .collect();
    optional.sort_by_key(|&i| columns[i].drop);
    for i in optional {
        let mut candidate = shown.clone();
        candidate.push(i);
        candidate.sort_unstable();
        if cut_to_fit(columns, natural, &candidate, width).is_some() {
            shown = candidate;
        }
    }
    // The columns that always show are printed even when they do not fit:
    // the terminal wraps them, and nothing is lost.
    let widths = cut_to_fit(columns, natural, &shown, width).unwrap_or_else(|| {
        let mut widths = natural.to_vec();
        for &i in &shown {
            if columns[i].cut > 0 {
                widths[i] = widths[i].min(MIN_CUT);
            }
        }
        widths
    });
    (shown, widths)
}

/// The column widths that make `shown` fit `width`, cutting the cuttable
/// columns (highest `cut` first, each only as far as needed, to no less
/// than `MIN_CUT`); `None` when it cannot fit.
fn cut_to_fit(
    columns: &[Column],
    natural: &[usize],
    shown: &[usize],
    width: usize,
) -> Option<Vec<usize>> {
    let mut widths = natural.to_vec();
    let total = |widths: &[usize]| -> usize {
        shown.iter().map(|&i| widths[i]).sum::<usize>() + 2 * shown.len().saturating_sub(1)
    };
    let mut cuttable: Vec<usize> = shown
        .iter()
        .copied()
        .filter(|&i| columns[i].cut > 0)
        .collect();
    cuttable.sort_by_key(|&i| std::cmp::Reverse(columns[i].cut));
    for i in cuttable {
        let over = total(&widths).saturating_sub(width);
        if over == 0 {
            break;
        }
        widths[i] -= over.min(widths[i].saturating_sub(MIN_CUT));
    }
    (total(&widths) <= width).then_some(widths)
}

/// One printed line: the shown cells padded to their widths, two spaces apart.
fn line(
    columns: &[Column],
    cells: &[(&str, Style)],
    shown: &[usize],
    widths: &[usize],
    color: bool,
) -> String {
    let mut out = String::new();
    for (n, &i) in shown.iter().enumerate() {
        let (text, style) = cells.get(i).copied().unwrap_or(("", Style::new()));
        let text = if columns.get(i).is_some_and(|c| c.keep_end) {
            cut_start(text, widths[i])
        } else {
            cut(text, widths[i])
        };
        if color && style != Style::new() && !text.is_empty() {
            let _ = write!(out, "{}{text}{}", style.render(), style.render_reset());
        } else {
            out.push_str(&text);
        }
        if n + 1 < shown.len() {
            let pad = widths[i].saturating_sub(text.width()) + 2;
            out.extend(std::iter::repeat_n(' ', pad));
        }
    }
    out.truncate(out.trim_end_matches(' ').len());
    out
}

/// `text` in at most `width` columns: whole, or cut with `…` at the end.
fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    // "The best forty…", not "The best forty …".
    out.truncate(out.trim_end().len());
    out.push('…');
    out
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

    fn export(id: &str, status: &str, name: &str, url: &str) -> Vec<Cell> {
        vec![
            Cell::new(id),
            Cell::new(status),
            Cell::new(name),
            Cell::new("project_001"),
            Cell::new("folder_001"),
            Cell::new("2023-12-08T05:03:10.91362+00:00"),
            Cell::new("2023-12-08T05:18:44.10001+00:00"),
            Cell::new(url),
        ]
    }

    fn rows() -> Vec<Vec<Cell>> {
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
        // Kept in this order while they fit (EXPORT_FIT_HELP): CREATED, NAME,
        // URL, PROJECT, FINISHED, FOLDER; a narrow column can still show
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
        assert_eq!(
            render(&EXPORT_COLUMNS, &rows(), Some(40), false),
            [
                "ID          STATUS      NAME",
                "export_001  ready       The best forty…",
                "export_002  processing  Intro",
            ]
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
            Cell::new("ready").fg(AnsiColor::Green),
        ]];
        let lines = render(&EXPORT_COLUMNS[..2], &rows, Some(80), true);
        assert_eq!(
            lines[0],
            "\u{1b}[1mID\u{1b}[0m          \u{1b}[1mSTATUS\u{1b}[0m"
        );
        assert_eq!(lines[1], "export_001  \u{1b}[32mready\u{1b}[0m");
        // Escape codes do not count toward the width.
        let cut = vec![vec![
            Cell::new("export_001"),
            Cell::new("x"),
            Cell::new("long name here").fg(AnsiColor::Red),
        ]];
        let lines = render(&EXPORT_COLUMNS[..3], &cut, Some(30), true);
        assert_eq!(
            lines[1],
            "export_001  x       \u{1b}[31mlong name…\u{1b}[0m"
        );
    }

    #[test]
    fn no_colour_means_no_escape_byte_at_all() {
        let mut rows = rows();
        rows[0][1] = Cell::new("ready").fg(AnsiColor::Green);
        rows[1][1] = Cell::new("error").fg(AnsiColor::Red);
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
