#!/usr/bin/env bash
# One command: install what is missing, build, and run the main job on the embedded Datong plan.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install_deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMINPLAN_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$(nproc)"
./build/minplan info
