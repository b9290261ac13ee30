//! Unit tests of `--jq`: the wiring, each builtin we add and each output rule.

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
        "1.50\n1e3\n1.5\n2\n"
    );
    // Literals keep their digits; arithmetic is in doubles, as in jq.
    assert_eq!(ok(".[2].n + 1", LIST), "1.2345678901234568e+22\n");
    assert_eq!(ok(".[2].n", LIST), "12345678901234567890123\n");
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
    assert_eq!(
        err.to_string(),
        r#"--jq: Cannot index number with string ("foo")"#
    );

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
        "--jq: No more inputs"
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
