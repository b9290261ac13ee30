//! Rewrites of the parsed program that give jq's behaviour where jaq's core differs.
//!
//! Every definition (ours, jaq's and the user's) starts with `_g`, a native that fails
//! once the stack is deep: recursion without end becomes an error, not a crash. In the
//! user's program only, assignments go through our `setpath` (jq creates what is
//! missing, `null | .a = 1`), `/`, `%` and `-` through definitions that raise jq's
//! errors, `catch` handlers see jq's wording, and `$__loc__` is its object.

use jaq_core::load::lex::StrPart;
use jaq_core::load::parse::{BinaryOp, Def, Pattern, Term};
use jaq_core::ops::Math;
use jaq_core::path::{Part, Path};

/// What the rewrite may change: `user` adds the rewrites of the user's program.
#[derive(Clone, Copy)]
pub struct Mode<'s> {
    pub user: bool,
    /// The user's program (for `$__loc__` lines) and where numbers we make are kept.
    pub code: &'s str,
    pub arena: &'s jaq_core::load::Arena,
}

pub fn defs<'s>(defs: impl IntoIterator<Item = Def<&'s str>>, mode: Mode<'s>) -> Vec<Def<&'s str>> {
    defs.into_iter().map(|d| def(d, mode)).collect()
}

fn def<'s>(mut d: Def<&'s str>, mode: Mode<'s>) -> Def<&'s str> {
    let body = term(std::mem::take(&mut d.body), mode);
    // `_g | body` keeps a tail call in `body` a tail call.
    d.body = pipe(call("_jq_guard", vec![]), body);
    d
}

fn call<'s>(name: &'s str, args: Vec<Term<&'s str>>) -> Term<&'s str> {
    Term::Call(name, args)
}

fn pipe<'s>(l: Term<&'s str>, r: Term<&'s str>) -> Term<&'s str> {
    Term::BinOp(Box::new(l), BinaryOp::Pipe(None), Box::new(r))
}

fn string(s: &str) -> Term<&str> {
    Term::Str(None, vec![StrPart::Str(s)])
}

pub fn term<'s>(t: Term<&'s str>, mode: Mode<'s>) -> Term<&'s str> {
    let go = |t: Term<&'s str>| term(t, mode);
    let bx = |t: Box<Term<&'s str>>| Box::new(term(*t, mode));
    match t {
        Term::Var(v) if mode.user && v == "$__loc__" => loc(mode, v),
        Term::Id | Term::Recurse | Term::Num(_) | Term::Break(_) | Term::Var(_) => t,
        Term::Str(fmt, parts) => {
            let parts = parts
                .into_iter()
                .map(|p| match p {
                    // jq prints an interpolated value as `tojson` does (nan is null).
                    StrPart::Term(t) if fmt.is_none() && mode.user => {
                        StrPart::Term(pipe(go(t), call("tostring", vec![])))
                    }
                    StrPart::Term(t) => StrPart::Term(go(t)),
                    other => other,
                })
                .collect();
            Term::Str(fmt, parts)
        }
        Term::Arr(t) => Term::Arr(t.map(bx)),
        Term::Obj(entries) => Term::Obj(
            entries
                .into_iter()
                .map(|(k, v)| match (k, v) {
                    (Term::Var(v), None) if mode.user && v == "$__loc__" => {
                        (string("__loc__"), Some(loc(mode, v)))
                    }
                    (k, v) => (go(k), v.map(go)),
                })
                .collect(),
        ),
        Term::Neg(t) if mode.user && !matches!(*t, Term::Num(_)) => {
            pipe(go(*t), call("_jq_negate", vec![]))
        }
        Term::Neg(t) => Term::Neg(bx(t)),
        Term::BinOp(l, op, r) => binop(*l, op, *r, mode),
        Term::Label(x, t) => Term::Label(x, bx(t)),
        Term::Fold(name, xs, pat, args) => Term::Fold(
            name,
            bx(xs),
            pattern(pat, mode),
            args.into_iter().map(go).collect(),
        ),
        Term::TryCatch(t, None) => Term::TryCatch(bx(t), None),
        // The handler sees jq's wording of the error.
        Term::TryCatch(t, Some(c)) => Term::TryCatch(
            bx(t),
            Some(Box::new(pipe(call("_jq_error", vec![]), go(*c)))),
        ),
        Term::IfThenElse(branches, otherwise) => Term::IfThenElse(
            branches.into_iter().map(|(c, t)| (go(c), go(t))).collect(),
            otherwise.map(bx),
        ),
        Term::Def(ds, t) => Term::Def(defs(ds, mode), bx(t)),
        Term::Call(name, args) => Term::Call(name, args.into_iter().map(go).collect()),
        Term::Path(t, Path(parts)) => Term::Path(
            bx(t),
            Path(
                parts
                    .into_iter()
                    .map(|(part, opt)| (path_part(part, mode), opt))
                    .collect(),
            ),
        ),
    }
}

fn path_part<'s>(part: Part<Term<&'s str>>, mode: Mode<'s>) -> Part<Term<&'s str>> {
    // jq rounds a fractional index down, a slice's start down and its end up.
    let round = |t: Term<&'s str>, how: &'s str| match t {
        Term::Str(..) => term(t, mode),
        Term::Num(n) if !n.contains(['.', 'e', 'E']) => term(t, mode),
        t if mode.user => pipe(term(t, mode), call(how, vec![])),
        t => term(t, mode),
    };
    match part {
        Part::Index(i) => Part::Index(round(i, "_jq_index_down")),
        Part::Range(from, to) => Part::Range(
            from.map(|t| round(t, "_jq_index_down")),
            to.map(|t| round(t, "_jq_index_up")),
        ),
    }
}

fn pattern<'s>(p: Pattern<&'s str>, mode: Mode<'s>) -> Pattern<&'s str> {
    match p {
        Pattern::Var(_) => p,
        Pattern::Arr(ps) => Pattern::Arr(ps.into_iter().map(|p| pattern(p, mode)).collect()),
        Pattern::Obj(entries) => Pattern::Obj(
            entries
                .into_iter()
                .map(|(k, p)| (term(k, mode), pattern(p, mode)))
                .collect(),
        ),
    }
}

fn binop<'s>(
    l: Term<&'s str>,
    op: BinaryOp<&'s str>,
    r: Term<&'s str>,
    mode: Mode<'s>,
) -> Term<&'s str> {
    let go = |t: Term<&'s str>| term(t, mode);
    if !mode.user {
        let op = match op {
            BinaryOp::Pipe(Some(p)) => BinaryOp::Pipe(Some(pattern(p, mode))),
            op => op,
        };
        return Term::BinOp(Box::new(go(l)), op, Box::new(go(r)));
    }
    // `r as $__v | l |= (. op $__v)`, as jq defines the update-assignments.
    let with_value = |r: Term<&'s str>, update: Term<&'s str>| {
        Term::BinOp(
            Box::new(go(r)),
            BinaryOp::Pipe(Some(Pattern::Var("$__jq_v"))),
            Box::new(call("_jq_modify", vec![go(l.clone()), update])),
        )
    };
    match op {
        BinaryOp::Assign => call("_jq_assign", vec![go(l), go(r)]),
        BinaryOp::Update => call("_jq_modify", vec![go(l), go(r)]),
        BinaryOp::UpdateMath(op) => {
            let update = math(Term::Id, op, Term::Var("$__jq_v"), mode);
            with_value(r, update)
        }
        BinaryOp::UpdateAlt => {
            let update = Term::BinOp(
                Box::new(Term::Id),
                BinaryOp::Alt,
                Box::new(Term::Var("$__jq_v")),
            );
            with_value(r, update)
        }
        BinaryOp::Math(op) => math(go(l), op, go(r), mode),
        BinaryOp::Pipe(Some(p)) => Term::BinOp(
            Box::new(go(l)),
            BinaryOp::Pipe(Some(pattern(p, mode))),
            Box::new(go(r)),
        ),
        op => Term::BinOp(Box::new(go(l)), op, Box::new(go(r))),
    }
}

/// `l / r` and `l % r` through definitions that fail on a zero divisor as jq does;
/// the right side is the outer loop, as in jq's `(1,2) / (3,4)`.
fn math<'s>(l: Term<&'s str>, op: Math, r: Term<&'s str>, _mode: Mode<'s>) -> Term<&'s str> {
    match op {
        Math::Div => call("_jq_div", vec![r, l]),
        Math::Rem => call("_jq_rem", vec![r, l]),
        Math::Mul => call("_jq_mul", vec![r, l]),
        Math::Add => call("_jq_add", vec![r, l]),
        Math::Sub => call("_jq_sub", vec![r, l]),
    }
}

/// `{"file": "<top-level>", "line": N}` for the place of `var` in the user's program.
fn loc<'s>(mode: Mode<'s>, var: &'s str) -> Term<&'s str> {
    let line = (var.as_ptr() as usize)
        .checked_sub(mode.code.as_ptr() as usize)
        .and_then(|start| mode.code.get(..start))
        .map_or(1, |before| before.matches('\n').count() + 1);
    let line: &'s str = mode.arena.alloc(line.to_string()).as_str();
    Term::Obj(vec![
        (string("file"), Some(string("<top-level>"))),
        (string("line"), Some(Term::Num(line))),
    ])
}
