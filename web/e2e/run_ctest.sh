#!/usr/bin/env bash
# CTest entry (web_e2e): build web/ from its lockfile, then run the end-to-end tests against the given
# minplan binary. Usage: web/e2e/run_ctest.sh <path to minplan>
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
npm run build --silent
node e2e/run.mjs "$1"
