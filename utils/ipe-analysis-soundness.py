#!/usr/bin/env python3
"""Checks `runec --analyze` against the IPE evaluator on random policies.

    utils/ipe-analysis-soundness.py <build-dir> [--files 40] [--requests 60]

For each of `--files` random policy files (random triggers over a few fields,
with `and`, `or`, `not`, comparisons of every kind, `in` lists, comparisons
of two fields, aggregates), it runs `runec --analyze`, compiles the file, and
decides `--requests` random requests with `rune-run eval -v`:

* a policy reported as "can never trigger" without an assumption note must
  never trigger on any request; one reported with a note ("this assumes
  ...") may, and is only counted;
* every request printed as "both trigger on ..." must make both triggers
  of its finding true.

Triggers are decided by compiling the file with every requirement replaced
by `denies` (see triggers_only()).

Exits 1 on any violation. Not part of ctest: it takes minutes (one process
per request).
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile

FIELDS = ["resource.type", "environment", "x", "principal.level",
          "requester.level", "resource.risk", "resource.tier", "approvals"]
LITERALS = ['"A"', '"B"', '"high"', '"low"', '"medium"', '"critical"',
            '"gold"', "1", "2", "-3", "2.5", "true", "false", '""']
OPERATORS = ["==", "!=", "<", "<=", ">", ">="]
VALUES = ["A", "B", "high", "low", "medium", "critical", "gold", "bronze",
          "i", "", 1, 2, -3, 2.5, 0, True, False, ["A", "B"], ["low"], None]


class PolicyMaker:
    def __init__(self, rng):
        self.rng = rng

    def atom(self, depth):
        rng = self.rng
        if depth > 3 or rng.random() < 0.5:
            field = rng.choice(FIELDS)
            kind = rng.random()
            if kind < 0.5:
                op, literal = rng.choice(OPERATORS), rng.choice(LITERALS)
                if literal in ("true", "false") and op not in ("==", "!="):
                    op = "=="
                if rng.random() < 0.8:
                    return f"{field} {op} {literal}"
                return f"{literal} {op} {field}"
            if kind < 0.7:
                members = rng.sample(['A', '"B"', '1', 'true', 'low', 'high'],
                                     rng.randint(1, 3))
                return f"{field} in [{', '.join(members)}]"
            if kind < 0.8:
                return f"{field} != {rng.choice(FIELDS)}"
            if kind < 0.9:
                return field
            return f"{field} == {rng.choice(FIELDS)}"
        if rng.random() < 0.3:
            return f"not ({self.expr(depth + 1)})"
        return f"({self.expr(depth + 1)})"

    def expr(self, depth=0):
        out = self.atom(depth)
        for _ in range(self.rng.randint(0, 2)):
            out += self.rng.choice([" and ", " or "]) + self.atom(depth)
        return out

    def file(self):
        lines = ["enum Tier { bronze, silver, gold }"]
        for i in range(30):
            if self.rng.random() < 0.4:
                requirement = "denies"
            else:
                requirement = "requires " + self.rng.choice([
                    "approvals.count >= 2", "approvals.any", "approvals.all",
                    self.expr()])
                if "approvals." in requirement and self.rng.random() < 0.5:
                    requirement += ' where approver.role == "sre"'
            lines.append(f'policy P{i}: "p{i}" triggers when {self.expr()} '
                         f'{requirement}')
        return "\n".join(lines) + "\n"


def random_request(rng):
    request = {}
    for path in ["resource.type", "environment", "x", "principal.level",
                 "resource.risk", "resource.tier"]:
        if rng.random() >= 0.9:
            continue
        value = rng.choice(VALUES)
        parts = path.split(".")
        if parts[0] == "principal":
            parts = ["request", "principal"] + parts[1:]
        node = request
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if value is not None:
            node[parts[-1]] = value
    request["approvals"] = [{"role": "sre"}] * rng.randint(0, 2)
    return request


def triggers_only(text):
    """The file with every requirement replaced by `denies`: a policy's
    outcome is then deny exactly when its trigger holds (a requirement
    could otherwise fail with an error, which `eval` does not tell apart
    from an error in the trigger)."""
    out = []
    for line in text.splitlines():
        if line.startswith("policy "):
            line = line.split(" requires ")[0]
            if line.endswith(" denies"):
                line = line[:-len(" denies")]
            line += " denies"
        out.append(line)
    return "\n".join(out) + "\n"


def applicable(rune_run, module, request_path):
    out = subprocess.run([rune_run, "eval", module, "--request", request_path,
                          "-v"], capture_output=True, text=True).stdout
    return set(re.findall(r"^  (\w+) \[deny\]", out, re.M))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build")
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    runec = os.path.join(args.build, "bin", "runec")
    rune_run = os.path.join(args.build, "bin", "rune-run")
    rng = random.Random(args.seed)
    stats = {"never": 0, "assumed": 0, "assumed-hit": 0, "requests": 0,
             "witnesses": 0}
    violations = 0
    with tempfile.TemporaryDirectory() as work:
        source = os.path.join(work, "f.ipe")
        module = os.path.join(work, "f.rbc")
        request_path = os.path.join(work, "r.json")
        for _ in range(args.files):
            text = PolicyMaker(rng).file()
            with open(source, "w") as out:
                out.write(text)
            report = subprocess.run([runec, "--analyze", source],
                                    capture_output=True, text=True).stderr
            with open(source, "w") as out:
                out.write(triggers_only(text))
            if subprocess.run([runec, source, "-o", module],
                              capture_output=True).returncode != 0:
                continue
            never, assumed = set(), set()
            for block in re.split(r"\n(?=\S+: warning: )", report):
                found = re.search(r"policy '(\w+)' can never trigger", block)
                if found:
                    (assumed if "this assumes" in block
                     else never).add(found.group(1))
                pair = re.search(r"'(\w+)' (?:denies requests that|and) "
                                 r"'(\w+)'.* can both trigger", block)
                witness = re.search(r"^note: both trigger on (.*)$", block,
                                    re.M)
                if pair and witness:
                    with open(request_path, "w") as out:
                        out.write(witness.group(1))
                    stats["witnesses"] += 1
                    if not set(pair.groups()) <= applicable(
                            rune_run, module, request_path):
                        violations += 1
                        print("witness not confirmed:", pair.groups(),
                              witness.group(1))
                        for line in open(source):
                            if re.match(r"policy (%s|%s):" % pair.groups(),
                                        line):
                                print("  " + line.rstrip())
            stats["never"] += len(never)
            stats["assumed"] += len(assumed)
            if not never and not assumed:
                continue
            for _ in range(args.requests):
                with open(request_path, "w") as out:
                    json.dump(random_request(rng), out)
                stats["requests"] += 1
                hit = applicable(rune_run, module, request_path)
                if never & hit:
                    violations += 1
                    print("applicable although it can never trigger:",
                          never & hit, open(request_path).read())
                stats["assumed-hit"] += len(assumed & hit)
                assumed -= hit
    print(json.dumps(stats), "violations:", violations)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
