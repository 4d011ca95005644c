#!/usr/bin/env bash
# Runs a subset of the suite as an x86-64-v2 CPU would see the machine:
# under qemu-x86_64 (user mode) with -cpu Nehalem, whose CPUID reports SSE4.2
# and POPCNT but no AVX. It proves the run-time dispatch: the library keeps
# its own x86-64-v2 contraction (no ISA module loads: cpu_isa_test asserts the
# choice), oneDNN's JIT picks its SSE4.1 kernels, and the values still match
# TensorFlow's. (QEMU 7.2 would execute an AVX instruction even so, so what
# the library's code contains is scripts/check_isa.sh's job.)
# Usage: scripts/check_v2_cpu.sh [BUILD_DIR]   (about 40 s here)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
if ! command -v qemu-x86_64 >/dev/null; then
  echo "qemu-x86_64 not found (Debian qemu-user; scripts/install_ci_deps.sh installs it)" >&2
  exit 1
fi
status=0
for t in cpu_isa_test ops_test session_test model_test conv_test gradients_test train_test tf_ops_test \
  tf1_fidelity_test conformance_test bad_input_test; do
  if ! TESSERA_EXPECT_CPU_ISA=x86-64-v2 qemu-x86_64 -cpu Nehalem "$BUILD/tests/$t" --gtest_brief=1 >"/tmp/tessera_v2_$t.log" 2>&1; then
    echo "FAILED on a Nehalem CPU: $t"
    tail -30 "/tmp/tessera_v2_$t.log"
    status=1
  else
    echo "ok on a Nehalem CPU: $t ($(grep -o '[0-9]* tests\? from [0-9]* test suites\? ran' "/tmp/tessera_v2_$t.log" | head -1))"
  fi
done
exit $status
