#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a result:
#   tools/bootstrap.sh demo   install what is missing, build, check and simulate a bundled hall
#   tools/bootstrap.sh test   install what is missing, build (warnings as errors), run all tests
# Environment: BUILD_DIR (default build), JOBS (default 2), HALLTWIN_VIEWER (ON/OFF, default ON).
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-demo}"
build="${BUILD_DIR:-build}"
jobs="${JOBS:-2}"
viewer="${HALLTWIN_VIEWER:-ON}"

if [[ "$viewer" == "ON" ]]; then tools/install-deps.sh; else tools/install-deps.sh --lean; fi

case "$mode" in
  demo)
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DHALLTWIN_VIEWER="$viewer" >/dev/null
    cmake --build "$build" -j"$jobs" --target halltwin
    echo
    echo "== halltwin check scenarios/county.yaml =="
    "$build/halltwin" check scenarios/county.yaml
    echo
    echo "== halltwin run scenarios/county.yaml --days 5 --replications 10 --threads $jobs =="
    "$build/halltwin" run scenarios/county.yaml --days 5 --replications 10 --threads "$jobs"
    ;;
  test)
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DHALLTWIN_VIEWER="$viewer" -DHALLTWIN_WERROR=ON >/dev/null
    cmake --build "$build" -j"$jobs"
    ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 600
    ;;
  *)
    echo "usage: tools/bootstrap.sh demo|test" >&2
    exit 2
    ;;
esac
