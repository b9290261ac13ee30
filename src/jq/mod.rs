//! `--jq`: a jq expression, run with jaq on the JSON that `--json` prints.
//!
//! jaq is made to behave as jq where it differs (see `rewrite`, `natives` and
//! `prelude.jq`), and runs on a thread with a large stack and a recursion guard, so
//! that no expression can crash the process.
//!
//! The expression is compiled once, before any request, so a bad one is a
//! usage error; the output is built in memory so a filter that fails halfway
//! prints nothing and the caller alone decides what the user sees.

use std::fmt;
use std::sync::OnceLock;

use jaq_core::load::parse::Def;
use jaq_core::load::{self, Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, compile};
use jaq_json::Val;

mod natives;
mod read;
mod rewrite;
mod write;

use natives::Data;

/// Definitions jq has and the jaq crates we use do not, or define otherwise.
/// `@csv`/`@tsv` live in jaq-fmts, which would also bring YAML, TOML, XML and CBOR;
/// these follow jq's rules.
const EXTRA_DEFS: &str = r#"
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

const PRELUDE: &str = include_str!("prelude.jq");

/// The filter thread's stack: jaq recurses on the call stack, and deep values are
/// compared, printed and freed recursively. Only touched pages are ever committed.
const STACK_SIZE: usize = 1 << 30;
/// When a thread that large cannot be had (a low `ulimit -v`).
const SMALL_STACK_SIZE: usize = 64 << 20;

/// `name/arity` of every builtin, for `builtins`.
static BUILTINS: OnceLock<Vec<String>> = OnceLock::new();

/// A compiled jq expression.
pub struct Filter {
    filter: jaq_core::Filter<Data>,
}

/// An error raised while the filter ran (exit 1), e.g. `.foo` on a number.
#[derive(Debug)]
pub struct RunError(String);

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "--jq: {}", self.0)
    }
}

impl std::error::Error for RunError {}

/// Runs `job` on a thread with a large stack, the guard's limit set to a part of it.
fn on_big_stack<T: Send>(job: impl Fn() -> T + Sync) -> Result<T, String> {
    let job = &job;
    std::thread::scope(|scope| {
        for size in [STACK_SIZE, SMALL_STACK_SIZE] {
            let spawned = std::thread::Builder::new()
                .name("jq".into())
                .stack_size(size)
                .spawn_scoped(scope, move || {
                    // The guard leaves the rest for what recurses on values (compare,
                    // print, free), which a filter cannot build deeper than memory allows.
                    natives::set_stack(size / 8);
                    job()
                });
            if let Ok(handle) = spawned {
                return handle
                    .join()
                    .map_err(|_| "the filter thread failed".to_string());
            }
        }
        Err("cannot start the filter thread".into())
    })
}

impl Filter {
    /// Compiles `expr`; the error is one line saying what is wrong and where.
    pub fn compile(expr: &str) -> Result<Filter, String> {
        on_big_stack(|| compile_here(expr)).and_then(|r| r)
    }

    /// Runs the filter on `json_text` and adds each result to `out` on its own
    /// line: strings raw, anything else compact JSON in its key order. For a terminal
    /// (`tty`), strings lose the characters that could drive it, and JSON escapes them.
    /// A filter error is a [`RunError`] and nothing is added.
    #[cfg(test)]
    pub fn run(&self, json_text: &str, out: &mut Vec<u8>, tty: bool) -> anyhow::Result<()> {
        self.run_on(Input::Text(json_text), out, tty)
    }

    /// [`Filter::run`] on `input`: an array is read from its items' texts, once each.
    pub fn run_on(&self, input: Input, out: &mut Vec<u8>, tty: bool) -> anyhow::Result<()> {
        let buf = on_big_stack(|| self.run_here(input, tty))
            .map_err(RunError)?
            .map_err(RunError)?;
        // Output can be megabytes: moved, not copied, when `out` holds nothing yet.
        if out.is_empty() {
            *out = buf;
        } else {
            out.extend_from_slice(&buf);
        }
        Ok(())
    }

    fn run_here(&self, input: Input, tty: bool) -> Result<Vec<u8>, String> {
        let input = input.read()?;
        // A process prints once: the OS takes a list's 100,000 values back faster than
        // freeing them one by one would (a quarter of `list --jq length`'s time).
        std::mem::forget(input.clone());
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new([env()]));
        let mut buf = Vec::new();
        let mut failure = None;
        for result in self.filter.id.run((ctx, input)) {
            let value = match result {
                Ok(value) => value,
                Err(exn) => match exn.get_err() {
                    Ok(err) => {
                        failure = Some(natives::message(err.into_val()));
                        break;
                    }
                    // `halt` stops the program; results so far stand, as in jq.
                    Err(exn) => match exn.get_halt() {
                        Ok(0) => break,
                        Ok(code) => {
                            failure = Some(format!("halted with exit code {code}"));
                            break;
                        }
                        Err(_) => {
                            failure = Some("internal jaq error".into());
                            break;
                        }
                    },
                },
            };
            if let Err(e) = write_value(&mut buf, &value, tty) {
                failure = Some(e);
                break;
            }
            free(value);
        }
        if natives::too_deep() {
            return Err(natives::TOO_DEEP_MESSAGE.into());
        }
        match failure {
            Some(e) => Err(e),
            None => Ok(buf),
        }
    }
}

/// Frees a value without recursing once per level (a deep one would use the stack up).
fn free(value: Val) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Val::Arr(a) => {
                if let Ok(items) = jaq_json::Rc::try_unwrap(a) {
                    stack.extend(items);
                }
            }
            Val::Obj(o) => {
                if let Ok(map) = jaq_json::Rc::try_unwrap(o) {
                    for (k, x) in map {
                        stack.push(k);
                        stack.push(x);
                    }
                }
            }
            _ => {}
        }
    }
}

fn compile_here(expr: &str) -> Result<Filter, String> {
    let arena = Arena::default();
    // First the expression alone, for jq-like messages about what is wrong and where.
    let file = File {
        code: expr,
        path: (),
    };
    let base: Vec<Def<&str>> = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs())
        .collect();
    let modules = Loader::new(base.clone())
        .load(&arena, file)
        .map_err(|errs| load_error(expr, errs))?;
    // `import "x" as $x;` reads a data file: not something an export list needs.
    load::import(&modules, |_| Err("module loading not supported".into()))
        .map_err(|errs| load_error(expr, errs))?;
    let main = load::parse(expr, |p| p.term())
        .ok_or_else(|| "module directives are not supported".to_string())?;

    let extra = load::parse(EXTRA_DEFS, |p| p.defs()).unwrap_or_default();
    let prelude = load::parse(PRELUDE, |p| p.defs()).unwrap_or_default();
    let lib = rewrite::Mode {
        user: false,
        code: expr,
        arena: &arena,
    };
    let user = rewrite::Mode { user: true, ..lib };
    let main = Def {
        name: "_jq_main",
        args: Vec::new(),
        body: rewrite::term(main, user),
    };
    let defs: Vec<Def<&str>> = rewrite::defs(base.into_iter().chain(extra).chain(prelude), lib)
        .into_iter()
        .chain([main])
        .collect();

    let funs: Vec<_> = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs())
        .filter(|(name, _, _)| !natives::REPLACED.contains(name))
        .chain(natives::funs())
        .collect();
    BUILTINS.get_or_init(|| builtins(&defs, &funs));

    let file = File {
        code: "_jq_main",
        path: (),
    };
    let modules = Loader::new(defs)
        .load(&arena, file)
        .map_err(|errs| load_error(expr, errs))?;
    let filter = Compiler::default()
        .with_funs(funs)
        .with_global_vars(["$ENV"])
        .compile(modules)
        .map_err(|errs| compile_error(expr, errs))?;
    Ok(Filter { filter })
}

fn builtins<F>(defs: &[Def<&str>], funs: &[(&str, Box<[jaq_core::Bind]>, F)]) -> Vec<String> {
    let mut names: Vec<String> = defs
        .iter()
        .map(|d| format!("{}/{}", d.name, d.args.len()))
        .chain(
            funs.iter()
                .map(|(n, args, _)| format!("{n}/{}", args.len())),
        )
        .filter(|n| !n.starts_with('_') && !n.starts_with('@'))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `$ENV`, as jq defines it, without the API key; built per run because it is cheap.
fn env() -> Val {
    let vars = std::env::vars()
        .filter(|(k, _)| k != "KLAP_API_KEY")
        .map(|(k, v)| {
            (
                Val::from(k),
                Val::from(crate::text::redact(&v).into_owned()),
            )
        });
    let map: jaq_json::Map = vars.collect();
    Val::obj(map)
}

/// The value with the API key, wherever a string or key holds it, replaced by `***`;
/// `None` when it holds none (nearly always): nothing is rebuilt then.
fn hide_key(v: &Val) -> Option<Val> {
    match v {
        Val::TStr(s) | Val::BStr(s) => match crate::text::redact(&String::from_utf8_lossy(s)) {
            std::borrow::Cow::Owned(hidden) => Some(Val::from(hidden)),
            std::borrow::Cow::Borrowed(_) => None,
        },
        Val::Arr(a) => {
            let first = a.iter().position(|x| hide_key(x).is_some())?;
            let hidden = a.iter().enumerate().map(|(i, x)| {
                if i < first {
                    x.clone()
                } else {
                    hide_key(x).unwrap_or_else(|| x.clone())
                }
            });
            Some(hidden.collect())
        }
        Val::Obj(o) => {
            o.iter()
                .find(|(k, x)| hide_key(k).is_some() || hide_key(x).is_some())?;
            let hide = |x: &Val| hide_key(x).unwrap_or_else(|| x.clone());
            let map: jaq_json::Map = o.iter().map(|(k, x)| (hide(k), hide(x))).collect();
            Some(Val::obj(map))
        }
        _ => None,
    }
}

/// What a filter reads.
#[derive(Clone, Copy)]
pub enum Input<'a> {
    /// One JSON text.
    Text(&'a str),
    /// An array of these JSON texts (the server's own, validated): each is read once,
    /// where printing the array and reading that back would read it twice.
    Array(&'a [std::borrow::Cow<'a, str>]),
    /// [`Input::Array`] of items that are (mostly) slices of this body: those are read
    /// in place, their strings sharing the body's memory, where the others are copied.
    ArrayIn(&'a bytes::Bytes, &'a [std::borrow::Cow<'a, str>]),
}

impl Input<'_> {
    /// The value, read as jaq reads it (see `read`): numbers keep their text where jaq
    /// can, keys their order, a lone surrogate escape reads as U+FFFD.
    fn read(self) -> Result<Val, String> {
        let not_json = |e| format!("input is not JSON: {e}");
        // A server that echoes the key cannot have it recovered by a transform.
        let hidden = |v: Val| hide_key(&v).unwrap_or(v);
        // Without escapes, a string holds the key only where the text does.
        let unless_plain = |v: Val, text: &str, escaped: bool| {
            let plain =
                !escaped && matches!(crate::text::redact(text), std::borrow::Cow::Borrowed(_));
            if plain { v } else { hidden(v) }
        };
        match self {
            Input::Text(text) => read::text(text).map(|(v, _)| hidden(v)).map_err(not_json),
            Input::Array(items) => read::array(items, None, unless_plain).map_err(not_json),
            Input::ArrayIn(body, items) => {
                read::array(items, Some(body), unless_plain).map_err(not_json)
            }
        }
    }
}

fn write_value(buf: &mut Vec<u8>, value: &Val, tty: bool) -> Result<(), String> {
    match value {
        Val::TStr(s) | Val::BStr(s) if tty => {
            buf.extend_from_slice(crate::text::sanitize(&String::from_utf8_lossy(s)).as_bytes());
        }
        Val::TStr(s) | Val::BStr(s) => buf.extend_from_slice(s),
        _ => write::json(buf, value, write::Escape::Stdout)?,
    }
    buf.push(b'\n');
    Ok(())
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
mod tests;
