#!/usr/bin/env bash
# minplan's own audit and check on its two stores (issue 13, docs/performance.md "The PostGIS store"): the same
# plan database as a GeoPackage and as a PostGIS schema (`minplan copy`), in one run.
#
#   bench/pg_store_compare.sh --db PLAN.gpkg [--minplan BIN] [--lonlat 113.50,40.00] [--checks 5]
#
# PLAN.gpkg: a plan database with the generated data imported, e.g. WORK/plan.gpkg of
# `bench/postgis_compare.sh --size smoke|mid --work WORK --keep`.
#  1. A throwaway PostgreSQL 15 + PostGIS 3 cluster (tests/pg/cluster.sh, stopped and removed on exit);
#     `minplan copy --from PLAN.gpkg --to PG:… --plan bench` (timed).
#  2. `minplan audit --overlaps` on each store: wall, CPU (user + system of minplan; for PostGIS the server's
#     backends are not added: they are another process tree) and peak RSS; the two overlap CSVs must be equal
#     (same pairs, same areas), else exit 1.
#  3. `minplan check` of one coal application (the 1.7 km × 1.1 km rectangle of bench/latency.sh at --lonlat),
#     --checks times on each store: median and worst wall; the two reports' verdicts must agree.
# Prints a Markdown table.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
minplan="$root/build/minplan" db="" lonlat=113.50,40.00 checks=5
while (($#)); do
  case "$1" in
    --db) db="$2"; shift 2 ;;
    --minplan) minplan="$2"; shift 2 ;;
    --lonlat) lonlat="$2"; shift 2 ;;
    --checks) checks="$2"; shift 2 ;;
    -h|--help) sed -n 2,17p "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n "$db" && -f "$db" ]] || { echo "--db PLAN.gpkg is required (bench/postgis_compare.sh --keep makes one)" >&2; exit 2; }
[[ -x "$minplan" ]] || { echo "minplan binary not found at $minplan" >&2; exit 2; }
tmp="$(mktemp -d)"
chmod 755 "$tmp"
cleanup() {
  "$root/tests/pg/cluster.sh" stop "$tmp/pg" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
"$root/tests/pg/cluster.sh" start "$tmp/pg" >&2
pg="PG:$(cat "$tmp/pg/conninfo") active_schema=bench"

declare -A T M C
timed() {
  local name="$1" rc=0; shift
  /usr/bin/time -v -o "$tmp/time.$name" "$@" || rc=$?
  T[$name]="$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; printf "%.2f", s}' "$tmp/time.$name")"
  M[$name]="$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$tmp/time.$name")"
  C[$name]="$(awk -F': ' '/User time|System time/{s+=$2} END{printf "%.1f", s}' "$tmp/time.$name")"
  return "$rc"
}

echo "== copy into PostGIS" >&2
timed copy "$minplan" copy --from "$db" --to "$pg" >&2
for store in gpkg pg; do
  loc="$db"; [[ $store == pg ]] && loc="$pg"
  echo "== audit on $store" >&2
  timed "audit_$store" "$minplan" --db "$loc" audit --overlaps "$tmp/overlaps.$store.csv" --out "$tmp/findings.$store.csv" >&2 || [[ $? == 1 ]]
done
# The same pairs and areas from both stores (rows sorted: the order of tiles may differ).
if ! cmp -s <(sort "$tmp/overlaps.gpkg.csv") <(sort "$tmp/overlaps.pg.csv"); then
  echo "the overlaps differ between the stores:" >&2
  diff <(sort "$tmp/overlaps.gpkg.csv") <(sort "$tmp/overlaps.pg.csv") | head -20 >&2
  exit 1
fi
pairs=$(($(wc -l <"$tmp/overlaps.gpkg.csv") - 1))

. "$here/check_application.sh"
write_check_application "$lonlat" "$tmp"
declare -A CHECK VERDICT
for store in gpkg pg; do
  loc="$db"; [[ $store == pg ]] && loc="$pg"
  : >"$tmp/check.$store"
  for ((i = 1; i <= checks; i++)); do
    /usr/bin/time -f "%e %M" -a -o "$tmp/check.$store" "$minplan" --db "$loc" check "$tmp/app.txt" --kind mining \
      --attr main_mineral=煤炭 --attr scale=120 --attr scale_unit=万吨/年 --format json --out "$tmp/report.$store.json" || [[ $? == 1 ]]
  done
  CHECK[$store]="$(python3 -c '
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip() and l[0].isdigit()]
t = sorted(r[0] for r in rows)
print(f"{t[len(t)//2]:.2f} | {t[-1]:.2f} | {max(r[1] for r in rows)/1024:.0f}")' "$tmp/check.$store")"
  VERDICT[$store]="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$tmp/report.$store.json")"
done
[[ "${VERDICT[gpkg]}" == "${VERDICT[pg]}" ]] || { echo "verdicts differ: ${VERDICT[gpkg]} / ${VERDICT[pg]}" >&2; exit 1; }

features="$("$minplan" --db "$db" --json layers | python3 -c '
import json, sys
d = json.load(sys.stdin)
layers = d["layers"] if isinstance(d, dict) else d
n = {l["id"]: l.get("features", 0) for l in layers}
print(n.get("control_lines", 0), n.get("mineral_rights", 0))')"
read -r lines rights <<<"$features"
echo
echo "| store | control_lines | rights | audit wall s | audit CPU s | audit peak RSS MiB | overlap pairs (equal) | check median s | check worst s | check peak RSS MiB | verdict |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
echo "| GeoPackage | $lines | $rights | ${T[audit_gpkg]} | ${C[audit_gpkg]} | ${M[audit_gpkg]} | $pairs | ${CHECK[gpkg]} | ${VERDICT[gpkg]} |"
echo "| PostGIS (minplan --db PG:) | $lines | $rights | ${T[audit_pg]} | ${C[audit_pg]} | ${M[audit_pg]} | $pairs | ${CHECK[pg]} | ${VERDICT[pg]} |"
echo
echo "copy GeoPackage → PostGIS: ${T[copy]} s wall, ${C[copy]} s CPU, ${M[copy]} MiB peak RSS"
