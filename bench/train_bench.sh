#!/usr/bin/env bash
# One training step of the MLP (784-256-256-10, SGD and Adam, batch 1, 64 and
# 256) in tessera, libtorch (Debian libtorch-dev, whose BLAS is OpenBLAS from
# libopenblas-dev: with Debian's reference libblas its backward is 20x slower)
# and TensorFlow 2.21
# compat.v1 (PyPI tensorflow-cpu in a venv under build-bench/, its fastest
# path: Session.make_callable), on THREADS intra-op threads (default 1).
# Also the tutorial CNN's Adam step at batch 64 (cnn_adam_b64). The three
# programs run in turn, ROUNDS times (default 3), so they share the
# machine's noise; each case's median over rounds goes to
# bench/results/train.json and a table with the ratios to stdout. Then the
# peak RSS of examples/train_cnn and of its TF mirror (bench/train_cnn_tf.py)
# for the same 100 steps at batch 64 and the test evaluation, by GNU time.
#
#   bench/train_bench.sh [ROUNDS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}" THREADS="${2:-1}"
scripts/install_deps.sh
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
for p in libtorch-dev libopenblas-dev python3-venv; do
  dpkg -s "$p" >/dev/null 2>&1 || { $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$p" >/dev/null; }
done
BUILD=build-bench
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTESSERA_BUILD_TESTS=OFF -DTESSERA_CUDA=OFF \
  -DTESSERA_BUILD_EXAMPLES=ON -DTESSERA_BENCH_ANCHORS=ON >/dev/null
cmake --build "$BUILD" --target train_step_bench train_anchor_torch train_cnn
command -v /usr/bin/time >/dev/null || { $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null; }
if [ ! -x "$BUILD/tfenv/bin/python" ]; then
  python3 -m venv "$BUILD/tfenv"
  "$BUILD/tfenv/bin/pip" install -q tensorflow-cpu
fi
export OPENBLAS_CORETYPE=SkylakeX  # Debian's OpenBLAS misdetects this CPU (see run_all.sh)
OUT=bench/results
mkdir -p "$OUT"
raw=$(mktemp)
for r in $(seq "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  "$BUILD/bench/train_step_bench" "$THREADS" | sed 's/^/tessera /' >> "$raw"
  "$BUILD/bench/train_anchor_torch" "$THREADS" | sed 's/^/libtorch /' >> "$raw"
  TF_CPP_MIN_LOG_LEVEL=3 "$BUILD/tfenv/bin/python" bench/train_anchor_tf.py "$THREADS" 2>/dev/null | sed 's/^/tensorflow /' >> "$raw"
done
python3 - "$raw" "$OUT/train.json" "$THREADS" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    who, rest = line.split(" ", 1)
    d = json.loads(rest)
    runs.setdefault(d["name"], {}).setdefault(who, []).append(d["ns"])
med = {case: {who: statistics.median(v) for who, v in by.items()} for case, by in runs.items()}
json.dump({"threads": int(sys.argv[3]), "median_ns": med}, open(sys.argv[2], "w"), indent=1)
print("| step | tessera | libtorch | TensorFlow | tessera / libtorch | tessera / TF |")
print("|---|---:|---:|---:|---:|---:|")
for case, m in med.items():
    t, l, f = m.get("tessera"), m.get("libtorch"), m.get("tensorflow")
    ms = lambda v: "%.3f ms" % (v / 1e6) if v else "-"
    ratio = lambda a, b: "%.2f" % (a / b) if a and b else "-"
    print("| %s | %s | %s | %s | %s | %s |" % (case, ms(t), ms(l), ms(f), ratio(t, l), ratio(t, f)))
PY
rm -f "$raw"
rss() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
t_kb=$(rss "$BUILD/examples/train_cnn" --steps 100 --batch 64)
f_kb=$(TF_CPP_MIN_LOG_LEVEL=3 rss "$BUILD/tfenv/bin/python" bench/train_cnn_tf.py 100 64)
echo "| peak RSS, train_cnn 100 steps at batch 64 + test | $((t_kb / 1024)) MiB | - | $((f_kb / 1024)) MiB | - |" \
  "$(python3 -c "print('%.2f' % ($t_kb / $f_kb))") |"
