#!/usr/bin/env bash
# The Datalog benchmarks of docs/performance.md in one command: transitive
# closure of random graphs (2,000 nodes / 10,000 edges and 5,000 / 25,000)
# and same-generation (5,000 / 10,000), run by rune's backends and, for
# reference, by gringo 5.4 (the grounder of the Potassco ASP tools, a
# bottom-up semi-naive evaluator written in C++; Debian's `gringo` package,
# installed when missing). Soufflé itself is not packaged for Debian 12.
#
#   bench/datalog/compare.sh [build-dir]            (default: build)
#
# Environment: BACKENDS (default "bytecode native"), INPUTS (default
# "tc2k tc5k sg5k"), GRINGO=0 to leave gringo out, WORK (default
# /tmp/rune-datalog-bench). Each run is one process timed by /usr/bin/time:
# CPU is user + system time, RSS the peak resident set. The result sizes of
# every engine are compared: a mismatch fails the script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
work=${WORK:-/tmp/rune-datalog-bench}
backends=${BACKENDS:-bytecode native}
inputs=${INPUTS:-tc2k tc5k sg5k}
use_gringo=${GRINGO:-1}
rune_run="$build/bin/rune-run"

if [ "$use_gringo" = 1 ] && ! command -v gringo >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq gringo
fi

mkdir -p "$work"
# input name -> generator arguments, program, result relation
declare -A gen=([tc2k]="graph --nodes 2000 --edges 10000"
                [tc5k]="graph --nodes 5000 --edges 25000"
                [sg5k]="sg --nodes 5000 --edges 10000")
declare -A program=([tc2k]=tc [tc5k]=tc [sg5k]=sg)
declare -A result=([tc]=path [sg]=sg)

cat > "$work/tc.lp" <<'EOF'
path(X, Y) :- edge(X, Y).
path(X, Z) :- path(X, Y), edge(Y, Z).
#show path/2.
EOF
cat > "$work/sg.lp" <<'EOF'
sg(X, Y) :- edge(P, X), edge(P, Y), X != Y.
sg(X, Y) :- edge(A, X), sg(A, B), edge(B, Y).
#show sg/2.
EOF

# Runs "${@:2}" under /usr/bin/time with its output in $1; prints
# "cpu_seconds wall_seconds rss_mb".
timed() {
  local stats="$work/time.txt" out=$1
  shift
  /usr/bin/time -f "%U %S %e %M" -o "$stats" "$@" > "$out"
  awk '{printf "%.2f %.2f %.0f", $1 + $2, $3, $4 / 1024}' "$stats"
}

printf '%-6s %-10s %12s %10s %10s %10s\n' input engine tuples "CPU s" "wall s" "RSS MB"
for input in $inputs; do
  dir="$work/$input"
  if [ ! -f "$dir/edge.facts" ]; then
    python3 "$here/generate.py" ${gen[$input]} --seed 1 "$dir" >/dev/null
  fi
  prog=${program[$input]}
  rel=${result[$prog]}
  expected=""
  for backend in $backends; do
    out="$work/$input-$backend.out"
    stats=$(timed "$out" "$rune_run" query "$here/$prog.dl" -F "$dir" \
              -D "$work/out" --backend "$backend")
    tuples=$(awk -F'\t' -v r="$rel" '$1 == r { print $2 }' "$out")
    read -r cpu wall rss <<< "$stats"
    printf '%-6s %-10s %12s %10s %10s %10s\n' "$input" "rune $backend" "$tuples" "$cpu" "$wall" "$rss"
    if [ -n "$expected" ] && [ "$tuples" != "$expected" ]; then
      echo "error: rune $backend derived $tuples $rel tuples, expected $expected" >&2
      exit 1
    fi
    expected=$tuples
  done
  if [ "$use_gringo" = 1 ]; then
    facts="$work/$input.lp"
    [ -f "$facts" ] || awk -F'\t' '{ print "edge(" $1 "," $2 ")." }' "$dir/edge.facts" > "$facts"
    out="$work/$input-gringo.out"
    stats=$(timed "$out" gringo --text "$work/$prog.lp" "$facts")
    tuples=$(grep -c "^$rel(" "$out" || true)
    read -r cpu wall rss <<< "$stats"
    printf '%-6s %-10s %12s %10s %10s %10s\n' "$input" gringo "$tuples" "$cpu" "$wall" "$rss"
    rm -f "$out"
    if [ -n "$expected" ] && [ "$tuples" != "$expected" ]; then
      echo "error: gringo derived $tuples $rel tuples, rune $expected" >&2
      exit 1
    fi
  fi
done
