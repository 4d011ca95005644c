#!/usr/bin/env bash
# The Python package: `pip install .` (scikit-build-core + nanobind drive the
# CMake build into build-python/) in a virtual environment, then pytest.
# The venv lives in ~/.cache/tessera/pyenv (TESSERA_PY_VENV overrides), so a
# second run reuses it and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
VENV="${TESSERA_PY_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/tessera/pyenv}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
"$VENV/bin/python" -m pip install -q numpy pytest "nanobind>=2.0" "scikit-build-core>=0.10"
# Without build isolation the build uses the venv's nanobind and scikit-build-core (no second download).
"$VENV/bin/python" -m pip install -q --no-build-isolation .
# From outside the source tree, so `import tessera` is the installed package.
cd python/tests
"$VENV/bin/python" -m pytest -q -p no:cacheprovider .
