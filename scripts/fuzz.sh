#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for a fixed
# time, starting from the committed corpus in fuzz/corpus/<target>/.
#   scripts/fuzz.sh [seconds per target, default 600] [build dir, default build-fuzz]
# With FUZZ_RUNS=N set, each target instead runs exactly N inputs from the
# fixed seed FUZZ_SEED (default 1), so a run is repeatable: CI uses this, so
# that a pass here means a pass there.
# New inputs go to <build dir>/corpus/<target>/ (merge good ones into
# fuzz/corpus by hand). A finding stops the run and leaves crash-*/timeout-*
# files in <build dir>/findings/; each one becomes a test case.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-600}"
BUILD_DIR="${2:-build-fuzz}"
scripts/install_ci_deps.sh
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DTESSERA_FUZZ=ON -DTESSERA_CUDA=OFF -DTESSERA_BUILD_BENCHMARKS=OFF \
  -DTESSERA_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$BUILD_DIR" --target device_name_fuzzer node_name_fuzzer graph_builder_fuzzer checkpoint_fuzzer graph_def_fuzzer
# Huge allocations must fail as tensors do (ResourceExhausted), not abort; and
# one over 1 GiB fails the same way, so that a graph that legitimately asks for
# 8 GB (Fill of a computed shape) is not an out-of-memory "finding" against
# -rss_limit_mb.
export ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1:max_allocation_size_mb=1024
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p "$BUILD_DIR/findings"
for t in device_name_fuzzer node_name_fuzzer graph_builder_fuzzer checkpoint_fuzzer graph_def_fuzzer; do
  mkdir -p "$BUILD_DIR/corpus/$t"
  log="$BUILD_DIR/findings/$t.log"
  if [ -n "${FUZZ_RUNS:-}" ]; then
    budget=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
    echo "== $t: $FUZZ_RUNS inputs from seed ${FUZZ_SEED:-1} =="
  else
    budget=(-max_total_time="$SECONDS_PER_TARGET")
    echo "== $t: ${SECONDS_PER_TARGET}s =="
  fi
  # -malloc_limit_mb: a tensor of terabytes must reach the allocator (and fail
  # there) rather than count as a finding; -rss_limit_mb still catches growth.
  if ! "$BUILD_DIR/fuzz/$t" "$BUILD_DIR/corpus/$t" "fuzz/corpus/$t" "${budget[@]}" \
      -timeout=20 -rss_limit_mb=4096 -malloc_limit_mb=100000000 -print_final_stats=1 \
      -artifact_prefix="$BUILD_DIR/findings/" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "FINDING in $t (log: $log)"
    exit 1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log" | sed "s/^/  $t /"
done
