#!/usr/bin/env bash
# Side-by-side: rune (bytecode and native) against the Cedar engine's
# WebAssembly build, on the requests, entities, schemas and policies of
# Cedar's hand-written example_use_cases tests, everything loaded once.
#
#   bench/compare-cedar-wasm.sh [build-dir]      (default: build)
#
# Needs the conformance data (../shared/conformance) and a build of rune;
# installs Node.js (Debian's nodejs + npm) and the pinned cedar-wasm package
# (bench/cedar-wasm/package-lock.json) when missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
root="$build/conformance/cedar"
iterations=${ITERATIONS:-2000}
wasm_iterations=${WASM_ITERATIONS:-200}

if [ ! -d "$root/tests/example_use_cases" ]; then
  echo "error: $root has no conformance data; build rune with ../shared present" >&2
  exit 1
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm
fi
if [ ! -d "$here/cedar-wasm/node_modules/@cedar-policy/cedar-wasm" ]; then
  (cd "$here/cedar-wasm" && npm ci --silent --no-audit --no-fund)
fi

tests=("$root"/tests/example_use_cases/*.json)
rune_json=$("$build/bin/rune-run" bench --root "$root" --format json \
  -n "$iterations" "${tests[@]}")
wasm_json=$(cd "$here/cedar-wasm" && node bench.mjs --root "$root" \
  --iterations "$wasm_iterations" "${tests[@]}")

RUNE="$rune_json" WASM="$wasm_json" node --input-type=module -e '
const rune = JSON.parse(process.env.RUNE), wasm = JSON.parse(process.env.WASM);
const us = (x) => x.toFixed(3).padStart(10) + " us";
console.log(`workload: ${rune.tests} example_use_cases tests, ${wasm.requests} requests`);
console.log(`${"engine".padEnd(44)} ${"median".padStart(13)} ${"p99".padStart(13)}`);
for (const b of ["bytecode", "native"])
  console.log(`${("rune " + b).padEnd(44)} ${us(rune[b].median_us)} ${us(rune[b].p99_us)}` +
              `   ${Math.round(rune[b].decisions_per_second)} decisions/s`);
const rows = [["full", "cedar-wasm isAuthorized (whole call)"],
              ["fullEmpty", "cedar-wasm isAuthorized, empty policy set"],
              ["stateful", "cedar-wasm statefulIsAuthorized (preparsed)"],
              ["statefulEmpty", "cedar-wasm statefulIsAuthorized, empty set"]];
for (const [k, name] of rows)
  console.log(`${name.padEnd(44)} ${us(wasm[k].median_us)} ${us(wasm[k].p99_us)}`);
const evalFull = wasm.full_evaluation_median_us, evalStateful = wasm.stateful_evaluation_median_us;
console.log(`cedar-wasm evaluation only (median of paired differences with the empty set): ` +
            `${evalFull.toFixed(3)} us (isAuthorized), ${evalStateful.toFixed(3)} us (stateful)`);
for (const b of ["bytecode", "native"])
  console.log(`ratio cedar-wasm evaluation / rune ${b} median: ` +
              `${(evalFull / rune[b].median_us).toFixed(1)}x (isAuthorized), ` +
              `${(evalStateful / rune[b].median_us).toFixed(1)}x (stateful)`);
console.log(`native speed-up over bytecode (median): ${(rune.bytecode.median_us / rune.native.median_us).toFixed(2)}x`);
console.log(`cedar-wasm decisions disagreeing with the tests: ${wasm.decisions_disagreeing_with_tests}`);
'
