#!/usr/bin/env python3
"""Measures how long `runec` takes on the generated IPE policy sets.

    bench/ipe/compile-time.py <build-dir> [--runs 5] [--sizes 10,1000,10000]
        [--commands check,analyze,bytecode,obj]

For each size it generates the set (bench/ipe/generate.py, seed 1) into a
temporary directory, then runs each command `--runs` times and prints the
median wall-clock time and the median CPU time (user + system, from
os.wait4), which moves less than wall-clock time on a shared machine:

  runec --check        parse and check
  runec --analyze      parse, check and analyse (exit 2 on findings is fine)
  runec --emit=bytecode / --emit=obj   the whole compilation
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def measure(command, runs):
    """Median wall-clock seconds of `runs` runs; exits if a run fails."""
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.run(command, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
        walls.append(time.perf_counter() - start)
        if process.returncode not in (0, 2):
            sys.exit(f"compile-time.py: {' '.join(command)} failed "
                     f"({process.returncode}):\n"
                     f"{process.stderr.decode()[:2000]}")
    return statistics.median(walls)


def cpu_time(command, runs):
    """Median user + system CPU seconds of `runs` runs."""
    cpus = []
    for _ in range(runs):
        pid = os.fork()
        if pid == 0:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.execv(command[0], command)
        _, _, usage = os.wait4(pid, 0)
        cpus.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(cpus)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build", help="the build directory (bin/runec)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="10,1000,10000")
    parser.add_argument("--commands", default="check,analyze,bytecode,obj",
                        help="which of check, analyze, bytecode, obj to run")
    args = parser.parse_args()
    runec = os.path.join(os.path.abspath(args.build), "bin", "runec")
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as work:
        print("| policies | source | command | wall (median) | CPU (median) "
              "| output |")
        print("| --- | --- | --- | --- | --- | --- |")
        for size in sizes:
            source = os.path.join(work, f"gen{size}.ipe")
            subprocess.run([sys.executable, os.path.join(HERE, "generate.py"),
                            "--policies", str(size), "--requests", "0",
                            "--seed", "1", "-o", source], check=True)
            source_kb = os.path.getsize(source) / 1024
            commands = [
                ("--check", [runec, "--check", source], None),
                ("--analyze", [runec, "--analyze", source], None),
                ("--emit=bytecode",
                 [runec, source, "--emit=bytecode", "-o",
                  os.path.join(work, "out.rbc")], "out.rbc"),
                ("--emit=obj",
                 [runec, source, "--emit=obj", "-o",
                  os.path.join(work, "out.o")], "out.o"),
            ]
            wanted = args.commands.split(",")
            for name, command, output in commands:
                if name.lstrip("-").replace("emit=", "") not in wanted:
                    continue
                wall = measure(command, args.runs)
                cpu = cpu_time(command, args.runs)
                size_text = ""
                if output:
                    size_text = f"{os.path.getsize(os.path.join(work, output)):,} B"
                print(f"| {size:,} | {source_kb:,.0f} KiB | `runec {name}` | "
                      f"{wall * 1000:,.0f} ms | {cpu * 1000:,.0f} ms | "
                      f"{size_text} |", flush=True)


if __name__ == "__main__":
    main()
