#!/usr/bin/env python3
"""Runs Souffle's evaluation tests through rune and compares the outputs.

Each test directory <name>/ holds <name>.dl, optional facts/ and one
expected <relation>.csv per output relation. The program is compiled with
runec (to bytecode, or to a native object for --backend native) and run
with `rune-run query`; every expected relation must match the produced one
under Souffle's comparison rules: trailing white space stripped, lines
sorted (numeric fields compared numerically), then compared line by line.

Prints one PASS/FAIL line per test and `N passed, M failed`; exits 1 when
anything failed.
"""

import argparse
import os
import shutil
import subprocess
import sys


def sort_key(line):
    key = []
    for field in line.split("\t"):
        try:
            key.append((0, float(field), ""))
        except ValueError:
            key.append((1, 0.0, field))
    return key


def normalized(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        lines = [line.rstrip() for line in f.read().split("\n")]
    lines = [line for line in lines if line != ""]
    return sorted(lines, key=sort_key)


def run_test(test_dir, name, args, work):
    program = os.path.join(test_dir, name + ".dl")
    facts = os.path.join(test_dir, "facts")
    out = os.path.join(work, name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    if args.backend == "native":
        module = os.path.join(out, name + ".o")
        compile_cmd = [args.runec, program, "--emit=obj", "-o", module]
        # The JIT compiles the source itself: it takes no object files.
        run_input = program
    else:
        module = os.path.join(out, name + ".rbc")
        compile_cmd = [args.runec, program, "-o", module]
        run_input = module
    result = subprocess.run(compile_cmd, capture_output=True, text=True)
    if result.returncode != 0:
        return "compilation failed: " + result.stderr.strip()
    if args.backend == "native" and os.path.getsize(module) == 0:
        return "runec --emit=obj wrote an empty object"
    query = [args.rune_run, "query", run_input, "-F", facts, "-D", out,
             "--backend", args.backend]
    result = subprocess.run(query, capture_output=True, text=True)
    if result.returncode != 0:
        return "query failed: " + result.stderr.strip()
    expected = sorted(f for f in os.listdir(test_dir) if f.endswith(".csv"))
    if not expected:
        return "no expected outputs"
    for csv in expected:
        produced = os.path.join(out, csv)
        if not os.path.exists(produced):
            return csv + " was not produced"
        want = normalized(os.path.join(test_dir, csv))
        got = normalized(produced)
        if want != got:
            missing = [l for l in want if l not in set(got)][:3]
            extra = [l for l in got if l not in set(want)][:3]
            return "%s differs (%d expected, %d produced lines; missing %s, " \
                   "unexpected %s)" % (csv, len(want), len(got), missing, extra)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runec", required=True)
    parser.add_argument("--rune-run", required=True)
    parser.add_argument("--backend", default="bytecode",
                        choices=["bytecode", "native"])
    parser.add_argument("--work", required=True,
                        help="directory for compiled programs and outputs")
    parser.add_argument("tests", help="directory holding one folder per test")
    args = parser.parse_args()

    passed = failed = 0
    for name in sorted(os.listdir(args.tests)):
        test_dir = os.path.join(args.tests, name)
        if not os.path.isfile(os.path.join(test_dir, name + ".dl")):
            continue
        problem = run_test(test_dir, name, args,
                           os.path.join(args.work, args.backend))
        if problem is None:
            passed += 1
            print("PASS %s" % name)
        else:
            failed += 1
            print("FAIL %s: %s" % (name, problem))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
