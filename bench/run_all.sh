#!/usr/bin/env bash
# Runs every benchmark case with its anchors in one session and writes
# bench/results/*.json and the "Speed goals" table of bench/RESULTS.md.
#
# Anchors (installed here, never by the library's build): OpenBLAS sgemm_
# (Debian libopenblas-dev), libtorch C++ eager (Debian libtorch-dev), ONNX
# Runtime (PyPI onnxruntime). Debian's OpenBLAS misdetects this CPU, so every
# run sets OPENBLAS_CORETYPE=SkylakeX / BLIS_ARCH_TYPE=skx and checks the core.
#
#   bench/run_all.sh            # everything (~10 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=()
for p in libopenblas-dev libtorch-dev valgrind python3-pip; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python3 -c "import onnxruntime, onnx, numpy" 2>/dev/null || python3 -m pip install -q onnxruntime onnx numpy

export OPENBLAS_CORETYPE=SkylakeX BLIS_ARCH_TYPE=skx
BUILD=build-bench
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTESSERA_BUILD_TESTS=OFF -DTESSERA_CUDA=OFF \
  -DTESSERA_BUILD_EXAMPLES=ON -DTESSERA_BENCH_ANCHORS=ON >/dev/null
cmake --build "$BUILD" --target runtime_bench placement_bench run_count mlp_inference
cmake --build "$BUILD" --target torch_anchor || echo "torch_anchor not built (libtorch not found)"

OUT=bench/results
mkdir -p "$OUT"
core=$(OPENBLAS_VERBOSE=2 "$BUILD/bench/runtime_bench" --benchmark_filter='MatMul_OpenBLAS/64/1' 2>&1 | grep -m1 'Core:' || true)
echo "OpenBLAS: ${core:-not linked}"
case "$core" in *Prescott*) echo "OpenBLAS detected Prescott: the comparison would be invalid" >&2; exit 1 ;; esac

echo "== tessera and hand-written / OpenBLAS anchors (median of 5) =="
"$BUILD/bench/runtime_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_format=json --benchmark_out="$OUT/runtime.json" --benchmark_out_format=json >/dev/null
echo "== placement =="
"$BUILD/bench/placement_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out="$OUT/placement.json" --benchmark_out_format=json >/dev/null
echo "== peak RSS of the MLP demo =="
python3 - "$BUILD/examples/mlp_inference" "$OUT/mlp_rss.json" <<'PY'
import json, resource, subprocess, sys
subprocess.run([sys.argv[1]], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
json.dump({"max_rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}, open(sys.argv[2], "w"))
PY
echo "== libtorch =="
if [ -x "$BUILD/bench/torch_anchor" ]; then "$BUILD/bench/torch_anchor" > "$OUT/torch.jsonl"; else : > "$OUT/torch.jsonl"; fi
echo "== ONNX Runtime =="
python3 bench/ort_anchor.py > "$OUT/ort.jsonl"
echo "== instructions per Session::Run (callgrind) =="
# valgrind 3.19 cannot decode AVX-512: count a baseline-x86-64 build.
cmake -S . -B build-callgrind -G Ninja -DCMAKE_BUILD_TYPE=Release -DTESSERA_BUILD_TESTS=OFF -DTESSERA_CUDA=OFF \
  -DTESSERA_BUILD_EXAMPLES=OFF -DTESSERA_NATIVE=OFF >/dev/null
cmake --build build-callgrind --target run_count
: > "$OUT/callgrind.jsonl"
for nodes in 3 100; do
  for runs in 10 110; do
    n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null build-callgrind/bench/run_count "$nodes" "$runs" 2>&1 \
        | sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
    echo "{\"nodes\": $nodes, \"runs\": $runs, \"instructions\": $n}" >> "$OUT/callgrind.jsonl"
  done
done
python3 bench/report.py "$OUT" bench/RESULTS.md "${core:-}"
echo "bench/RESULTS.md updated"
