#!/usr/bin/env bash
# The artefact as a user gets it (issue 15), from a build directory:
#  1. install it into a fresh prefix; libtessera.so needs no CUDA library
#     (DT_NEEDED), and the CUDA plugin, when built, lies beside it and loads;
#  2. hide every CUDA library (a private mount namespace) and run, from the
#     installed package, a program built with pkg-config, the examples, and
#     a test subset: no GPU, the reason says why, everything on the CPU.
# Usage: scripts/check_artefact.sh [build-dir]   (needs root or user namespaces)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="$(realpath "${1:-build}")"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
prefix="$scratch/prefix"
cmake --install "$BUILD" --prefix "$prefix" >/dev/null
lib="$prefix/lib/libtessera.so"

echo "-- libtessera.so's DT_NEEDED:" $(readelf -d "$lib" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
if readelf -d "$lib" | grep NEEDED | grep -iE 'cuda|cublas|cudnn|nccl|nvrtc'; then
  echo "FAIL: libtessera.so needs a CUDA library"
  exit 1
fi

# A consumer built the way a Makefile user would (pkg-config).
flags="$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs tessera)"
# shellcheck disable=SC2086
c++ -std=c++20 tests/consumer/main.cc $flags -Wl,-rpath,"$prefix/lib" -o "$scratch/consumer"

plugin="$prefix/lib/libtessera_cuda.so"
if [ -f "$plugin" ]; then
  echo "-- the plugin loads when present:"
  "$scratch/consumer" "CUDA runtime" || "$scratch/consumer" ""
  hidden_reason="the CUDA plugin $plugin could not be loaded"
else
  hidden_reason="built without the CUDA plugin"
fi

# Every CUDA library this machine has: the toolkits' directories and any
# library the loader's cache lists elsewhere.
cat > "$scratch/hidden.sh" <<INNER
set -euo pipefail
for d in /usr/local/cuda*; do
  [ -d "\$d" ] && [ ! -L "\$d" ] && mount -t tmpfs none "\$d"
done
for f in \$(ldconfig -p | grep -iE 'libcuda|libcublas|libcudnn|libnccl|libnvrtc' | sed 's/.*=> //'); do
  [ -e "\$f" ] && mount --bind /dev/null "\$(realpath "\$f")"
done
echo "-- CUDA hidden; what the loader still finds of it:"
for f in \$(ldconfig -p | grep -iE 'libcudart|libcublas' | sed 's/.*=> //'); do
  if [ -s "\$f" ]; then echo "FAIL: \$f is still readable"; exit 1; fi
done
echo "   nothing"
"$scratch/consumer" "$hidden_reason"
"$prefix/bin/seed_examples" >/dev/null
"$prefix/bin/mlp_inference" 2>&1 | grep -E "^No GPU|^Placement summary"
"$prefix/bin/train_mlp" --steps 100 | tail -2
for t in session_test ops_test tf_ops_test gradients_test train_test conv_test cuda_plugin_test; do
  LD_LIBRARY_PATH="$prefix/lib" "$BUILD/tests/\$t" --gtest_brief=1 \
    --gtest_filter=-CudaPlugin.LoadsFromBesideTheLibraryWhenBuilt | tail -1
done
INNER
unshare --mount --propagation private bash "$scratch/hidden.sh"
echo "-- the installed package runs without CUDA"
