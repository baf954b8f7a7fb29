#!/bin/sh
# The installed minplan works from its prefix alone: `cmake --install` into a temporary prefix, then with
# MINPLAN_HOME unset the binary must find share/minplan next to it (not the source tree it was built from),
# build the shipped plan into a database and answer `info` from it.
# Usage: install_test.sh CMAKE BUILD_DIR
set -eu
cmake=$1
build=$2
prefix=$(mktemp -d "${TMPDIR:-/tmp}/minplan-install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
unset MINPLAN_HOME MINPLAN_DB
export XDG_CACHE_HOME="$prefix/cache"

"$cmake" --install "$build" --prefix "$prefix" >/dev/null
bin="$prefix/bin/minplan"
test -x "$bin"
test -f "$prefix/share/minplan/data/plans/datong-2021-2025/plan.json"

# Mark the installed copy of the plan: the database must be built from it, not from the source tree
# that still exists next to the build directory.
plan_json="$prefix/share/minplan/data/plans/datong-2021-2025/plan.json"
sed -i 's/"name_zh": "\([^"]*\)"/"name_zh": "\1（安装副本）"/' "$plan_json"
grep -q "安装副本" "$plan_json"

# Run from an unrelated directory so that nothing resolves relative to the checkout.
cd "$prefix"
"$bin" build --out "$prefix/plan.gpkg" >"$prefix/build.out"
"$bin" --db "$prefix/plan.gpkg" info >"$prefix/info.out"
grep -q "安装副本" "$prefix/info.out" || { echo "info does not show the installed plan:"; cat "$prefix/info.out"; exit 1; }
grep -q "规划期" "$prefix/info.out" || { echo "info printed no plan period:"; cat "$prefix/info.out"; exit 1; }

# The default database goes to the user's cache, built from the installed plan folder.
"$bin" info >"$prefix/default.out"
test -f "$prefix/cache/minplan/datong-2021-2025.gpkg" || { echo "default database not in XDG_CACHE_HOME"; exit 1; }
grep -q "安装副本" "$prefix/default.out" || { echo "default database not built from the installed plan"; exit 1; }
echo "install test passed"
