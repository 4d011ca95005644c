#!/usr/bin/env bash
# What CI needs beyond scripts/install_deps.sh: clang with libFuzzer and its
# sanitizer runtimes (the fuzzing and ASan/UBSan build), clang-format.
# Installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
install() {
  echo "Installing: $*"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
missing=()
for p in clang clang-format; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then install "${missing[@]}"; fi
# libFuzzer's runtime ships in libclang-rt-<major>-dev.
major="$(clang -dumpversion | cut -d. -f1)"
if ! dpkg -s "libclang-rt-${major}-dev" >/dev/null 2>&1; then install "libclang-rt-${major}-dev"; fi
