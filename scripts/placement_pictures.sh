#!/usr/bin/env bash
# The placement pictures and the step trace README shows, from the demo:
#   docs/images/demo_placement.svg      the demo's placement on this machine
#   docs/images/demo_explain_gpu.svg    tessera-explain: the demo MLP on a GPU
#                                       with only some kernels (fallbacks, copies)
#   docs/images/demo_trace.json         one traced step (chrome://tracing, ui.perfetto.dev)
# Usage: scripts/placement_pictures.sh [build-dir]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
scripts/install_deps.sh
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" --target mlp_inference tessera-explain
mkdir -p docs/images
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$BUILD"/examples/mlp_inference --dot="$tmp/demo.dot" --trace=docs/images/demo_trace.json >/dev/null 2>&1
dot -Tsvg "$tmp/demo.dot" -o docs/images/demo_placement.svg
"$BUILD"/tools/tessera-explain --gpus=1 --soft --unknown-dim=64 --fetch=prediction \
  --gpu-ops=MatMul,VariableV2,Identity,Assign --format=dot >"$tmp/explain.dot"
dot -Tsvg "$tmp/explain.dot" -o docs/images/demo_explain_gpu.svg
ls -l docs/images
