#!/usr/bin/env bash
# Builds the web map (web/ → web/dist) from its lockfile with npm packages only (no CDN at run time).
set -euo pipefail
cd "$(dirname "$0")/../web"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
npm run build --silent
