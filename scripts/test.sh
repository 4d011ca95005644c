#!/usr/bin/env bash
# Builds tessera with its tests and runs the whole suite through ctest, then
# installs the Python package into a venv and runs its pytest suite.
# BUILD_DIR and extra CMake flags can be given: scripts/test.sh [build-dir] [cmake flags...]
# Tests are always switched on here (a build directory the demo configured is
# reused, not rebuilt), and ctest fails when it finds no tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
BUILD_DIR="${1:-build}"
shift || true
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTESSERA_BUILD_TESTS=ON "$@"
cmake --build "$BUILD_DIR"
ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error -j2
# The Python package (pip install . in a venv, then pytest); TESSERA_PYTHON_TESTS=0
# skips it (CI's sanitizer build, which shares nothing with the wheel's build).
if [ "${TESSERA_PYTHON_TESTS:-1}" != 0 ]; then
  scripts/python_test.sh
fi
