#!/usr/bin/env bash
# Installs the Debian 12 packages halltwin needs, and only those that are missing
# (idempotent: a second run installs nothing and does not touch the network).
# Usage: tools/install-deps.sh [--lean]   (--lean skips the 3D-view packages)
set -euo pipefail

core=(
  build-essential cmake pkg-config git
  libeigen3-dev libyaml-cpp-dev libboost-dev libcli11-dev nlohmann-json3-dev libfmt-dev
  libsimgrid-dev libgtest-dev libgmock-dev libbenchmark-dev libpng-dev
  libplplot-dev plplot-driver-cairo fonts-wqy-zenhei  # report plots (SVG via cairo; Chinese text)
  chromium  # the report tests open the HTML pages in headless Chromium
  libopenmpi-dev openmpi-bin  # halltwin sweep under mpirun
  clang libclang-rt-14-dev  # tests/fuzz/run.sh: libFuzzer harnesses of the readers (docs/fuzzing.md)
)
view=(
  libopenscenegraph-dev libimgui-dev libglfw3-dev libgl1-mesa-dri xvfb xauth fonts-wqy-zenhei
  ffmpeg  # halltwin view --record encodes through it; ffprobe counts frames in the tests
)
pkgs=("${core[@]}")
if [[ "${1:-}" != "--lean" ]]; then pkgs+=("${view[@]}"); fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#pkgs[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
