//! Filters written in Rust: the recursion guard, jq's path updates (which create what
//! is missing and delete in one pass), jq's error wording, output and stderr effects.

// jq's numbers are doubles: casts between them and indices are the point here, and
// each is clamped or checked first.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::many_single_char_names
)]

use std::cell::Cell;

use jaq_core::box_iter::box_once;
use jaq_core::native::{Fun, bome, v};
use jaq_core::{Bind, Cv, DataT, Error, Exn, Native, ValXs, data};
use jaq_json::{Num, Val};
use jaq_std::ValT as _;

use super::write::{self, dump_short, type_name};

pub type Data = data::JustLut<Val>;
type ValR = Result<Val, Error<Val>>;
/// What a native yields (spelt as jaq spells it, so that the fn pointers unify).
type Out<'a> = ValXs<'a, <Data as DataT>::V<'a>>;

thread_local! {
    /// Address near the bottom of the filter thread's stack, and how much of it a
    /// filter may use before `_jq_guard` fails.
    static STACK: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
    /// Set once the guard tripped: the run fails even if a `try` caught it.
    static TOO_DEEP: Cell<bool> = const { Cell::new(false) };
}

/// Marks the calling thread's current stack position as the base, `limit` bytes allowed.
pub fn set_stack(limit: usize) {
    let here = 0u8;
    STACK.set((
        std::ptr::from_ref::<u8>(std::hint::black_box(&here)) as usize,
        limit,
    ));
    TOO_DEEP.set(false);
}

pub fn too_deep() -> bool {
    TOO_DEEP.get()
}

pub const TOO_DEEP_MESSAGE: &str = "the expression recurses too deeply (stack limit reached)";

fn guard() -> Result<(), Exn<'static, Val>> {
    let here = 0u8;
    let here = std::ptr::from_ref::<u8>(std::hint::black_box(&here)) as usize;
    let (base, limit) = STACK.get();
    if TOO_DEEP.get() || (base != 0 && base.saturating_sub(here) > limit) {
        TOO_DEEP.set(true);
        return Err(Exn::from(Error::str(TOO_DEEP_MESSAGE)));
    }
    Ok(())
}

fn err(msg: impl Into<String>) -> Error<Val> {
    Error::new(Val::from(msg.into()))
}

fn fun(name: &'static str) -> Box<[Bind]> {
    match name {
        "_jq_modify" => [Bind::Fun(()), Bind::Fun(())].into(),
        _ => v(0),
    }
}

pub fn funs() -> Vec<Fun<Data>> {
    let guard_native = Native::<Data>::new(|cv| match guard() {
        Ok(()) => box_once(Ok(cv.1)),
        Err(e) => box_once(Err(e)),
    })
    .with_paths(|cv| match guard() {
        Ok(()) => box_once(Ok(cv.1)),
        Err(e) => box_once(Err(e)),
    })
    .with_update(|cv, f| match guard() {
        Ok(()) => f(cv.1),
        Err(e) => box_once(Err(e)),
    });
    vec![
        ("_jq_guard", v(0), guard_native),
        ("_jq_setpath", v(2), Native::new(|cv| setpath_native(cv))),
        ("_jq_delpaths", v(1), Native::new(|cv| delpaths_native(cv))),
        (
            "_jq_modify",
            fun("_jq_modify"),
            Native::new(|cv| modify_native(cv)),
        ),
        (
            "_jq_dump",
            v(0),
            Native::new(|cv| bome(Ok(Val::from(dump_short(&cv.1))))),
        ),
        (
            "_jq_error",
            v(0),
            Native::new(|cv| bome(Ok(jq_error(cv.1)))),
        ),
        ("_jq_add", v(2), Native::new(|cv| arith_native(cv, '+'))),
        ("_jq_sub", v(2), Native::new(|cv| arith_native(cv, '-'))),
        ("_jq_mul", v(2), Native::new(|cv| arith_native(cv, '*'))),
        ("_jq_div", v(2), Native::new(|cv| arith_native(cv, '/'))),
        ("_jq_rem", v(2), Native::new(|cv| arith_native(cv, '%'))),
        ("_jq_negate", v(0), Native::new(|cv| bome(negate(cv.1)))),
        (
            "_jq_type",
            v(0),
            Native::new(|cv| bome(Ok(Val::from(type_name(&cv.1).to_string())))),
        ),
        ("_jq_f64", v(0), Native::new(|cv| f64_native(cv))),
        ("tojson", v(0), Native::new(|cv| bome(tojson(&cv.1)))),
        ("_jq_base32d", v(0), Native::new(|cv| bome(base32d(&cv.1)))),
        ("builtins", v(0), Native::new(|cv| builtins_native(cv))),
        (
            "debug_empty",
            v(0),
            Native::new(|cv| {
                debug(&cv.1);
                Box::new(std::iter::empty())
            }),
        ),
        (
            "stderr_empty",
            v(0),
            Native::new(|cv| {
                stderr(&cv.1);
                Box::new(std::iter::empty())
            }),
        ),
        (
            "_jq_halt_message",
            v(0),
            Native::new(|cv| {
                halt_message(&cv.1);
                Box::new(std::iter::empty())
            }),
        ),
    ]
}

/// Names of the natives above that replace jaq's own.
pub const REPLACED: &[&str] = &["tojson", "debug_empty", "stderr_empty"];

fn tojson(v: &Val) -> ValR {
    write::to_string(v).map(Val::from).map_err(err)
}

/// A number beyond a double's exact integers as a double, as jq computes with them.
fn f64_native(cv: Cv<'_, Data>) -> Out<'_> {
    let out = match &cv.1 {
        Val::Num(Num::BigInt(_) | Num::Dec(_)) => cv.1.as_f64().map_or(cv.1.clone(), Val::from),
        Val::Num(Num::Int(i)) if i.unsigned_abs() > 1 << 53 => Val::from(*i as f64),
        _ => cv.1,
    };
    bome(Ok(out))
}

/// A number as jq computes with it: a double, unless jaq's exact integer is one.
fn double(v: Val) -> Val {
    match &v {
        Val::Num(Num::BigInt(_) | Num::Dec(_)) => v.as_f64().map_or(v, Val::from),
        Val::Num(Num::Int(i)) if i.unsigned_abs() > 1 << 53 => Val::from(*i as f64),
        _ => v,
    }
}

fn negate(v: Val) -> ValR {
    match v {
        Val::Num(_) => -v,
        v => Err(err(format!("{} cannot be negated", described(&v)))),
    }
}

/// jq's `%`: both sides cut to 64-bit integers (clamped).
fn int64(x: f64) -> i64 {
    if x.is_nan() {
        0
    } else {
        x.clamp(i64::MIN as f64, i64::MAX as f64) as i64
    }
}

/// `$s * $n`: `$n` copies (rounded down), null when negative.
fn repeat(s: &Val, n: f64) -> ValR {
    let (Val::TStr(b) | Val::BStr(b)) = s else {
        return Err(err("not a string"));
    };
    if n.is_nan() || n < 0.0 {
        return Ok(Val::Null);
    }
    let times = n.floor();
    if times * b.len() as f64 > 536_870_912.0 {
        return Err(err("Repeat string result too long"));
    }
    Ok(Val::from(String::from_utf8_lossy(b).repeat(times as usize)))
}

fn arith(op: char, l: Val, r: Val) -> ValR {
    let is_str = |v: &Val| matches!(v, Val::TStr(_) | Val::BStr(_));
    match (&l, &r) {
        (Val::Num(_), Val::Num(_)) => {}
        (s, Val::Num(_)) if op == '*' && is_str(s) => {
            return repeat(s, r.as_f64().unwrap_or(f64::NAN));
        }
        (Val::Num(_), s) if op == '*' && is_str(s) => {
            return repeat(s, l.as_f64().unwrap_or(f64::NAN));
        }
        _ => {
            return match op {
                '+' => l + r,
                '-' => l - r,
                '*' => l * r,
                '/' => l / r,
                _ => l % r,
            };
        }
    }
    let zero = r.as_f64() == Some(0.0);
    match op {
        '+' => double(l) + double(r),
        '-' => double(l) - double(r),
        '*' => double(l) * double(r),
        '/' if zero => Err(err(format!(
            "{} and {} cannot be divided because the divisor is zero",
            described(&l),
            described(&r)
        ))),
        '/' => Ok(Val::from(
            l.as_f64().unwrap_or(f64::NAN) / r.as_f64().unwrap_or(f64::NAN),
        )),
        _ if l.as_f64().is_some_and(f64::is_nan) || r.as_f64().is_some_and(f64::is_nan) => {
            Ok(Val::from(f64::NAN))
        }
        _ => {
            let (a, b) = (
                int64(l.as_f64().unwrap_or(0.0)),
                int64(r.as_f64().unwrap_or(0.0)),
            );
            if b == 0 {
                return Err(err(format!(
                    "{} and {} cannot be divided (remainder) because the divisor is zero",
                    described(&l),
                    described(&r)
                )));
            }
            Ok(Val::from(a.checked_rem(b).unwrap_or(0) as isize))
        }
    }
}

/// `_jq_add(r; l)`: the right side is bound first, so it is the outer loop, as in jq.
fn arith_native(mut cv: Cv<'_, Data>, op: char) -> Out<'_> {
    let l = cv.0.pop_var();
    let r = cv.0.pop_var();
    bome(arith(op, l, r))
}

fn builtins_native(_: Cv<'_, Data>) -> Out<'_> {
    let names = super::BUILTINS.get().cloned().unwrap_or_default();
    bome(Ok(names.into_iter().map(Val::from).collect()))
}

/// What `debug`, `stderr` and `halt_error` write: made safe for a terminal, key hidden.
fn to_stderr(text: &str) {
    let text = crate::text::sanitize(text);
    crate::say!("{text}");
}

fn compact(v: &Val) -> String {
    write::to_string(v).unwrap_or_else(|e| e)
}

fn debug(v: &Val) {
    to_stderr(&format!("[\"DEBUG:\",{}]", compact(v)));
}

fn stderr(v: &Val) {
    to_stderr(&compact(v));
}

/// `halt_error` prints a string as it is and anything else as JSON.
fn halt_message(v: &Val) {
    match v {
        Val::TStr(s) | Val::BStr(s) => {
            let text = String::from_utf8_lossy(s);
            to_stderr(text.strip_suffix('\n').unwrap_or(&text));
        }
        other => to_stderr(&compact(other)),
    }
}

fn base32d(v: &Val) -> ValR {
    let (Val::TStr(s) | Val::BStr(s)) = v else {
        return Err(err(format!(
            "{} ({}) cannot be base32-decoded",
            type_name(v),
            dump_short(v)
        )));
    };
    let mut bits = 0u64;
    let mut n = 0;
    let mut out = Vec::new();
    for &b in s.iter() {
        let d = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a',
            b'2'..=b'7' => b - b'2' + 26,
            b'=' => break,
            _ => {
                return Err(err(format!(
                    "string ({}) is not valid base32 data",
                    dump_short(v)
                )));
            }
        };
        bits = (bits << 5) | u64::from(d);
        n += 5;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    Ok(Val::from(String::from_utf8_lossy(&out).into_owned()))
}

// ---- paths -------------------------------------------------------------------------

fn index_error(v: &Val, k: &Val) -> Error<Val> {
    err(format!(
        "Cannot index {} with {} ({})",
        type_name(v),
        type_name(k),
        dump_short(k)
    ))
}

fn path_of(p: &Val) -> Result<Vec<Val>, Error<Val>> {
    match p {
        Val::Arr(a) => Ok(a.to_vec()),
        _ => Err(err("Path must be specified as an array")),
    }
}

fn as_index(k: &Val) -> Option<f64> {
    match k {
        Val::Num(_) => k.as_f64(),
        _ => None,
    }
}

/// `{start, end}` of a slice key, rounded as jq rounds them and clamped to `len`.
fn slice_bounds(k: &Val, len: usize) -> Option<(usize, usize)> {
    let Val::Obj(o) = k else { return None };
    let get = |name: &str| {
        o.get(&Val::from(name.to_string()))
            .cloned()
            .unwrap_or(Val::Null)
    };
    let bound = |v: Val, default: usize, up: bool| -> Option<usize> {
        if v == Val::Null {
            return Some(default);
        }
        let x = as_index(&v)?;
        let x = if up { x.ceil() } else { x.floor() };
        let x = if x < 0.0 { x + len as f64 } else { x };
        Some(x.clamp(0.0, len as f64) as usize)
    };
    let start = bound(get("start"), 0, false)?;
    let end = bound(get("end"), len, true)?.max(start);
    Some((start, end))
}

/// The index `k` in an array of `len`: negative counts from the end.
fn array_index(k: f64, len: usize) -> Result<usize, Error<Val>> {
    if k.is_nan() {
        return Err(err("Cannot set array element at NaN index"));
    }
    let k = k.floor();
    let k = if k < 0.0 { k + len as f64 } else { k };
    if k < 0.0 {
        return Err(err("Out of bounds negative array index"));
    }
    if k >= 536_870_912.0 {
        return Err(err("Array index too large"));
    }
    Ok(k as usize)
}

pub fn getpath(v: &Val, path: &[Val]) -> ValR {
    let Some((k, rest)) = path.split_first() else {
        return Ok(v.clone());
    };
    let child = match (v, k) {
        (Val::Null, _) => return Ok(Val::Null),
        (Val::Obj(o), Val::TStr(_) | Val::BStr(_)) => o.get(k).cloned().unwrap_or(Val::Null),
        (Val::Arr(a), Val::Num(_)) => {
            let i = as_index(k).unwrap_or(f64::NAN).floor();
            let i = if i < 0.0 { i + a.len() as f64 } else { i };
            if i >= 0.0 && (i as usize) < a.len() {
                a[i as usize].clone()
            } else {
                Val::Null
            }
        }
        (Val::Arr(a), Val::Obj(_)) => match slice_bounds(k, a.len()) {
            Some((s, e)) => a[s..e].iter().cloned().collect(),
            None => return Err(index_error(v, k)),
        },
        _ => return Err(index_error(v, k)),
    };
    getpath(&child, rest)
}

pub fn setpath(v: Val, path: &[Val], x: Val) -> ValR {
    let Some((k, rest)) = path.split_first() else {
        return Ok(x);
    };
    match (v, k) {
        (Val::Null, Val::TStr(_) | Val::BStr(_)) => {
            setpath(Val::obj(jaq_json::Map::default()), path, x)
        }
        (Val::Null, Val::Num(_) | Val::Obj(_)) => {
            setpath(Val::Arr(jaq_json::Rc::default()), path, x)
        }
        (Val::Obj(mut o), Val::TStr(_) | Val::BStr(_)) => {
            let map = jaq_json::Rc::make_mut(&mut o);
            let child = map.get(k).cloned().unwrap_or(Val::Null);
            let child = setpath(child, rest, x)?;
            map.insert(k.clone(), child);
            Ok(Val::Obj(o))
        }
        (Val::Arr(mut a), Val::Num(_)) => {
            let i = array_index(as_index(k).unwrap_or(f64::NAN), a.len())?;
            let arr = jaq_json::Rc::make_mut(&mut a);
            if i >= arr.len() {
                arr.resize(i + 1, Val::Null);
            }
            let child = std::mem::take(&mut arr[i]);
            arr[i] = setpath(child, rest, x)?;
            Ok(Val::Arr(a))
        }
        (Val::Arr(mut a), Val::Obj(_)) => {
            let Some((s, e)) = slice_bounds(k, a.len()) else {
                return Err(index_error(&Val::Arr(a), k));
            };
            let part: Val = a[s..e].iter().cloned().collect();
            let Val::Arr(new) = setpath(part, rest, x)? else {
                return Err(err(
                    "A slice of an array can only be assigned another array",
                ));
            };
            let arr = jaq_json::Rc::make_mut(&mut a);
            arr.splice(s..e, new.iter().cloned());
            Ok(Val::Arr(a))
        }
        (Val::TStr(_) | Val::BStr(_), Val::Obj(_)) => Err(err("Cannot update string slices")),
        (Val::Arr(_), Val::Arr(_)) => Err(err("Cannot update field at array index of array")),
        (v, k) => Err(index_error(&v, k)),
    }
}

fn delpath(v: Val, path: &[Val]) -> ValR {
    let Some((k, rest)) = path.split_first() else {
        return Ok(Val::Null);
    };
    match (v, k) {
        (Val::Null, _) => Ok(Val::Null),
        (Val::Obj(mut o), Val::TStr(_) | Val::BStr(_)) => {
            if !o.contains_key(k) {
                return Ok(Val::Obj(o));
            }
            let map = jaq_json::Rc::make_mut(&mut o);
            if rest.is_empty() {
                map.shift_remove(k);
            } else if let Some(child) = map.get_mut(k) {
                *child = delpath(std::mem::take(child), rest)?;
            }
            Ok(Val::Obj(o))
        }
        (Val::Arr(mut a), Val::Num(_)) => {
            let i = as_index(k).unwrap_or(f64::NAN).floor();
            let i = if i < 0.0 { i + a.len() as f64 } else { i };
            if !(i >= 0.0 && (i as usize) < a.len()) {
                return Ok(Val::Arr(a));
            }
            let arr = jaq_json::Rc::make_mut(&mut a);
            if rest.is_empty() {
                arr.remove(i as usize);
            } else {
                let child = std::mem::take(&mut arr[i as usize]);
                arr[i as usize] = delpath(child, rest)?;
            }
            Ok(Val::Arr(a))
        }
        (Val::Arr(mut a), Val::Obj(_)) => {
            let Some((s, e)) = slice_bounds(k, a.len()) else {
                return Err(index_error(&Val::Arr(a), k));
            };
            let arr = jaq_json::Rc::make_mut(&mut a);
            if rest.is_empty() {
                arr.drain(s..e);
                return Ok(Val::Arr(a));
            }
            let part: Val = arr[s..e].iter().cloned().collect();
            let Val::Arr(new) = delpath(part, rest)? else {
                return Err(err(
                    "A slice of an array can only be assigned another array",
                ));
            };
            arr.splice(s..e, new.iter().cloned());
            Ok(Val::Arr(a))
        }
        (v, k) => Err(index_error(&v, k)),
    }
}

/// `path` with negative indices counted from the end and a final slice spelt out as
/// its indices, so that sorting puts every deletion in order.
fn absolute(v: &Val, path: &[Val]) -> Vec<Vec<Val>> {
    let mut out = Vec::with_capacity(path.len());
    let mut here = v.clone();
    for (i, k) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        let k = match (&here, k) {
            (Val::Arr(a), Val::Num(_)) => match as_index(k) {
                // Still negative after counting from the end: nothing there to delete.
                Some(x) if x < 0.0 && x.floor() + a.len() as f64 >= 0.0 => {
                    Val::from((x.floor() + a.len() as f64) as isize)
                }
                _ => k.clone(),
            },
            (Val::Arr(a), Val::Obj(_)) if last => {
                let Some((s, e)) = slice_bounds(k, a.len()) else {
                    return vec![path.to_vec()];
                };
                return (s..e)
                    .map(|j| out.iter().cloned().chain([Val::from(j)]).collect())
                    .collect();
            }
            _ => k.clone(),
        };
        here = getpath(&here, std::slice::from_ref(&k)).unwrap_or(Val::Null);
        out.push(k);
    }
    vec![out]
}

/// Deletes every path, the last first, so that earlier indices stay right.
pub fn delpaths(mut v: Val, paths: &[Vec<Val>]) -> ValR {
    let mut paths: Vec<Vec<Val>> = paths.iter().flat_map(|p| absolute(&v, p)).collect();
    paths.sort();
    paths.dedup();
    for p in paths.iter().rev() {
        v = delpath(v, p)?;
    }
    Ok(v)
}

fn setpath_native(mut cv: Cv<'_, Data>) -> Out<'_> {
    let x = cv.0.pop_var();
    let p = cv.0.pop_var();
    bome(path_of(&p).and_then(|p| setpath(cv.1, &p, x)))
}

fn delpaths_native(mut cv: Cv<'_, Data>) -> Out<'_> {
    let ps = cv.0.pop_var();
    let paths = match ps {
        Val::Arr(a) => a.iter().map(path_of).collect::<Result<Vec<_>, _>>(),
        _ => Err(err("Paths must be specified as an array")),
    };
    bome(paths.and_then(|ps| delpaths(cv.1, &ps)))
}

/// `paths |= update`: each path gets the first output of `update`, or is deleted when
/// there is none (all deletions at the end, as jq 1.7.1 does).
fn modify_native(mut cv: Cv<'_, Data>) -> Out<'_> {
    let (update, uctx) = cv.0.pop_fun();
    let (paths, pctx) = cv.0.pop_fun();
    let mut v = cv.1.clone();
    // All paths first: while their iterator holds the input, every update would copy it.
    let mut paths_found = Vec::new();
    #[allow(clippy::default_trait_access)] // jaq's path list type has no public name
    let start = Default::default();
    for p in paths.paths((pctx, (cv.1, start))) {
        match p {
            Ok((_, path)) => {
                let mut path: Vec<Val> = path.iter().cloned().collect();
                path.reverse();
                paths_found.push(path);
            }
            Err(e) => return box_once(Err(e)),
        }
    }
    let mut deleted = Vec::new();
    for path in paths_found {
        let old = match getpath(&v, &path) {
            Ok(old) => old,
            Err(e) => return bome(Err(e)),
        };
        match update.run((uctx.clone(), old)).next() {
            None => deleted.push(path),
            Some(Ok(new)) => match setpath(v, &path, new) {
                Ok(new) => v = new,
                Err(e) => return bome(Err(e)),
            },
            Some(Err(e)) => return box_once(Err(e)),
        }
    }
    bome(delpaths(v, &deleted))
}

// ---- jq's wording of errors ---------------------------------------------------------

fn parse(text: &str) -> Option<Val> {
    jaq_json::read::parse_single(text.as_bytes()).ok()
}

fn described(v: &Val) -> String {
    format!("{} ({})", type_name(v), dump_short(v))
}

/// jaq's message for a common error in jq's words; anything else as it is.
pub fn jq_error(v: Val) -> Val {
    let text = match &v {
        Val::TStr(s) | Val::BStr(s) => String::from_utf8_lossy(s).into_owned(),
        _ => return v,
    };
    translate(&text).map_or(v, Val::from)
}

pub fn translate(text: &str) -> Option<String> {
    if let Some(rest) = text.strip_prefix("cannot use ") {
        if let Some(value) = rest.strip_suffix(" as iterable (array or object)") {
            let value = parse(value)?;
            return Some(match value {
                Val::Null => "Cannot iterate over null".into(),
                v => format!("Cannot iterate over {}", described(&v)),
            });
        }
        for (i, _) in rest.rmatch_indices(" as ") {
            if let Some(value) = parse(&rest[..i]) {
                let what = &rest[i + 4..];
                return Some(format!(
                    "cannot use {} as {what}",
                    write::dump_for_message(&value)
                ));
            }
        }
        return None;
    }
    if let Some(rest) = text.strip_prefix("cannot index ") {
        // The value itself may contain " with ": try each split.
        for (i, _) in rest.match_indices(" with ") {
            if let (Some(l), Some(r)) = (parse(&rest[..i]), parse(&rest[i + 6..])) {
                return Some(format!(
                    "Cannot index {} with {}",
                    type_name(&l),
                    described(&r)
                ));
            }
        }
        return None;
    }
    if let Some(rest) = text.strip_prefix("cannot calculate ") {
        for (op, verb) in [
            (" + ", "added"),
            (" - ", "subtracted"),
            (" * ", "multiplied"),
            (" / ", "divided"),
            (" % ", "divided (remainder)"),
        ] {
            for (i, _) in rest.match_indices(op) {
                if let (Some(l), Some(r)) = (parse(&rest[..i]), parse(&rest[i + 3..])) {
                    return Some(format!(
                        "{} and {} cannot be {verb}",
                        described(&l),
                        described(&r)
                    ));
                }
            }
        }
    }
    None
}

/// A run-time error for the user: jq's wording, the value cut to 200 characters.
pub fn message(v: Val) -> String {
    match jq_error(v) {
        Val::TStr(s) | Val::BStr(s) => {
            let text = String::from_utf8_lossy(&s).into_owned();
            write::cut(&text, 200)
        }
        other => write::dump_for_message(&other),
    }
}
