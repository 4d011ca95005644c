#!/usr/bin/env bash
# Builds tessera with its tests and runs the whole suite through ctest.
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
