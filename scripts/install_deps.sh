#!/usr/bin/env bash
# Installs what tessera needs from Debian's packages, only if missing.
set -euo pipefail
PACKAGES=(cmake g++ ninja-build ccache libeigen3-dev libfmt-dev libgtest-dev libbenchmark-dev graphviz nlohmann-json3-dev
  zlib1g-dev dataset-fashion-mnist libdnnl-dev pkgconf libprotobuf-dev protobuf-compiler libleveldb-dev
  python3-venv python3-dev)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "Installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
