#!/usr/bin/env bash
# Python overhead of tessera.compat.v1 beside TensorFlow 2.21's tf.compat.v1
# and beside tessera's own C++ Run, in one run. Installs tensorflow-cpu and
# tessera into one venv (~/.cache/tessera/tfenv, the one CI's interop tests
# use), builds runtime_bench, and prints a Markdown table.
#   bench/python_overhead.sh [rounds]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-5}"
VENV="${TESSERA_TF_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/tessera/tfenv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q tensorflow-cpu numpy "nanobind>=2.0" "scikit-build-core>=0.10"
"$VENV/bin/python" -m pip install -q --no-build-isolation .
cmake --build build --target runtime_bench >/dev/null
CPP=$(build/bench/runtime_bench --benchmark_filter='BM_Overhead3_Tessera$|BM_Chain_Tessera/101/1$|BM_MLP_Tessera/1$' \
  --benchmark_repetitions="$ROUNDS" --benchmark_report_aggregates_only=true --benchmark_format=json 2>/dev/null)
PY=$(cd /tmp && TF_CPP_MIN_LOG_LEVEL=3 "$VENV/bin/python" "$OLDPWD/bench/python_overhead.py" "$ROUNDS" 2>/dev/null | tail -1)
"$VENV/bin/python" - "$CPP" "$PY" <<'PYEOF'
import json, sys
cpp = {b["run_name"]: b for b in json.loads(sys.argv[1])["benchmarks"] if b.get("aggregate_name") == "median"}
py = json.loads(sys.argv[2])
def us(b):
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
    return b["cpu_time"] * scale
cpp_by_case = {"3 nodes": us(cpp["BM_Overhead3_Tessera"]), "chain of 101": us(cpp["BM_Chain_Tessera/101/1"]),
               "MLP batch 1": us(cpp["BM_MLP_Tessera/1"])}
print("| case | C++ Run | tessera run | TF run | tessera/TF | tessera - C++ | tessera callable | TF callable | ratio |")
print("|---|---|---|---|---|---|---|---|---|")
for case, c in cpp_by_case.items():
    tr, fr = py["%s|tessera|run" % case], py["%s|tensorflow|run" % case]
    tc, fc = py["%s|tessera|callable" % case], py["%s|tensorflow|callable" % case]
    print("| %s | %.2f µs | %.2f µs | %.2f µs | %.2f | %+.2f µs | %.2f µs | %.2f µs | %.2f |" %
          (case, c, tr, fr, tr / fr, tr - c, tc, fc, tc / fc))
PYEOF
