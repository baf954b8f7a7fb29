#!/usr/bin/env bash
# Two minplan builds compared under the 64-client check load, side by side (issue 9, docs/performance.md):
#
#   bench/ab_compare.sh --db PLAN.gpkg --a BIN_A --b BIN_B [--rounds 5] [--duration 8s] [--connections 64]
#                       [--lonlat 113.50,40.00]
#
# Both servers run at once on the same plan database (each idle while the other is measured), are warmed with
# one 5 s round each, then measured in alternated rounds A, B, A, B… of --duration. This machine's speed drifts
# by ±30 % within minutes, so rounds minutes apart (bench/latency.sh run twice) cannot tell a 10 % change;
# rounds seconds apart can. The application is bench/latency.sh's (a 1.7 km × 1.1 km coal mining-right string
# centred at --lonlat). Prints one line a round and the medians of each side.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
db="" a="" b="" rounds=5 duration=8s connections=64 lonlat=113.50,40.00
while (($#)); do
  case "$1" in
    --db) db="$2"; shift 2 ;;
    --a) a="$2"; shift 2 ;;
    --b) b="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --lonlat) lonlat="$2"; shift 2 ;;
    -h|--help) sed -n 2,11p "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n "$db" && -f "$db" ]] || { echo "--db PLAN.gpkg is required" >&2; exit 2; }
[[ -x "$a" && -x "$b" ]] || { echo "--a and --b must name minplan binaries" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk (scripts/install_deps.sh)" >&2; exit 2; }
tmp="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

. "$here/check_application.sh"
write_check_application "$lonlat" "$tmp"
query="$CHECK_QUERY"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start() {  # BIN LABEL: serves on a free port, left in $port (not run in a subshell: the pid must reach cleanup)
  port="$(free_port)"
  "$1" --db "$db" serve --port "$port" >"$tmp/serve.$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/api/layers" 2>/dev/null && return
    sleep 0.1
  done
  echo "server $2 did not start:" >&2
  cat "$tmp/serve.$2.log" >&2
  exit 1
}
start "$a" a
port_a="$port"
start "$b" b
port_b="$port"
run() {  # PORT DURATION -> wrk's RESULT line without its prefix
  BENCH_LUA_DIR="$here/wrk" BENCH_APPLICATION="$tmp/app.txt" BENCH_CONTENT_TYPE="text/plain; charset=utf-8" \
    wrk -t2 -c"$connections" -d"$2" --timeout 30s -s "$here/wrk/check_post.lua" "http://127.0.0.1:$1/api/check?$query" |
    sed -n 's/^RESULT //p'
}
run "$port_a" 5s >/dev/null
run "$port_b" 5s >/dev/null
for r in $(seq 1 "$rounds"); do
  echo "A $(run "$port_a" "$duration")" | tee -a "$tmp/rounds"
  echo "B $(run "$port_b" "$duration")" | tee -a "$tmp/rounds"
done
python3 - "$tmp/rounds" <<'PY'
import statistics, sys
sides = {}
for line in open(sys.argv[1]):
    side, *fields = line.split()
    kv = dict(f.split("=", 1) for f in fields)
    sides.setdefault(side, []).append(kv)
for side, rows in sorted(sides.items()):
    med = lambda k: statistics.median(float(r[k]) for r in rows)
    errors = sum(int(v) for r in rows for k, v in r.items() if k.startswith("errors_"))
    print(f"{side}: median of {len(rows)} rounds: {med('rps'):.0f} checks/s, p50 {med('p50_ms'):.1f} ms, "
          f"p99 {med('p99_ms'):.1f} ms; worst p99 {max(float(r['p99_ms']) for r in rows):.1f} ms; errors {errors}")
PY
