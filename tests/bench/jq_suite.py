#!/usr/bin/env python3
"""Measure (not a test): jq's own test files run through `klap-export list --jq`.

Each case `PROG` / `INPUT` / expected lines runs as
    klap-export --base-url http://127.0.0.1:P/c<N>/v2 list --jq '.[0].v | (PROG)'
against a loopback server that answers `[{"v": INPUT}]`, and is compared as jq's
harness compares: each expected line is parsed as JSON and matched against the
next result, in order, with no result left over; a string result is printed raw,
so an expected string matches its raw text. A `%%FAIL` block passes when the
program is refused before any request (exit 2); jq's own wording is not checked.

Also counted: crashes (killed by a signal or exit >= 128), timeouts, and cases
whose non-string results are not strict JSON (NaN, Infinity, non-string keys).

Usage: tests/bench/jq_suite.py [--bin PATH] [--verbose] [DIR or FILE ...]
Default DIR is ../shared/jq-tests (beside the worktree); the files are read
there, never copied. Builds the debug binary unless --bin is given.
"""

import argparse
import http.server
import json
import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FILES = ["jq.test", "man.test", "onig.test", "manonig.test"]
TIMEOUT = 20


def skipline(line):
    """jq's harness: blank lines and comments (after spaces or tabs) end a block."""
    s = line.lstrip(" \t")
    return s == "" or s.startswith("#")


def parse_cases(path):
    """Cases as jq's harness reads them: (line, kind, program, input, expected)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    cases = []
    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\r")
        if skipline(line):
            i += 1
            continue
        if line.startswith("%%FAIL"):
            prog = lines[i + 1].rstrip("\r") if i + 1 < len(lines) else ""
            cases.append((i + 2, "fail", prog, None, []))
            i += 2
            # The expected message runs to the end of the block.
            while i < len(lines) and lines[i].strip() != "":
                i += 1
            continue
        start = i + 1
        prog = line
        inp = lines[i + 1].rstrip("\r") if i + 1 < len(lines) else ""
        i += 2
        expected = []
        while i < len(lines) and not skipline(lines[i].rstrip("\r")):
            expected.append(lines[i].rstrip("\r"))
            i += 1
        cases.append((start, "run", prog, inp, expected))
    return cases


def reject_constant(name):
    raise ValueError(f"not JSON: {name}")


def strict(text):
    return json.loads(text, parse_constant=reject_constant)


def loose(text):
    """jq's own reader accepts nan (and NaN) in test files."""
    return json.loads(re.sub(r"\bnan\b", "NaN", text))


def same(a, b):
    """jv_equal: numbers by value, objects whatever their order."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if a != a and b != b:  # nan
            return False
        return float(a) == float(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def match(expected, out):
    """Whether `out` (stdout) is exactly the expected results, in order."""
    pos = 0
    for line in expected:
        try:
            want = loose(line)
        except ValueError:
            return False, f"expected line is not JSON: {line}"
        if isinstance(want, str):
            if out.startswith(want + "\n", pos):
                pos += len(want) + 1
                continue
            return False, f"wanted {line}"
        end = out.find("\n", pos)
        if end < 0:
            return False, f"insufficient results, wanted {line}"
        got = out[pos:end]
        pos = end + 1
        try:
            value = loose(got)
        except ValueError:
            return False, f"wanted {line}, got {got}"
        if not same(want, value):
            return False, f"wanted {line}, got {got}"
    if pos != len(out):
        return False, f"superfluous results: {out[pos:pos + 200]!r}"
    return True, ""


class Handler(http.server.BaseHTTPRequestHandler):
    inputs = {}

    def do_GET(self):
        m = re.match(r"^/c(\d+)/v2/exports", self.path)
        if not m or int(m.group(1)) not in self.inputs:
            self.send_response(404)
            self.end_headers()
            return
        body = ('[{"v": ' + self.inputs[int(m.group(1))] + "}]").encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def run(binary, base, prog):
    # PAGER and TZ as jq's own harness sets them for the manual's examples.
    env = dict(os.environ, KLAP_API_KEY="jq-suite-key", NO_COLOR="1", PAGER="less", TZ="")
    env.pop("KLAP_CONFIG", None)
    env["KLAP_CONFIG"] = "/nonexistent/klap-suite-config.toml"
    try:
        p = subprocess.run(
            [binary, "--base-url", base, "--retries", "0", "list", "--jq", prog],
            capture_output=True,
            env=env,
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return None, "", "timeout"
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode(
        "utf-8", "replace"
    )


def case_result(binary, port, n, case):
    line, kind, prog, inp, expected = case
    base = f"http://127.0.0.1:{port}/c{n}/v2"
    if kind == "fail":
        code, out, err = run(binary, base, prog)
        ok = code == 2
        return ok, code, f"compiled (exit {code})" if not ok else "", False
    code, out, err = run(binary, base, f".[0].v | ({prog}\n)")
    if code is None:
        return False, None, "timeout", False
    if code != 0:
        return False, code, f"exit {code}: {err.strip()[:300]}", False
    ok, why = match(expected, out)
    not_json = False
    if not ok:
        # Every non-string result on its own line: each must be strict JSON.
        code2, out2, _ = run(
            binary, base, f"[.[0].v | ({prog}\n)] | .[] | select(type != \"string\")"
        )
        if code2 == 0:
            for got in out2.splitlines():
                try:
                    strict(got)
                except ValueError:
                    not_json = True
    return ok, code, why, not_json


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", default=[os.path.join(ROOT, "..", "shared", "jq-tests")])
    ap.add_argument("--bin")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every failing case")
    ap.add_argument("--jobs", "-j", type=int, default=2)
    args = ap.parse_args()

    binary = args.bin
    if not binary:
        subprocess.run(["cargo", "build", "--locked", "-q"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "debug", "klap-export")

    files = []
    for path in args.paths:
        if os.path.isdir(path):
            files += [os.path.join(path, f) for f in FILES if os.path.exists(os.path.join(path, f))]
        else:
            files.append(path)

    all_cases = []
    for f in files:
        for case in parse_cases(f):
            Handler.inputs[len(all_cases)] = case[3] if case[3] is not None else "null"
            all_cases.append((f, case))

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(
            pool.map(lambda nc: case_result(binary, port, nc[0], nc[1][1]), enumerate(all_cases))
        )
    server.shutdown()

    total_pass = total_fail = crashes = timeouts = not_json = 0
    for f in files:
        passed = failed = 0
        for (cf, case), (ok, code, why, nj) in zip(all_cases, results):
            if cf != f:
                continue
            if ok:
                passed += 1
            else:
                failed += 1
                if args.verbose:
                    print(f"FAIL {os.path.basename(f)}:{case[0]}: {case[2]}\n     {why}")
            if code is None:
                timeouts += 1
            elif code < 0 or code >= 128:
                crashes += 1
                print(f"CRASH {os.path.basename(f)}:{case[0]}: {case[2]} (exit {code})")
            if nj:
                not_json += 1
                print(f"NOT JSON {os.path.basename(f)}:{case[0]}: {case[2]}")
        print(f"{os.path.basename(f)}: {passed} passed, {failed} failed")
        total_pass += passed
        total_fail += failed
    print(f"total: {total_pass} passed, {total_fail} failed "
          f"({crashes} crashes, {timeouts} timeouts, {not_json} with output that is not JSON)")


if __name__ == "__main__":
    main()
