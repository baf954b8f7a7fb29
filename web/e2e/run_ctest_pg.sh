#!/usr/bin/env bash
# CTest entry (web_e2e_pg): the end-to-end tests once against PostGIS — the portal served by `minplan serve
# --db PG:…` from a schema of the throwaway cluster (fixture pg_cluster, tests/pg/cluster.sh, whose conninfo
# is in $MINPLAN_TEST_PG_STATE/conninfo). A reduced run (E2E_ONLY below): the map and its styles, the 专栏,
# login and a saved review, and the change set → as-of → diff → audit walk, which exercise every kind of
# PostGIS read and write; the rest is the same code over the same interface (web_e2e runs it on GeoPackage).
# Usage: web/e2e/run_ctest_pg.sh <path to minplan>
set -euo pipefail
web_dir="$(cd "$(dirname "$0")/.." && pwd)"
conninfo="$(cat "${MINPLAN_TEST_PG_STATE:?run through ctest (fixture pg_cluster)}/conninfo")"
"$web_dir/../scripts/build_web.sh"
cd "$web_dir"
export E2E_ONLY="${E2E_ONLY:-map loads|colours of the plan|tables page|log in|upload a fixture application|saved review|change set|version selector|diff view|audit page}"
node e2e/run.mjs "$1" --pg "$conninfo"
