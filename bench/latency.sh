#!/usr/bin/env bash
# Single-check latency and startup on a benchmark plan database (issue 9, docs/performance.md):
#
#   bench/latency.sh --db PLAN.gpkg [--minplan BIN] [--sequential 1000] [--connections 64] [--duration 20s]
#                    [--lonlat 113.50,40.00]
#
# PLAN.gpkg: a plan database with the generated data imported, e.g. WORK/plan.gpkg of
# `bench/postgis_compare.sh --size mid --work WORK --keep`. The application: a 1.7 km × 1.1 km coal mining
# application (mining-right coordinate string) centred at --lonlat (default: the centre of the generated region).
#  1. CLI: `minplan --db PLAN check app.txt` five times: median and worst wall time, peak RSS.
#  2. Server: `minplan --db PLAN serve` on a free loopback port; time until the first answer of GET /api/layers
#     and of the first POST /api/check; then N sequential checks on one keep-alive connection
#     (bench/http_check_client.py) and C concurrent connections for a fixed time (wrk, bench/wrk/check_post.lua):
#     p50/p90/p99/max and errors; server RSS (VmRSS, VmHWM) after each phase with the number of checks so far.
# Prints a Markdown table.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
minplan="$root/build/minplan" db="" sequential=1000 connections=64 duration=20s lonlat=113.50,40.00
while (($#)); do
  case "$1" in
    --db) db="$2"; shift 2 ;;
    --minplan) minplan="$2"; shift 2 ;;
    --sequential) sequential="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --lonlat) lonlat="$2"; shift 2 ;;
    -h|--help) sed -n 2,15p "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n "$db" && -f "$db" ]] || { echo "--db PLAN.gpkg is required (bench/postgis_compare.sh --keep makes one)" >&2; exit 2; }
[[ -x "$minplan" ]] || { echo "minplan binary not found at $minplan" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk (scripts/install_deps.sh)" >&2; exit 2; }
tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
  rm -rf "$tmp"
}
trap cleanup EXIT

. "$here/check_application.sh"
write_check_application "$lonlat" "$tmp"
app="$tmp/app.txt" ctype="text/plain; charset=utf-8"
query="$CHECK_QUERY"

# 1. CLI
cli_times=()
for i in 1 2 3 4 5; do
  /usr/bin/time -f "%e %M" -o "$tmp/cli.$i" "$minplan" --db "$db" check "$app" --kind mining --attr main_mineral=煤炭 --attr scale=120 --attr scale_unit=万吨/年 --format json --out "$tmp/report.json" || [[ $? == 1 ]]
  cli_times+=("$(tail -1 "$tmp/cli.$i")")
done
read -r cli_median cli_worst cli_rss <<<"$(printf '%s\n' "${cli_times[@]}" | python3 -c '
import sys
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
t = sorted(r[0] for r in rows)
print(f"{t[len(t)//2]:.2f} {t[-1]:.2f} {max(r[1] for r in rows)/1024:.0f}")')"
verdict="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["verdict"], sum(len(f["evidence"]) for f in d["findings"]), "evidence rows")' "$tmp/report.json")"

# 2. server
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
t0="$(date +%s.%N)"
"$minplan" --db "$db" serve --port "$port" >"$tmp/serve.log" 2>&1 &
server_pid=$!
first_layers="" first_check=""
for _ in $(seq 1 12000); do
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; exit 1; }
  if [[ -z "$first_layers" ]] && curl -fsS -o /dev/null "$base/api/layers" 2>/dev/null; then
    first_layers="$(python3 -c "import time; print(f'{time.time() - $t0:.2f}')")"
  fi
  if [[ -n "$first_layers" ]]; then
    code="$(curl -sS -o "$tmp/first.json" -w '%{http_code}' -H "Content-Type: $ctype" --data-binary @"$app" "$base/api/check?$query" 2>/dev/null || true)"
    if [[ "$code" == 200 ]]; then
      first_check="$(python3 -c "import time; print(f'{time.time() - $t0:.2f}')")"
      break
    fi
    [[ "$code" == 000 ]] || { echo "POST /api/check answered $code:" >&2; cat "$tmp/first.json" >&2; exit 1; }
  fi
  sleep 0.05
done
[[ -n "$first_check" ]] || { echo "the server never answered a check" >&2; exit 1; }
rss() { awk '/^VmRSS/{r=$2} /^VmHWM/{h=$2} END{printf "RSS %.0f MiB (peak %.0f MiB)", r/1024, h/1024}' "/proc/$server_pid/status"; }
rss_idle="$(rss)"
geojson_code="$(curl -sS -o "$tmp/geojson.json" -w '%{http_code}' -H "Content-Type: application/geo+json" --data-binary @"$tmp/app.geojson" "$base/api/check?$query" || true)"
geojson_result="HTTP $geojson_code"
[[ "$geojson_code" == 200 ]] && geojson_result+=", verdict $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$tmp/geojson.json")"
seq_result="$(python3 "$here/http_check_client.py" "$base/api/check?$query" "$app" "$ctype" "$sequential" | sed -n 's/^RESULT //p')"
rss_seq="$(rss)"
threads=2
((connections < threads)) && threads="$connections"
wrk_out="$(BENCH_LUA_DIR="$here/wrk" BENCH_APPLICATION="$app" BENCH_CONTENT_TYPE="$ctype" \
  wrk -t"$threads" -c"$connections" -d"$duration" --timeout 30s -s "$here/wrk/check_post.lua" "$base/api/check?$query")"
echo "$wrk_out" >&2
con_result="$(sed -n 's/^RESULT //p' <<<"$wrk_out")"
kill -0 "$server_pid" 2>/dev/null || { echo "the server died during the run" >&2; exit 1; }
rss_con="$(rss)"
field() { sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<<"$1"; }
con_errors=$(( $(field "$con_result" errors_connect) + $(field "$con_result" errors_read) + $(field "$con_result" errors_write) + $(field "$con_result" errors_status) + $(field "$con_result" errors_timeout) ))
n_seq="$(field "$seq_result" requests)" n_con="$(field "$con_result" requests)"

cat <<EOF

## latency: $(basename "$db") ($(du -h "$db" | cut -f1)), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)
application: 1.7 km × 1.1 km coal mining right string at $lonlat; CLI verdict: $verdict

| measurement | result |
|---|---|
| CLI \`minplan check\` wall (median / worst of 5) | $cli_median s / $cli_worst s, peak RSS $cli_rss MiB |
| server start → first answer (GET /api/layers) | $first_layers s |
| server start → first check answered (POST /api/check) | $first_check s; then $rss_idle |
| the same rectangle as a GeoJSON body (application/geo+json) | $geojson_result |
| $n_seq sequential checks, 1 connection | p50 $(field "$seq_result" p50_ms) ms, p90 $(field "$seq_result" p90_ms) ms, p99 $(field "$seq_result" p99_ms) ms, max $(field "$seq_result" max_ms) ms, $(field "$seq_result" rps) checks/s, errors $(field "$seq_result" errors); then $rss_seq |
| $connections concurrent connections, $duration ($n_con checks) | p50 $(field "$con_result" p50_ms) ms, p90 $(field "$con_result" p90_ms) ms, p99 $(field "$con_result" p99_ms) ms, max $(field "$con_result" max_ms) ms, $(field "$con_result" rps) checks/s, errors $con_errors; then $rss_con after $((n_seq + n_con + 2)) checks |
EOF
