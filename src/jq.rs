//! `--jq`: a jq expression, run with jaq on the JSON that `--json` prints.
//!
//! The expression is compiled once, before any request, so a bad one is a
//! usage error; the output is built in memory so a filter that fails halfway
//! prints nothing and the caller alone decides what the user sees.

use std::fmt;
use std::io::Write;

use jaq_core::load::{self, Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, compile, data};
use jaq_json::Val;

type Data = data::JustLut<Val>;

/// Definitions jq has and the jaq crates we use do not.
/// With a single input, jq's `inputs` yields nothing and `input` fails
/// (jaq-std leaves both to the caller). `@csv`/`@tsv` live in jaq-fmts,
/// which would also bring YAML, TOML, XML and CBOR; these follow jq's rules.
const EXTRA_DEFS: &str = r#"
def inputs: empty;
def input: error("no more inputs");
def _tabular_cell($format; f):
  if type == "string" then f
  elif type == "null" then ""
  elif type == "boolean" or type == "number" then tojson
  else error("\(type) (\(tojson)) is not valid in a \($format) row")
  end;
def @csv: map(_tabular_cell("csv"; "\"" + (split("\"") | join("\"\"")) + "\"")) | join(",");
def @tsv: map(_tabular_cell("tsv";
  split("\\") | join("\\\\") | split("\t") | join("\\t")
  | split("\n") | join("\\n") | split("\r") | join("\\r")
)) | join("\t");
"#;

/// A compiled jq expression.
#[allow(dead_code)] // until --jq is wired in
pub struct Filter {
    filter: jaq_core::Filter<Data>,
}

/// An error raised while the filter ran (exit 1), e.g. `.foo` on a number.
#[allow(dead_code)] // until --jq is wired in
#[derive(Debug)]
pub struct RunError(String);

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "--jq: {}", self.0)
    }
}

impl std::error::Error for RunError {}

#[allow(dead_code)] // until --jq is wired in
impl Filter {
    /// Compiles `expr`; the error is one line saying what is wrong and where.
    pub fn compile(expr: &str) -> Result<Filter, String> {
        let extra = load::parse(EXTRA_DEFS, |p| p.defs()).unwrap_or_default();
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs())
            .chain(extra);
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());

        let arena = Arena::default();
        let file = File {
            code: expr,
            path: (),
        };
        let modules = Loader::new(defs)
            .load(&arena, file)
            .map_err(|errs| load_error(expr, errs))?;
        // `import "x" as $x;` reads a data file: not something an export list needs.
        load::import(&modules, |_| Err("module loading not supported".into()))
            .map_err(|errs| load_error(expr, errs))?;
        let filter = Compiler::default()
            .with_funs(funs)
            .with_global_vars(["$ENV"])
            .compile(modules)
            .map_err(|errs| compile_error(expr, errs))?;
        Ok(Filter { filter })
    }

    /// Runs the filter on `json_text` and writes each result on its own
    /// line: strings raw, anything else compact JSON in its key order. For a terminal
    /// (`tty`), strings lose the characters that could drive it, and JSON escapes them.
    /// A filter error is a [`RunError`] and nothing is written; a write
    /// error is the `io::Error` itself (so a closed pipe stays recognisable).
    pub fn run(&self, json_text: &str, out: &mut impl Write, tty: bool) -> anyhow::Result<()> {
        let input = jaq_json::read::parse_single(json_text.as_bytes())
            .map_err(|e| RunError(format!("input is not JSON: {e}")))?;
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new([env()]));
        let mut buf = Vec::new();
        for result in self.filter.id.run((ctx, input)) {
            let value = match result {
                Ok(value) => value,
                Err(exn) => match exn.get_err() {
                    Ok(err) => return Err(RunError(error_text(err.into_val())).into()),
                    // `halt` stops the program; results so far stand, as in jq.
                    Err(exn) => match exn.get_halt() {
                        Ok(0) => break,
                        Ok(code) => {
                            return Err(RunError(format!("halted with exit code {code}")).into());
                        }
                        Err(_) => return Err(RunError("internal jaq error".into()).into()),
                    },
                },
            };
            write_value(&mut buf, &value, tty)?;
        }
        out.write_all(&buf)?;
        Ok(())
    }
}

/// `$ENV`, as jq defines it; built per run because it is cheap.
fn env() -> Val {
    let vars = std::env::vars().map(|(k, v)| (Val::from(k), Val::from(v)));
    let map: jaq_json::Map = vars.collect();
    Val::obj(map)
}

fn write_value(buf: &mut Vec<u8>, value: &Val, tty: bool) -> std::io::Result<()> {
    match value {
        Val::TStr(s) | Val::BStr(s) if tty => {
            buf.write_all(crate::text::sanitize(&String::from_utf8_lossy(s)).as_bytes())?;
        }
        Val::TStr(s) | Val::BStr(s) => buf.write_all(s)?,
        _ => {
            let mut json = Vec::new();
            jaq_json::write::write(&mut json, &jaq_json::write::Pp::default(), 0, value)?;
            // Our formatter writes DEL, C1 and bidi characters as \u escapes, as --json does.
            let mut safe = Vec::with_capacity(json.len());
            match crate::json::compact(&String::from_utf8_lossy(&json), &mut safe) {
                Ok(()) => buf.write_all(&safe)?,
                // jaq's own non-JSON forms (NaN): nothing in them to escape.
                Err(_) => buf.write_all(&json)?,
            }
        }
    }
    buf.write_all(b"\n")
}

/// `error("x")` reads `x`, not `"x"`; other error values print as JSON.
fn error_text(value: Val) -> String {
    match value {
        Val::TStr(s) | Val::BStr(s) => String::from_utf8_lossy(&s).into_owned(),
        other => other.to_string(),
    }
}

fn load_error(code: &str, errs: load::Errors<&str, ()>) -> String {
    let Some((_, err)) = errs.into_iter().next() else {
        return "invalid jq expression".into();
    };
    match err {
        load::Error::Io(errs) => match errs.first() {
            Some((path, e)) => format!("cannot load {path:?}: {e}"),
            None => "cannot load a module".into(),
        },
        load::Error::Lex(errs) => match errs.first() {
            Some((expected, found)) => {
                let found_text = match found.chars().next() {
                    None => "unexpected end of input".into(),
                    Some(c) => format!("unexpected character {c:?}"),
                };
                format!(
                    "{found_text}{}, expected {}",
                    at(code, found),
                    expected.as_str()
                )
            }
            None => "invalid jq expression".into(),
        },
        load::Error::Parse(errs) => match errs.first() {
            Some((expected, found)) => {
                let found_text = if found.is_empty() {
                    "unexpected end of input".into()
                } else {
                    format!("unexpected {}", quote(found))
                };
                // jaq's "expected nothing" means the expression should have ended.
                let expected = match expected.as_str() {
                    "nothing" => "the end",
                    other => other,
                };
                format!("{found_text}{}, expected {expected}", at(code, found))
            }
            None => "invalid jq expression".into(),
        },
    }
}

fn compile_error(code: &str, errs: compile::Errors<&str, ()>) -> String {
    let first = errs.into_iter().flat_map(|(_, errs)| errs).next();
    let Some((found, undefined)) = first else {
        return "invalid jq expression".into();
    };
    let what = match (found, &undefined) {
        ("reduce" | "foreach", compile::Undefined::Filter(n)) => {
            format!("wrong number of arguments to {found} ({n})")
        }
        (_, compile::Undefined::Filter(n)) => format!("undefined function '{found}/{n}'"),
        (_, other) => format!("undefined {} '{found}'", other.as_str()),
    };
    format!("{what}{}", at(code, found))
}

/// " at column N" (or "line L, column N") of `part` inside `code`, counted
/// in characters; empty when `part` is not a slice of `code`.
fn at(code: &str, part: &str) -> String {
    let Some(start) = (part.as_ptr() as usize).checked_sub(code.as_ptr() as usize) else {
        return String::new();
    };
    let Some(before) = code.get(..start) else {
        return String::new();
    };
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    if code.contains('\n') {
        format!(" at line {line}, column {column}")
    } else {
        format!(" at column {column}")
    }
}

/// A token for a one-line message: first line only, kept short, escaped.
fn quote(token: &str) -> String {
    let first = token.lines().next().unwrap_or("");
    let short: String = first.chars().take(20).collect();
    let ellipsis = if short.len() < token.len() { "…" } else { "" };
    format!("'{}{ellipsis}'", short.escape_debug())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = r#"[
  {"id": "e1", "status": "ready", "n": 1},
  {"id": "e2", "status": "processing", "n": 2.5},
  {"id": "e3", "status": "ready", "n": 12345678901234567890123}
]"#;

    fn jq(expr: &str, input: &str) -> anyhow::Result<String> {
        let filter = Filter::compile(expr).map_err(anyhow::Error::msg)?;
        let mut out = Vec::new();
        filter.run(input, &mut out, false)?;
        Ok(String::from_utf8(out)?)
    }

    fn ok(expr: &str, input: &str) -> String {
        match jq(expr, input) {
            Ok(out) => out,
            Err(err) => panic!("{expr}: {err:#}"),
        }
    }

    fn compile_err(expr: &str) -> String {
        match Filter::compile(expr) {
            Ok(_) => panic!("{expr} compiled"),
            Err(err) => err,
        }
    }

    #[test]
    fn strings_are_raw_one_a_line() {
        assert_eq!(ok(".[] | .id", LIST), "e1\ne2\ne3\n");
        assert_eq!(ok(r#""a\"b\n\tc""#, "null"), "a\"b\n\tc\n");
    }

    #[test]
    fn objects_are_compact_in_their_key_order() {
        let input = r#"[{"z": 1, "a": {"y": [1, 2], "b": "s\"q"}, "m": null}]"#;
        assert_eq!(
            ok(".[0]", input),
            "{\"z\":1,\"a\":{\"y\":[1,2],\"b\":\"s\\\"q\"},\"m\":null}\n"
        );
        assert_eq!(ok(".[0] | keys_unsorted", input), "[\"z\",\"a\",\"m\"]\n");
        assert_eq!(
            ok(".[0] | .k = 2", input),
            "{\"z\":1,\"a\":{\"y\":[1,2],\"b\":\"s\\\"q\"},\"m\":null,\"k\":2}\n"
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(ok(".[] | .n", LIST), "1\n2.5\n12345678901234567890123\n");
        assert_eq!(
            ok("1.50, 1e3, 3 / 2, 10 / 5", "null"),
            "1.50\n1e3\n1.5\n2.0\n"
        );
        assert_eq!(ok(".[2].n + 1", LIST), "12345678901234567890124\n");
    }

    #[test]
    fn select_and_length() {
        assert_eq!(ok(r#"map(select(.status=="ready")) | length"#, LIST), "2\n");
    }

    #[test]
    fn alternative_and_interpolation() {
        assert_eq!(ok(r#".[0].x // "d""#, LIST), "d\n");
        assert_eq!(
            ok(r#".[] | "\(.id): \(.status)""#, LIST),
            "e1: ready\ne2: processing\ne3: ready\n"
        );
    }

    #[test]
    fn several_results_and_null() {
        assert_eq!(ok(".[0] | .id, .n, .status", LIST), "e1\n1\nready\n");
        assert_eq!(ok(".[0].missing", LIST), "null\n");
        assert_eq!(ok("empty", LIST), "");
        assert_eq!(ok("[.[].id]", LIST), "[\"e1\",\"e2\",\"e3\"]\n");
        assert_eq!(ok("true, false, {}", LIST), "true\nfalse\n{}\n");
    }

    #[test]
    fn a_bad_expression_fails_to_compile_with_a_one_line_reason() {
        assert_eq!(compile_err("foo"), "undefined function 'foo/0' at column 1");
        assert_eq!(
            compile_err(".[] | map"),
            "undefined function 'map/0' at column 7"
        );
        assert_eq!(
            compile_err("$nope"),
            "undefined variable '$nope' at column 1"
        );
        assert_eq!(
            compile_err(".[] |"),
            "unexpected end of input at column 6, expected term"
        );
        assert_eq!(
            compile_err(".a &"),
            "unexpected character '&' at column 4, expected token"
        );
        assert_eq!(
            compile_err("[.a"),
            "unexpected end of input at column 4, expected closing bracket"
        );
        assert_eq!(
            compile_err("if . then 1"),
            "unexpected end of input at column 12, expected else or end"
        );
        assert_eq!(
            compile_err(".a |\n  ,"),
            "unexpected ',' at line 2, column 3, expected term"
        );
        assert_eq!(
            compile_err("include \"x\"; ."),
            "cannot load \"x\": module loading not supported"
        );
        assert_eq!(
            compile_err(".a 1"),
            "unexpected '1' at column 4, expected the end"
        );
        assert_eq!(
            compile_err("\"a\nb\" 1"),
            "unexpected '1' at line 2, column 4, expected the end"
        );
    }

    #[test]
    fn a_runtime_error_is_returned_and_nothing_is_written() {
        let filter = Filter::compile(r".[] | .id, (.n | .foo)").unwrap();
        let mut out = Vec::new();
        let err = filter.run(LIST, &mut out, false).unwrap_err();
        assert!(out.is_empty());
        assert!(err.downcast_ref::<RunError>().is_some());
        assert_eq!(err.to_string(), r#"--jq: cannot index 1 with "foo""#);

        let err = jq(r#""before", error("x")"#, "null").unwrap_err();
        assert_eq!(err.to_string(), "--jq: x");
        let err = jq(r#"error({"a": 1})"#, "null").unwrap_err();
        assert_eq!(err.to_string(), r#"--jq: {"a":1}"#);
    }

    #[test]
    fn input_env_and_halt() {
        assert_eq!(ok("[inputs]", "1"), "[]\n");
        assert_eq!(
            jq("input", "1").unwrap_err().to_string(),
            "--jq: no more inputs"
        );
        assert_eq!(ok("$ENV | type", "1"), "object\n");
        assert_eq!(ok("env | type", "1"), "object\n");
        // PATH is set in any test environment we run in.
        assert_eq!(
            ok("$ENV.PATH == env.PATH and ($ENV.PATH | length > 0)", "1"),
            "true\n"
        );
        assert_eq!(ok("1, halt, 2", "null"), "1\n");
        assert!(jq("1, halt_error(3)", "null").is_err());
    }

    #[test]
    fn the_filter_can_run_many_times() {
        let filter = Filter::compile(".a").unwrap();
        for (input, want) in [(r#"{"a":1}"#, "1\n"), (r#"{"a":"x"}"#, "x\n")] {
            let mut out = Vec::new();
            filter.run(input, &mut out, false).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), want);
        }
    }

    #[test]
    fn the_std_library_is_there() {
        assert_eq!(
            ok(
                r#"[.[] | select(.id | test("^e[12]$")) | .id] | join(",")"#,
                LIST
            ),
            "e1,e2\n"
        );
        assert_eq!(ok("[.[].id] | @csv", LIST), "\"e1\",\"e2\",\"e3\"\n");
        let row = r#"["a\"b", null, true, 2, "t\tn\nr\rs\\"]"#;
        assert_eq!(ok("@csv", row), "\"a\"\"b\",,true,2,\"t\tn\nr\rs\\\"\n");
        assert_eq!(ok("@tsv", row), "a\"b\t\ttrue\t2\tt\\tn\\nr\\rs\\\\\n");
        assert_eq!(
            jq("@tsv", "[[1]]").unwrap_err().to_string(),
            "--jq: array ([1]) is not valid in a tsv row"
        );
        assert_eq!(ok("0 | todate", "null"), "1970-01-01T00:00:00Z\n");
        assert_eq!(ok("group_by(.status) | map(length)", LIST), "[1,2]\n");
    }

    proptest::proptest! {
        #[test]
        fn compiling_anything_gives_a_filter_or_one_line(expr in r#"[ .a-z0-9|,()\[\]{}"$:;@+*/=<>!?\\\n-]{0,30}"#) {
            if let Err(err) = Filter::compile(&expr) {
                proptest::prop_assert!(!err.contains('\n'), "{err}");
            }
        }
    }

    #[test]
    fn nothing_reaches_a_terminal_raw() {
        let filter = Filter::compile(".[0].name, .[0]").unwrap();
        let input = r#"[{"name":"a\u001b]0;x\u0007b\u202ec"}]"#;
        let mut out = Vec::new();
        filter.run(input, &mut out, true).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a ]0;x b c\n{\"name\":\"a\\u001b]0;x\\u0007b\\u202ec\"}\n"
        );
        let mut out = Vec::new();
        filter.run(input, &mut out, false).unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .starts_with("a\u{1b}]0;x\u{7}b\u{202e}c\n")
        );
    }
}
