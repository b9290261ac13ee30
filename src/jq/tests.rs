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

/// Each case: expression, input, jq's output (one result a line, strings raw).
fn check(cases: &[(&str, &str, &str)]) {
    for (expr, input, want) in cases {
        match jq(expr, input) {
            Ok(out) => assert_eq!(out, format!("{want}\n"), "{expr} on {input}"),
            Err(err) => assert_eq!(
                format!("{err:#}"),
                format!("--jq: {want}"),
                "{expr} on {input}"
            ),
        }
    }
}

#[test]
fn builtins_jaq_lacks_are_defined() {
    check(&[
        (
            "[range(5;10)|IN(range(0;10;3))]",
            "null",
            "[false,true,false,false,true]",
        ),
        ("IN(range(10;20); range(10))", "null", "false"),
        (
            "INDEX(.id)",
            r#"[{"id":1},{"id":"b"}]"#,
            r#"{"1":{"id":1},"b":{"id":"b"}}"#,
        ),
        (
            "JOIN({\"1\":\"x\"}; .[]; tostring) | tojson",
            "[1,2]",
            "[1,\"x\"]\n[2,null]",
        ),
        (
            "[tostream] | tojson",
            r#"{"a":[1,2]}"#,
            r#"[[["a",0],1],[["a",1],2],[["a",1]],[["a"]]]"#,
        ),
        (
            "fromstream(tostream)",
            r#"{"a":[1,{"b":null}],"c":[]}"#,
            r#"{"a":[1,{"b":null}],"c":[]}"#,
        ),
        (
            "[1|truncate_stream([[0],1],[[1,0],2],[[1,0]],[[1]])] | tojson",
            "null",
            "[[[0],2],[[0]]]",
        ),
        (
            "[.[] | trimstr(\"ab\")]",
            r#"["abxab","ab","xa"]"#,
            r#"["x","","xa"]"#,
        ),
        (
            "ltrimstr(\"a\")",
            "1",
            "startswith() requires string inputs",
        ),
        (
            "builtins | (length > 100, all(test(\"^[a-zA-Z@][^/]*/[0-9]+$\")), any(startswith(\"_\")))",
            "null",
            "true\ntrue\nfalse",
        ),
        ("have_decnum, input_filename", "null", "true\nnull"),
        ("@base32d", "\"MFRGG===\"", "abc"),
        ("[.[] | tostring | ascii_downcase]", "[1]", "[\"1\"]"),
        (
            "implode",
            "[65,-1,1114112,55296,1.9]",
            "A\u{fffd}\u{fffd}\u{fffd}\u{1}",
        ),
        ("[splits(\", *\")]", "\"a, b,c\"", "[\"a\",\"b\",\"c\"]"),
        ("$__loc__", "null", "{\"file\":\"<top-level>\",\"line\":1}"),
        ("getpath([\"a\",0,\"b\"])", "null", "null"),
        ("[paths]", "{\"a\":[1]}", "[[\"a\"],[\"a\",0]]"),
        ("join(\",\")", "[1,null,\"a\",true]", "1,,a,true"),
        ("join(\",\")", "[]", ""),
        (
            "[.[] | try tonumber catch \"x\"]",
            r#"["1"," 2","+3",".5","4a"]"#,
            "[1,\"x\",3,0.5,\"x\"]",
        ),
        (
            "try limit(-1; 1) catch .",
            "null",
            "limit doesn't support negative count",
        ),
        ("[nth(5,7; range(9;0;-1))]", "null", "[4,2]"),
        (
            "try nth(-1; 1) catch .",
            "null",
            "nth doesn't support negative indices",
        ),
        (
            "[.[] * \"ab\"]",
            "[-1,0,1.5,2]",
            "[null,\"\",\"ab\",\"abab\"]",
        ),
        ("[.[1.5], .[1.2:2.5]]", "[0,1,2,3]", "[1,[1,2]]"),
        (
            "[to_entries, (with_entries(.value += 1))] | tojson",
            "{\"a\":1}",
            "[[{\"key\":\"a\",\"value\":1}],{\"a\":2}]",
        ),
        (
            "from_entries",
            r#"[{"k":"a","v":1},{"Name":"b","Value":2},{"key":null,"value":3}]"#,
            r#"{"a":1,"b":2,"null":3}"#,
        ),
        (
            "try flatten(-1) catch .",
            "[]",
            "flatten depth must not be negative",
        ),
        ("[limit(3; repeat(1))]", "null", "[1,1,1]"),
    ]);
}

#[test]
fn assignments_create_what_is_missing_and_delete_in_one_pass() {
    check(&[
        (".a = 1", "null", "{\"a\":1}"),
        (".[2] = 1", "null", "[null,null,1]"),
        (".a.b |= . + 1", "{}", "{\"a\":{\"b\":1}}"),
        (".a += 1, .a //= 3", "{\"a\":null}", "{\"a\":1}\n{\"a\":3}"),
        ("del(.[0,2])", "[1,2,3,4]", "[2,4]"),
        (
            "del(.[1], .[-6], .[2], .[-3:9])",
            "[0,1,2,3,4,5,6,7,8,9]",
            "[0,3,5,6,9]",
        ),
        ("del(.[0:2], .[3])", "[0,1,2,3,4]", "[2,4]"),
        ("delpaths([[-200]])", "[1,2]", "[1,2]"),
        (".[] |= empty", "[1,2,3]", "[]"),
        (
            ".foo[1,4,2,3] |= empty",
            "{\"foo\":[0,1,2,3,4,5]}",
            "{\"foo\":[0,5]}",
        ),
        (
            "pick(.a.b, .[\"c\"])",
            "{\"a\":{\"b\":1,\"x\":2},\"c\":3}",
            "{\"a\":{\"b\":1},\"c\":3}",
        ),
        ("pick(first)", "[1,2]", "[1]"),
        ("setpath([\"a\",1]; 5)", "null", "{\"a\":[null,5]}"),
        (
            "delpaths([[\"a\"],[\"b\",0]])",
            "{\"a\":1,\"b\":[1,2]}",
            "{\"b\":[2]}",
        ),
        (
            "try (.[-1] = 0) catch .",
            "null",
            "Out of bounds negative array index",
        ),
        (
            "try (.[999999999] = 0) catch .",
            "null",
            "Array index too large",
        ),
        (
            "try setpath([1]; 1) catch .",
            "{}",
            "Cannot index object with number (1)",
        ),
        (
            "try delpaths(0) catch .",
            "{}",
            "Paths must be specified as an array",
        ),
        (".[1:3] = [\"x\"]", "[0,1,2,3]", "[0,\"x\",3]"),
        ("[range(100000)] | .[] |= . + 1 | length", "null", "100000"),
        (
            "walk(if type == \"number\" then . + 1 end)",
            "[1,{\"a\":2}]",
            "[2,{\"a\":3}]",
        ),
    ]);
}

#[test]
fn errors_are_in_jq_words_and_short() {
    let long = format!("\"{}\"", "x".repeat(5000));
    check(&[
        (
            "try (1/0) catch .",
            "null",
            "number (1) and number (0) cannot be divided because the divisor is zero",
        ),
        (
            "try (1%0) catch .",
            "null",
            "number (1) and number (0) cannot be divided (remainder) because the divisor is zero",
        ),
        (
            "try -. catch .",
            "\"very-long-long-long-long-string\"",
            "string (\"very-long-long-long-long...\") cannot be negated",
        ),
        ("try .[] catch .", "123", "Cannot iterate over number (123)"),
        ("try .[] catch .", "null", "Cannot iterate over null"),
        (
            "try .a catch .",
            "[1]",
            "Cannot index array with string (\"a\")",
        ),
        (
            "try (. + {}) catch .",
            "\"a\"",
            "string (\"a\") and object ({}) cannot be added",
        ),
        (".a", "[1]", "Cannot index array with string (\"a\")"),
        ("[nan % 1, 1 % nan | isnan]", "null", "[true,true]"),
        ("13911860366432393 - 10", "null", "13911860366432382"),
        ("try trim catch .", "1", "trim input must be a string"),
        (
            "try utf8bytelength catch .",
            "[]",
            "array ([]) only strings have UTF-8 byte length",
        ),
        ("input", "1", "No more inputs"),
    ]);
    // A value in an uncaught error is cut: never the whole input.
    let err = jq(". as $x | 1 | .[$x]", &long).unwrap_err().to_string();
    assert!(err.len() < 300, "{err}");
    let err = jq("error(.)", &long).unwrap_err().to_string();
    assert!(err.len() < 300, "{err}");
}

#[test]
fn output_is_json_as_jq_prints_it() {
    check(&[
        (
            "[nan, infinite, -infinite]",
            "null",
            "[null,1.7976931348623157e+308,-1.7976931348623157e+308]",
        ),
        ("nan, -nan", "null", "null\nnull"),
        (
            "[1e17 + 0, 1e-5 + 0, 0.1 + 0.2, 10 / 4, 2 * 3.0, -0 + 0, 1e1000 + 0]",
            "null",
            "[1e+17,1e-05,0.30000000000000004,2.5,6,0,1.7976931348623157e+308]",
        ),
        (
            "[1.50, 1E+1000, 100000000000000000000000]",
            "null",
            "[1.50,1E+1000,100000000000000000000000]",
        ),
        ("{(1): 2}", "null", "Object keys must be strings"),
        (
            "[{(true): 1}] | tojson",
            "null",
            "Object keys must be strings",
        ),
        (
            "[nan] | tojson, tostring, \"\\(nan)\"",
            "null",
            "[null]\n[null]\nnull",
        ),
        (
            "\"\\u007f\\u0000é\" | tojson",
            "null",
            "\"\\u007f\\u0000é\"",
        ),
        (
            "reduce range(10001) as $i (null; [.])",
            "null",
            "value nested deeper than 10000 levels",
        ),
    ]);
    assert_eq!(write::float(123_456_789_012.5), "123456789012.5");
    assert_eq!(write::float(-1e-7), "-1e-07");
    assert_eq!(write::float(1e16), "10000000000000000");
}

#[test]
fn recursion_without_end_is_an_error() {
    for expr in [
        "def f: [f]; f",
        "def f: 1 + f; f",
        "def f: try f catch f; f",
    ] {
        let err = jq(expr, "0").unwrap_err().to_string();
        assert!(
            err.contains("recurses too deeply") || err.contains("nested deeper"),
            "{expr}: {err}"
        );
    }
    // A tail call is a loop, not recursion.
    assert_eq!(
        ok("def f: if . < 100000 then .+1 | f end; f", "0"),
        "100000\n"
    );
}

#[test]
fn debug_and_stderr_yield_their_input() {
    assert_eq!(ok("debug, debug(\"m\"), stderr", "1"), "1\n1\n1\n");
    assert!(
        jq("\"m\" | halt_error(1)", "null")
            .unwrap_err()
            .to_string()
            .contains("exit code 1")
    );
}

/// JSON texts of every kind `read` meets: escapes (pairs, lone surrogates, upper and
/// lower case hex), non-ASCII text, numbers of every form, nesting, empty containers,
/// duplicate keys (also one written with an escape), odd whitespace.
fn json_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let ws = || prop_oneof![Just(""), Just(" "), Just("\n\t "), Just("\r\n")];
    let piece = prop_oneof![
        "[a-z ]{1,4}",
        "[é€😀\u{202e}\u{7f}]",
        r#"\\["\\/bfnrt]"#,
        r"\\u[0-9a-fA-F]{4}",
        r"\\u[dD][89abAB][0-9a-f]{2}\\u[dD][c-fC-F][0-9a-f]{2}",
        r"\\u[dD][89a-fA-F][0-9a-f]{2}",
        Just(String::new()),
    ];
    let string = proptest::collection::vec(piece, 0..5).prop_map(|p| format!("\"{}\"", p.concat()));
    let number = r"-?(0|[1-9][0-9]{0,24})(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?";
    let leaf = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        number,
        string.clone(),
    ];
    let key = prop_oneof![
        Just("\"a\"".to_string()),
        Just("\"\\u0061\"".to_string()),
        Just("\"b\"".to_string()),
        string,
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        let sep = (ws(), ws()).prop_map(|(a, b)| format!("{a},{b}"));
        prop_oneof![
            (
                proptest::collection::vec(inner.clone(), 0..6),
                sep.clone(),
                ws()
            )
                .prop_map(|(items, sep, w)| format!("[{w}{}{w}]", items.join(&sep))),
            (
                proptest::collection::vec((key.clone(), ws(), inner), 0..6),
                sep,
                ws()
            )
                .prop_map(|(pairs, sep, w)| {
                    let pairs: Vec<String> = pairs
                        .iter()
                        .map(|(k, s, v)| format!("{k}{s}:{s}{v}"))
                        .collect();
                    format!("{{{w}{}{w}}}", pairs.join(&sep))
                }),
        ]
    })
}

/// jaq's own reading of `text` with its lone surrogates written as U+FFFD: what `read`
/// must give. Debug shows key order and how each number is held, which `==` does not.
fn jaq_reads(text: &str) -> String {
    let text = crate::json::without_lone_surrogates(text);
    format!(
        "{:?}",
        jaq_json::read::parse_single(text.as_bytes()).unwrap()
    )
}

proptest::proptest! {
    #[test]
    fn read_gives_what_jaq_gives(text in json_text(), ws in "[ \n]{0,2}") {
        let text = format!("{ws}{text}{ws}");
        let (ours, _) = read::text(&text).unwrap();
        proptest::prop_assert_eq!(format!("{ours:?}"), jaq_reads(&text), "{}", text);
    }

    #[test]
    fn read_takes_anything_without_a_panic(text in r#"[\[\]{}:,"\\u0-9a-fA-F .eE+-ntrl]{0,40}"#) {
        // Valid or not, it reads as jaq's reader does or is refused.
        if let Ok((ours, _)) = read::text(&text) {
            let text = crate::json::without_lone_surrogates(&text);
            let theirs = jaq_json::read::parse_single(text.as_bytes());
            proptest::prop_assert_eq!(Some(format!("{ours:?}")), theirs.ok().map(|v| format!("{v:?}")), "{}", text);
        }
    }

    #[test]
    fn read_gives_what_jaq_gives_for_an_array_of_items(items in proptest::collection::vec(json_text(), 0..8)) {
        let items: Vec<std::borrow::Cow<str>> = items.into_iter().map(Into::into).collect();
        let ours = read::array(&items, None, |v, _, _| v).unwrap();
        proptest::prop_assert_eq!(format!("{ours:?}"), jaq_reads(&format!("[{}]", items.join(","))));
    }
}

#[test]
fn read_cases() {
    for text in [
        r#"{"a":1,"b":2,"a":3}"#,
        r#"{"a":{"x":1},"\u0061":[],"b":{}}"#,
        r#"["\ud83d\ude00","\uD83D","\udc00x","\ud83d\u0041","\ud83d\ud83d\ude00"]"#,
        "[0,-0,1.0,1e3,1E+3,-1.5e-300,1e400,12345678901234567890123,9223372036854775807]",
        "[-9223372036854775808,-9223372036854775809,0.1,100000000000000000000000.5]",
        r#"["\"\\\/\b\f\n\r\t","é€😀",""]"#,
        "[[[[]]],{},[{}],\"\"]",
        " \n\t\r null \n",
    ] {
        assert_eq!(
            format!("{:?}", read::text(text).unwrap().0),
            jaq_reads(text),
            "{text}"
        );
    }
    // Keys, and values that repeat, are shared between items; each item's stay its own.
    let items: Vec<std::borrow::Cow<str>> = vec![
        r#"{"id":"1","s":"a"}"#.into(),
        r#"{"s":"b","id":"2","x":null}"#.into(),
        r#"{"id":"3"}"#.into(),
        r#"{"id":"3","s":"b"}"#.into(),
        r#"{"id":"\u0033","s":"a\\b"}"#.into(),
        r#"{"id":"3","s":"a\b"}"#.into(),
        r#"{"id":"","s":"a\\b","x":"b"}"#.into(),
        r#"{"id":"","s":"a\\b","x":"\""}"#.into(),
    ];
    let v = read::array(&items, None, |v, _, _| v).unwrap();
    assert_eq!(
        format!("{v:?}"),
        jaq_reads(&format!("[{}]", items.join(",")))
    );
}

#[test]
fn read_refuses_what_is_not_json_without_a_panic() {
    for bad in [
        "",
        " ",
        "[",
        "[1,]",
        "{\"a\"}",
        "{\"a\":}",
        "{1:2}",
        "\"abc",
        "\"\\x\"",
        "\"\\u12\"",
        "nul",
        "tru",
        "-",
        "1.",
        "[1 2]",
        "{\"a\":1 \"b\":2}",
        "1 2",
        "\"\\",
        "NaN",
        "#",
        "\"\\ud83d\\u",
    ] {
        assert!(read::text(bad).is_err(), "{bad:?}");
    }
    // Deep values are an error, not a crash of the (filter thread's) stack.
    let deep = |n, open: &str, close: &str| format!("{}1{}", open.repeat(n), close.repeat(n));
    let outcome = |text: String| on_big_stack(|| read::text(&text).map(|_| ()));
    let refused = outcome(deep(20_000, "[", "]")).unwrap().unwrap_err();
    assert!(refused.contains("less deeply nested"), "{refused}");
    assert!(outcome(deep(20_000, "{\"a\":", "}")).unwrap().is_err());
    assert!(outcome(deep(10_000, "[", "]")).unwrap().is_ok());
}

#[test]
fn a_key_in_an_item_is_hidden_before_the_filter_sees_it() {
    use std::fmt::Write as _;
    const KEY: &str = "jq-read-test-key-7f3a";
    crate::text::hide(KEY);
    assert_eq!(crate::text::redact(KEY), "***");
    let escaped = KEY.chars().fold(String::new(), |mut s, c| {
        let _ = write!(s, "\\u{:04x}", c as u32);
        s
    });
    let items: Vec<std::borrow::Cow<str>> = vec![
        r#"{"id":"plain","n":1}"#.into(),
        format!(r#"{{"id":"e1","echo":"Bearer {KEY}","{KEY}":1}}"#).into(),
        format!(r#"{{"id":"e2","escaped":"{escaped}","nest":[{{"k":"x{escaped}"}}]}}"#).into(),
        r#"{"id":"\u0065"}"#.into(),
    ];
    let filter = Filter::compile("map(tojson) | join(\"\\n\")").unwrap();
    let mut out = Vec::new();
    filter
        .run_on(Input::Array(&items), &mut out, false)
        .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(
        out,
        "{\"id\":\"plain\",\"n\":1}\n{\"id\":\"e1\",\"echo\":\"Bearer ***\",\"***\":1}\n\
         {\"id\":\"e2\",\"escaped\":\"***\",\"nest\":[{\"k\":\"x***\"}]}\n{\"id\":\"e\"}\n"
    );
    let text = format!(r#"{{"a":"{escaped}","b":"{KEY}"}}"#);
    assert_eq!(ok(".", &text), "{\"a\":\"***\",\"b\":\"***\"}\n");
}

/// Memory and time of reading a list, not a test: `JQ_BODY=list.json cargo test --release
/// --bin klap-export jq::tests::read_cost -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a test"]
fn read_cost() {
    let rss = || {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let kb = status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .unwrap_or("");
        kb.split_whitespace()
            .nth(1)
            .unwrap_or("0")
            .parse::<f64>()
            .unwrap_or(0.0)
            / 1024.0
    };
    let body = bytes::Bytes::from(std::fs::read(std::env::var("JQ_BODY").unwrap()).unwrap());
    let text = std::str::from_utf8(&body).unwrap();
    let items: Vec<std::borrow::Cow<str>> = crate::json::array_items(text, usize::MAX)
        .unwrap()
        .into_iter()
        .map(Into::into)
        .collect();
    for shared in [None, Some(&body)] {
        let _ = on_big_stack(|| {
            let before = rss();
            let t = std::time::Instant::now();
            let v = read::array(&items, shared, |v, _, _| v).unwrap();
            let took = t.elapsed();
            let how = if shared.is_some() {
                "in place"
            } else {
                "copied"
            };
            println!(
                "{} items {how}: {took:?}, {:.1} MiB",
                items.len(),
                rss() - before
            );
            std::mem::forget(v);
        });
    }
}

#[test]
fn items_of_a_shared_body_are_read_in_place() {
    let body = bytes::Bytes::from(format!(
        "[{},{{\"id\":\"x\\u0041\"}}]",
        &LIST[1..LIST.len() - 1]
    ));
    let text = std::str::from_utf8(&body).unwrap();
    let mut items: Vec<std::borrow::Cow<str>> = crate::json::array_items(text, 10)
        .unwrap()
        .into_iter()
        .map(Into::into)
        .collect();
    items.insert(1, r#"{"id":"copied"}"#.into());
    let v = read::array(&items, Some(&body), |v, _, _| v).unwrap();
    let copied = read::array(&items, None, |v, _, _| v).unwrap();
    assert_eq!(format!("{v:?}"), format!("{copied:?}"));
    let id = |i: usize| match &v {
        Val::Arr(a) => match &a[i] {
            Val::Obj(o) => match o.get(&Val::from("id".to_string())) {
                Some(Val::TStr(s)) => s.as_ptr() as usize,
                _ => 0,
            },
            _ => 0,
        },
        _ => 0,
    };
    let inside =
        |p: usize| (body.as_ptr() as usize..body.as_ptr() as usize + body.len()).contains(&p);
    assert!(inside(id(0)) && inside(id(2)) && !inside(id(1)));
    let filter = Filter::compile("map(.id)").unwrap();
    let mut out = Vec::new();
    filter
        .run_on(Input::ArrayIn(&body, &items), &mut out, false)
        .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "[\"e1\",\"copied\",\"e2\",\"e3\",\"xA\"]\n"
    );
}
