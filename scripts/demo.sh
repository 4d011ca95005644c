#!/usr/bin/env bash
# Builds tessera and runs the demo: the seed examples, a small MLP inference
# with its placement log, then the training of the tutorials' MLP on
# Fashion-MNIST (10 epochs, about half a minute on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
# The same configuration as scripts/test.sh (one build directory serves both);
# only the demo's targets are built here.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build --target seed_examples mlp_inference train_mlp
echo "== seed examples =="
build/examples/seed_examples
echo "== MLP inference (784-256-10, batch 64) with log_device_placement =="
build/examples/mlp_inference
echo "== Training the MLP (784-256-256-10, Adam) on Fashion-MNIST =="
build/examples/train_mlp
