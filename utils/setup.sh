#!/usr/bin/env bash
# First-time set-up: installs the Debian packages rune needs, builds it, and
# runs the bundled example through both backends.
set -euo pipefail
cd "$(dirname "$0")/.."

bash utils/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build

request=(--entities examples/photos.entities.json
         --principal 'User::"alice"' --action 'Action::"view"'
         --resource 'Photo::"vacation.jpg"' -v)

echo "== Compile examples/photos.cedar to bytecode and decide a request"
build/bin/runec examples/photos.cedar -o build/photos.rbc
build/bin/rune-run authorize --policies build/photos.rbc "${request[@]}"

echo "== The same request through native code linked with the runtime"
build/bin/runec examples/photos.cedar --emit=obj -o build/photos.o
c++ -o build/photos-authorizer build/photos.o -Lbuild/lib \
  -lrune_native_main -lrune_cli -l:librune_runtime.a -lboost_program_options -lfmt -lsimdjson
build/photos-authorizer "${request[@]}"
echo "== An IPE intent policy decision, with the condition that decided"
build/bin/rune-run eval examples/deployments.ipe \
  --request examples/deployment-approved.json -v
echo "== A .rune decision (TOML data, Datalog rules, Cedar policies) and why"
build/bin/rune-run eval examples/rbac.rune \
  --entities examples/rbac.entities.json \
  -l 'User::"alice"' -a 'Action::"view"' -r 'Document::"plan"' -v
