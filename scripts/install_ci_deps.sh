#!/usr/bin/env bash
# What CI needs beyond scripts/install_deps.sh: clang with libFuzzer and its
# sanitizer runtimes (the fuzzing and ASan/UBSan build), clang-format, and
# qemu-user (scripts/check_v2_cpu.sh runs tests as a Nehalem CPU sees them).
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
for p in clang clang-format qemu-user; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then install "${missing[@]}"; fi
# libFuzzer's runtime ships in libclang-rt-<major>-dev.
major="$(clang -dumpversion | cut -d. -f1)"
if ! dpkg -s "libclang-rt-${major}-dev" >/dev/null 2>&1; then install "libclang-rt-${major}-dev"; fi
# TensorFlow (PyPI tensorflow-cpu) in a venv, for the interoperability tests:
# TF restores a checkpoint tessera wrote (tests/saver_test.cc). .ci/run points
# TESSERA_TF_PYTHON at it; without it those tests skip with the reason.
TF_VENV="${TESSERA_TF_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/tessera/tfenv}"
if ! "$TF_VENV/bin/python" -c "import tensorflow" >/dev/null 2>&1; then
  dpkg -s python3-venv >/dev/null 2>&1 || install python3-venv
  echo "Installing tensorflow-cpu into $TF_VENV"
  python3 -m venv "$TF_VENV"
  "$TF_VENV/bin/pip" install -q tensorflow-cpu
fi
