#!/usr/bin/env bash
# CTest entry (web_e2e): build web/ from its lockfile, then run the end-to-end tests against the given
# minplan binary. Usage: web/e2e/run_ctest.sh <path to minplan>
set -euo pipefail
web_dir="$(cd "$(dirname "$0")/.." && pwd)"
"$web_dir/../scripts/build_web.sh"
cd "$web_dir"
node e2e/run.mjs "$1"
