#!/usr/bin/env bash
# Batch audit of every mining right against the control lines: minplan and PostGIS on the same generated data in
# one run (issue 9, docs/performance.md). Also what the smoke-size test `bench_postgis_smoke` runs (--check-only).
#
#   bench/postgis_compare.sh [--size smoke|mid|goal] [--seed N] [--minplan BIN] [--gen BIN] [--work DIR] [--keep]
#                            [--layers control_lines] [--check-only] [--shim] [--audit-timeout S]
#                            [--reuse PLAN.gpkg GEN.gpkg]
#
#  1. `minplan build` of the default plan into WORK/plan.gpkg; minplan_bench_gen writes WORK/gen.gpkg inside its
#     city boundary; `minplan import control_lines` and `import mineral_rights` load it (time, peak RSS).
#  2. `minplan audit --overlaps WORK/minplan.csv`: one row per (right, plan feature) overlapping ≥ 1 m².
#  3. A throwaway PostgreSQL 15 + PostGIS 3 cluster in WORK/pg (installed from Debian's packages if missing, as
#     root), run as `nobody` when root; `ogr2ogr` loads the same gen.gpkg (GiST indexes, ANALYZE);
#     max_parallel_workers_per_gather = 2; the per-right overlap query, ellipsoidal areas of the intersection
#     computed in EPSG:4490 (ST_Area(geography), CGCS2000 ellipsoid) like minplan's; the cluster is stopped and
#     removed on exit.
#  4. bench/compare_overlaps.py: matched pairs, pairs on one side only, largest relative differences; exit 1
#     when an area differs by more than 1e-6 relative (plus the 3-decimal printing) or a pair ≥ 1 m² is missing.
# Prints a Markdown table of wall times and peak memory. --check-only: no timing table (the test). --shim:
# development only, before `audit --overlaps` exists: converts `audit --format json` evidence (under-reports).
# --audit-timeout S: stop minplan's audit after S seconds (0 = never) and still run PostGIS (exit 3).
# --reuse PLAN.gpkg GEN.gpkg: no build, generation or import (step 1): PLAN already holds GEN's control lines and
# rights (a goal-size database imported once takes minutes); PLAN is linked into WORK, only read.
# Exit: 0 areas agree, 1 they disagree, 2 setup failure (missing tools, PostGIS not runnable, …), 3 not compared.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
size=smoke seed=20261130 minplan="$root/build/minplan" gen="$root/build/minplan_bench_gen" work="" keep=0
layers=control_lines check_only=0 shim=0 audit_timeout=0 reuse_plan="" reuse_gen=""
while (($#)); do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --minplan) minplan="$2"; shift 2 ;;
    --gen) gen="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --layers) layers="$2"; shift 2 ;;
    --check-only) check_only=1; shift ;;
    --shim) shim=1; shift ;;
    --audit-timeout) audit_timeout="$2"; shift 2 ;;
    --reuse) reuse_plan="$2"; reuse_gen="$3"; shift 3 ;;
    -h|--help) sed -n 2,27p "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
fail() { echo "postgis_compare: $*" >&2; exit 2; }
[[ -x "$minplan" ]] || fail "minplan binary not found at $minplan (build first, or --minplan)"
[[ -x "$gen" ]] || fail "generator not found at $gen (cmake --build build --target minplan_bench_gen, or --gen)"
for t in ogr2ogr python3 /usr/bin/time; do command -v "$t" >/dev/null || fail "$t not found (scripts/install_deps.sh)"; done

# PostgreSQL 15 + PostGIS 3 from Debian's packages.
pgbin=/usr/lib/postgresql/15/bin
if [[ ! -x $pgbin/initdb || ! -f /usr/share/postgresql/15/extension/postgis.control ]]; then
  ((EUID == 0)) || fail "PostgreSQL 15 / PostGIS 3 missing: apt-get install postgresql-15 postgresql-15-postgis-3 (scripts/install_deps.sh)"
  echo "== installing postgresql-15 postgresql-15-postgis-3" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-15-postgis-3 >&2 ||
    fail "apt-get install postgresql-15 postgresql-15-postgis-3 failed"
fi
[[ -x $pgbin/initdb && -f /usr/share/postgresql/15/extension/postgis.control ]] || fail "PostGIS not installed"

created=0
if [[ -z "$work" ]]; then work="$(mktemp -d /tmp/minplan-bench.XXXXXX)"; created=1; else mkdir -p "$work"; fi
work="$(cd "$work" && pwd)"
chmod 755 "$work"
pgdata="$work/pg/data" pgsock="$work/pg/sock" pglog="$work/pg/log"
# PostgreSQL refuses to run as root: the cluster belongs to `nobody` then.
as_pg=() pguser="$(id -un)"
if ((EUID == 0)); then as_pg=(runuser -u nobody --) pguser=nobody; fi
sampler_pid=""
cleanup() {
  [[ -n "$sampler_pid" ]] && kill "$sampler_pid" 2>/dev/null || true
  if [[ -f "$pgdata/postmaster.pid" ]]; then "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true; fi
  if ((keep || !created)); then echo "== kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# timed NAME CMD...: runs CMD under /usr/bin/time -v, records wall seconds, peak RSS (MiB), CPU seconds (user +
# system, children included) in T[NAME], M[NAME], C[NAME]
declare -A T M C
timed() {
  local name="$1" rc=0; shift
  /usr/bin/time -v -o "$work/time.$name" "$@" || rc=$?
  T[$name]="$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; printf "%.2f", s}' "$work/time.$name")"
  M[$name]="$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$work/time.$name")"
  C[$name]="$(awk -F': ' '/User time|System time/{s+=$2} END{printf "%.1f", s}' "$work/time.$name")"
  return "$rc"
}
log() { echo "== $*" >&2; }

# minplan's per-right overlaps: `audit --overlaps` (issue 9 item 3); --shim only for development before it exists
audit_note="" use_shim=0
if ! "$minplan" audit --help 2>/dev/null | grep -q -- '--overlaps'; then
  ((shim)) || fail "this minplan has no 'audit --overlaps FILE' (issue 9, item 3); --shim compares the JSON evidence instead (development only)"
  use_shim=1 audit_note=" (SHIM: audit --format json evidence, not --overlaps)"
fi

log "work dir $work; size $size, seed $seed"
if [[ -n "$reuse_plan" ]]; then
  [[ -f "$reuse_plan" && -f "$reuse_gen" ]] || fail "--reuse: $reuse_plan or $reuse_gen not found"
  ln -f "$reuse_plan" "$work/plan.gpkg" 2>/dev/null || cp "$reuse_plan" "$work/plan.gpkg"
  ln -sf "$(cd "$(dirname "$reuse_gen")" && pwd)/$(basename "$reuse_gen")" "$work/gen.gpkg"
  printf '\nreused %s (holding %s)\n' "$reuse_plan" "$reuse_gen" >"$work/gen.txt"
  for n in build generate import_control_lines import_mineral_rights; do T[$n]=reused C[$n]=- M[$n]=-; done
else
  timed build "$minplan" build --out "$work/plan.gpkg" >/dev/null
  timed generate "$gen" --size "$size" --seed "$seed" --out "$work/gen.gpkg" --boundary "$work/plan.gpkg" >"$work/gen.txt"
  cat "$work/gen.txt" >&2
  timed import_control_lines "$minplan" --db "$work/plan.gpkg" import control_lines "$work/gen.gpkg" --source-layer control_lines >&2
  timed import_mineral_rights "$minplan" --db "$work/plan.gpkg" import mineral_rights "$work/gen.gpkg" --source-layer mineral_rights >&2
fi

# minplan side (stopped after --audit-timeout seconds: the areas are then not compared, exit 3)
audit_status=0
set +e
if ((use_shim)); then
  log "SHIM: this minplan has no 'audit --overlaps'; converting 'audit --format json' evidence (under-reports)"
  timed audit timeout "$audit_timeout" "$minplan" --db "$work/plan.gpkg" audit --format json --out "$work/audit.json" >&2
  audit_status=$?
  ((audit_status == 0)) && python3 "$here/audit_json_to_overlaps.py" "$work/audit.json" "$work/minplan.csv"
else
  log "minplan audit --overlaps"
  timed audit timeout "$audit_timeout" "$minplan" --db "$work/plan.gpkg" audit --overlaps "$work/minplan.csv" --out "$work/findings.csv" >&2
  audit_status=$?
fi
set -e
if ((audit_status == 124)); then
  log "minplan audit stopped after $audit_timeout s (--audit-timeout): areas not compared"
  T[audit]="> $audit_timeout (stopped)"
elif ((audit_status != 0)); then
  fail "minplan audit failed (exit $audit_status)"
fi

# PostGIS side: a throwaway cluster
mkdir -p "$pgsock" "$work/pg"
chown -R "$pguser" "$work/pg"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"${as_pg[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$work/pg/initdb.log" 2>&1 ||
  { cat "$work/pg/initdb.log" >&2; fail "initdb failed"; }
cat >>"$pgdata/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$pgsock'
port = $port
shared_buffers = 1GB
work_mem = 256MB
maintenance_work_mem = 512MB
effective_cache_size = 8GB
max_parallel_workers_per_gather = 2
max_parallel_workers = 2
max_worker_processes = 8
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
EOF
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pglog" -w -t 60 start >/dev/null || { cat "$pglog" >&2; fail "PostgreSQL did not start"; }
pgconn="host=$pgsock port=$port user=postgres dbname=bench"
psql_=(psql -X -q -v ON_ERROR_STOP=1)
"${psql_[@]}" "host=$pgsock port=$port user=postgres dbname=postgres" -c "CREATE DATABASE bench" >/dev/null
"${psql_[@]}" "$pgconn" -c "CREATE EXTENSION postgis" >/dev/null || fail "CREATE EXTENSION postgis failed"
pg_version="$(psql -X -At "$pgconn" -c "SELECT split_part(version(), ' ', 2) || ' / PostGIS ' || postgis_lib_version() || ' / GEOS ' || postgis_geos_version()")"
log "PostgreSQL $pg_version on $pgsock:$port"

# shellcheck disable=SC2016
timed pg_load bash -c 'set -e; for layer in control_lines mineral_rights; do
    ogr2ogr -f PostgreSQL "PG:$1" "$2" "$layer" -nln "$layer" -nlt MULTIPOLYGON \
      -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -lco FID=fid --config PG_USE_COPY YES
  done
  psql -X -q -v ON_ERROR_STOP=1 "$1" -c "VACUUM ANALYZE"' load "$pgconn" "$work/gen.gpkg"

# The per-right overlap query: every (right, control feature) pair whose boxes and geometries intersect, with the
# ellipsoidal area of the intersection computed in EPSG:4490 (ST_Area(geography), CGCS2000 ellipsoid), as minplan
# does; with --layers …,mineral_rights also every (right, other right) pair.
# Parallel plans even for the small rights table (the default 8 MB min_parallel_table_scan_size and the setup
# costs keep the planner on one core for 2,000 rights): PostGIS gets its 2 workers, as a tuned server would.
cat >"$work/settings.sql" <<'EOF'
SET max_parallel_workers_per_gather = 2;
SET min_parallel_table_scan_size = 0;
SET min_parallel_index_scan_size = 0;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
EOF
{
  echo "CREATE TABLE pg_overlaps AS"
  echo "SELECT r.right_id, 'control_lines'::text AS layer, c.line_id AS feature_id,"
  echo "       ST_Area(ST_Intersection(r.geom, c.geom)::geography) AS overlap_m2"
  echo "  FROM mineral_rights r JOIN control_lines c ON ST_Intersects(r.geom, c.geom)"
  if [[ ",$layers," == *,mineral_rights,* ]]; then
    echo "UNION ALL"
    echo "SELECT r.right_id, 'mineral_rights', o.right_id, ST_Area(ST_Intersection(r.geom, o.geom)::geography)"
    echo "  FROM mineral_rights r JOIN mineral_rights o ON ST_Intersects(r.geom, o.geom) AND r.right_id <> o.right_id"
  fi
  echo ";"
} >"$work/overlaps.sql"
{ cat "$work/settings.sql"; echo "EXPLAIN"; sed -n '/^SELECT/,$p' "$work/overlaps.sql"; } | psql -X -q -At "$pgconn" >"$work/pg_plan.txt"
postmaster="$(head -1 "$pgdata/postmaster.pid")"
python3 "$here/proc_tree_rss.py" "$postmaster" 0.2 >"$work/pg_rss.txt" &
sampler_pid=$!
timed pg_query "${psql_[@]}" "$pgconn" -f "$work/settings.sql" -f "$work/overlaps.sql"
kill "$sampler_pid"; wait "$sampler_pid" || true; sampler_pid=""
"${psql_[@]}" "$pgconn" -c "\\copy (SELECT right_id, layer, feature_id, overlap_m2 FROM pg_overlaps ORDER BY 1, 2, 3) TO '$work/postgis.csv' WITH (FORMAT csv, HEADER)"
workers="$(grep -o 'Workers Planned: [0-9]*' "$work/pg_plan.txt" | head -1 || true)"

verdict=3
: >"$work/compare.txt"
if ((audit_status == 0)); then
  set +e
  python3 "$here/compare_overlaps.py" "$work/minplan.csv" "$work/postgis.csv" --layers "$layers" | tee "$work/compare.txt"
  verdict=${PIPESTATUS[0]}
  set -e
fi

if ((!check_only)); then
  read -r pg_rss_sum pg_rss_priv pg_procs _ pg_cpu <<<"$(sed 's/[a-z_]*=//g' "$work/pg_rss.txt")"
  ratio="n/a (minplan stopped)" pairs_line="Areas not compared (minplan stopped)."
  ((audit_status == 0)) && pairs_line="Pairs: $(sed -n 's/^matched pairs: //p' "$work/compare.txt") matched; $(sed -n 's/^\(only in minplan: [0-9]*\).*/\1/p' "$work/compare.txt"); $(sed -n 's/^\(only in PostGIS at or above the tolerance: [0-9]*\).*/\1/p' "$work/compare.txt"); $(sed -n 's/^\(largest relative difference per pair: [^ ]*\).*/\1/p' "$work/compare.txt"); $(sed -n 's/^\(largest relative difference per pair of 1,000 m² or more\).*: \([^ ]*\).*/\1: \2/p' "$work/compare.txt"); $(tail -1 "$work/compare.txt")."
  ((audit_status == 0)) && ratio="$(python3 -c "print(f'{${T[pg_query]}/${T[audit]}:.3g}')")"
  gen_line="$(sed -n 2p "$work/gen.txt")"
  cat <<EOF

## $size (seed $seed), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load before the audit $(cut -d' ' -f1-3 /proc/loadavg)
data: ${gen_line}; $(sed -n 3p "$work/gen.txt" | sed 's/; [0-9.]* s$//')
PostgreSQL $pg_version, GiST, max_parallel_workers_per_gather=2, parallel costs 0 ($workers)

| step | wall s | CPU s | peak RSS MiB |
|---|---|---|---|
| minplan build (default plan) | ${T[build]} | ${C[build]} | ${M[build]} |
| generator | ${T[generate]} | ${C[generate]} | ${M[generate]} |
| minplan import control_lines | ${T[import_control_lines]} | ${C[import_control_lines]} | ${M[import_control_lines]} |
| minplan import mineral_rights | ${T[import_mineral_rights]} | ${C[import_mineral_rights]} | ${M[import_mineral_rights]} |
| ogr2ogr → PostGIS (both layers, GiST, ANALYZE) | ${T[pg_load]} | ${C[pg_load]} (ogr2ogr, psql) | ${M[pg_load]} (ogr2ogr) |
| **minplan audit$audit_note** | **${T[audit]}** | ${C[audit]} | **${M[audit]}** |
| **PostGIS overlap query** | **${T[pg_query]}** | $pg_cpu (server) | **$((pg_rss_priv / 1024))** (server: private sum + shared once; $((pg_rss_sum / 1024)) summing every RSS; $pg_procs processes) |

PostGIS time / minplan time (wall): **$ratio** (above 1: minplan faster). $pairs_line
EOF
fi
exit "$verdict"
