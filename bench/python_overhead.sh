#!/usr/bin/env bash
# Python overhead of tessera.compat.v1 beside TensorFlow 2.21's tf.compat.v1
# and beside tessera's own C++ Run, in one run. Installs tensorflow-cpu and
# tessera into one venv (~/.cache/tessera/tfenv, the one CI's interop tests
# use), builds runtime_bench, and prints a Markdown table.
#   bench/python_overhead.sh [rounds]   (default 5; BUILD_DIR=build: the C++ build to compare with,
#                                       which should be portable as the wheel is)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-5}"
VENV="${TESSERA_TF_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/tessera/tfenv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q tensorflow-cpu numpy "nanobind>=2.0" "scikit-build-core>=0.10"
"$VENV/bin/python" -m pip install -q --no-build-isolation .
BUILD_DIR="${BUILD_DIR:-build}"
cmake --build "$BUILD_DIR" --target runtime_bench >/dev/null
: > /tmp/tessera_pyovh.cpp; : > /tmp/tessera_pyovh.ours; : > /tmp/tessera_pyovh.tf
for _ in $(seq "$ROUNDS"); do
  "$BUILD_DIR"/bench/runtime_bench --benchmark_filter='BM_Overhead3_Tessera$|BM_Chain_Tessera/101/1$|BM_MLP_Tessera/1$' \
    --benchmark_format=json 2>/dev/null | tr -d '\n' >> /tmp/tessera_pyovh.cpp
  echo >> /tmp/tessera_pyovh.cpp
  (cd /tmp && "$VENV/bin/python" "$OLDPWD/bench/python_overhead.py" tessera | tail -1 >> /tmp/tessera_pyovh.ours)
  (cd /tmp && TF_CPP_MIN_LOG_LEVEL=3 "$VENV/bin/python" "$OLDPWD/bench/python_overhead.py" tensorflow 2>/dev/null |
    tail -1 >> /tmp/tessera_pyovh.tf)
done
"$VENV/bin/python" - <<'PYEOF'
import json, statistics
def us(b):
    return b["cpu_time"] * {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
names = {"BM_Overhead3_Tessera": "3 nodes", "BM_Chain_Tessera/101/1": "chain of 101", "BM_MLP_Tessera/1": "MLP batch 1"}
cpp = {}
for line in open("/tmp/tessera_pyovh.cpp"):
    if line.strip():
        for b in json.loads(line)["benchmarks"]:
            cpp.setdefault(names[b["run_name"]], []).append(us(b))
def med(path):
    rounds = [json.loads(l) for l in open(path) if l.strip()]
    return {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
ours, tf = med("/tmp/tessera_pyovh.ours"), med("/tmp/tessera_pyovh.tf")
print("| case | C++ Run | tessera run | TF run | tessera/TF | tessera - C++ | tessera callable | TF callable | ratio |")
print("|---|---|---|---|---|---|---|---|---|")
for case in names.values():
    c = statistics.median(cpp[case])
    tr, fr, tc, fc = ours[case + "|run"], tf[case + "|run"], ours[case + "|callable"], tf[case + "|callable"]
    print("| %s | %.2f µs | %.2f µs | %.1f µs | %.3f | %+.2f µs | %.2f µs | %.1f µs | %.3f |" %
          (case, c, tr, fr, tr / fr, tr - c, tc, fc, tc / fc))
PYEOF
