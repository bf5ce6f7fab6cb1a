#!/usr/bin/env bash
# Installs every Debian 12 package rune needs to build and test. Idempotent:
# packages already present are skipped, and nothing is fetched when all are.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git python3
  llvm-19-dev libmlir-19-dev mlir-19-tools llvm-19-tools clang-19 lld-19
  libzstd-dev zlib1g-dev libedit-dev libxml2-dev libcurl4-openssl-dev
  antlr4 libantlr4-runtime-dev default-jre-headless
  libfmt-dev libboost-program-options-dev libgtest-dev libgmock-dev
  libtomlplusplus-dev nlohmann-json3-dev libsimdjson-dev libbenchmark-dev
  libclang-rt-19-dev
  libmimalloc-dev
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
