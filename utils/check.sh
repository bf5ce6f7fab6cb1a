#!/usr/bin/env bash
# Builds rune (installing missing dependencies first) and runs every test:
# the GoogleTest unit tests and the lit suite, through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash utils/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build
ctest --test-dir build --output-on-failure --timeout 3000
