#!/usr/bin/env bash
# One command: install what is missing, build, and run the main job on the embedded Datong plan:
# print the plan at a glance, then serve the portal on http://127.0.0.1:8080 (Ctrl-C stops it).
# MINPLAN_NO_SERVE=1 stops after `minplan info`; MINPLAN_PORT changes the port.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install_deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMINPLAN_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)" --target minplan
./scripts/build_web.sh
./build/minplan info
if [[ "${MINPLAN_NO_SERVE:-0}" != 1 ]]; then
  echo
  echo "规划门户 / portal: http://127.0.0.1:${MINPLAN_PORT:-8080}/  （Ctrl-C 停止）"
  exec ./build/minplan serve --port "${MINPLAN_PORT:-8080}" --web "$PWD/web/dist"
fi
