#!/usr/bin/env bash
# Load benchmark of the portal (issue 5 "Speed and load"; a script, not a timed test).
#
#   bench/load.sh [path/to/minplan] [--duration 20s] [--connections 64] [--threads 2] [--db PLAN.gpkg]
#
# Starts `minplan serve` on a free loopback port (the embedded plan unless --db), then drives it with wrk:
#   (a) GET /api/layers/mining_blocks/features?bbox=<a map view>   — a feature request for a layer in view
#   (b) POST /api/check with tests/data/rules/apps/coal_all_pass.txt — a full conformance review
# each with 1 connection and with N concurrent connections for a bounded time, reporting p50/p90/p99 latency and errors (non-2xx
# answers count as errors). As a peer in the same run: the same bbox query on the same GeoPackage through
# GDAL's command-line tools (ogrinfo -spat, ogr2ogr -spat to GeoJSON), one process per query, sequentially.
# Prints a Markdown summary at the end (pasted into the README's "Load benchmark").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
minplan="$root/build/minplan"
duration=20s connections=64 threads=2 db=""
while (($#)); do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    -h|--help) sed -n 2,14p "$0"; exit 0 ;;
    *) minplan="$1"; shift ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk (scripts/install_deps.sh)" >&2; exit 2; }
[[ -x "$minplan" ]] || { echo "minplan binary not found at $minplan (build first, or pass its path)" >&2; exit 2; }

layer="${BENCH_LAYER:-mining_blocks}"
bbox="${BENCH_BBOX:-113.0,39.6,114.4,40.4}"
application="${BENCH_APPLICATION:-$root/tests/data/rules/apps/coal_all_pass.txt}"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
log="$(mktemp)"
serve_args=(serve --port "$port")
[[ -n "$db" ]] && serve_args+=(--db "$db")
"$minplan" "${serve_args[@]}" >"$log" 2>&1 &
server_pid=$!
cleanup() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -f "$log"; }
trap cleanup EXIT
for _ in $(seq 1 600); do
  curl -fsS -o /dev/null "$base/api/layers" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.2
done
gpkg="$(curl -fsS "$base/api/summary" | python3 -c 'import json,sys; print(json.load(sys.stdin)["database"])')"
features="$(curl -fsS "$base/api/layers/$layer/features?bbox=$bbox" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["features"]))')"
bytes="$(curl -fsS "$base/api/layers/$layer/features?bbox=$bbox" | wc -c)"
verdict="$(curl -fsS -H 'Content-Type: text/plain' --data-binary @"$application" "$base/api/check" | python3 -c 'import json,sys; print(json.load(sys.stdin)["verdict"])')"

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -sr)"
echo "== date: $(date -u '+%Y-%m-%d %H:%M UTC'); server: $minplan (pid $server_pid) on $base; database $gpkg"
echo "== load average before the runs (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== (a) $layer in bbox $bbox: $features features, $bytes bytes per answer"
echo "== (b) POST /api/check $(basename "$application"): verdict $verdict"

run_wrk() {  # name script connections
  local c="$3" t="$threads"
  ((c < t)) && t="$c"
  BENCH_LUA_DIR="$here/wrk" BENCH_LAYER="$layer" BENCH_BBOX="$bbox" BENCH_APPLICATION="$application" \
    wrk -t"$t" -c"$c" -d"$duration" --timeout 10s -s "$here/wrk/$2" "$base" | tee /dev/stderr | sed -n "s/^RESULT /$1 c=$c /p"
}
results=()
results+=("$(run_wrk features_bbox features_bbox.lua 1)")  # one map client: the latency of a request alone
results+=("$(run_wrk features_bbox features_bbox.lua "$connections")")
results+=("$(run_wrk check_post check_post.lua 1)")
results+=("$(run_wrk check_post check_post.lua "$connections")")
kill -0 "$server_pid" 2>/dev/null || { echo "the server died during the run" >&2; exit 1; }
echo "== load average after the runs (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)"

# Peer: the same query through GDAL's tools on the same file (process start included: that is the cost of
# answering a map request this way). Code of the layer for ogr: KAICQK etc. from /api/layers.
code="$(curl -fsS "$base/api/layers" | python3 -c "import json,sys; print(next(l['code'] for l in json.load(sys.stdin)['layers'] if l['id']=='$layer'))")"
read -r x0 y0 x1 y1 <<<"${bbox//,/ }"
peer() {  # name command...
  local name="$1"; shift
  python3 - "$name" "$@" <<'PY'
import subprocess, sys, time
name, cmd = sys.argv[1], sys.argv[2:]
times = []
for _ in range(40):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
pct = lambda p: times[min(len(times) - 1, int(round(p / 100 * len(times) + 0.5)) - 1)]
print(f"{name} requests={len(times)} rps={1000 * len(times) / sum(times):.1f} p50_ms={pct(50):.2f} p90_ms={pct(90):.2f} "
      f"p99_ms={pct(99):.2f} max_ms={times[-1]:.2f} errors_connect=0 errors_read=0 errors_write=0 errors_status=0 errors_timeout=0")
PY
}
results+=("$(peer ogrinfo_spat ogrinfo -ro -q -spat "$x0" "$y0" "$x1" "$y1" "$gpkg" "$code")")
results+=("$(peer ogr2ogr_geojson ogr2ogr -f GeoJSON /vsistdout/ -spat "$x0" "$y0" "$x1" "$y1" "$gpkg" "$code")")

echo
echo "| run | concurrency | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |"
echo "|---|---|---|---|---|---|---|---|---|"
for r in "${results[@]}"; do
  python3 - "$connections" "$duration" $r <<'PY'
import sys
conns, duration, name, *kv = sys.argv[1:]
d = dict(x.split("=", 1) for x in kv)
conns = d.pop("c", conns)
errors = sum(int(d[k]) for k in d if k.startswith("errors_"))
label = {"features_bbox": "(a) GET features in bbox", "check_post": "(b) POST /api/check",
         "ogrinfo_spat": "peer: `ogrinfo -spat` (one process per query)",
         "ogr2ogr_geojson": "peer: `ogr2ogr -spat` → GeoJSON (one process per query)"}[name]
conc = f"{conns} connection{'s' if conns != '1' else ''}, {duration}" if not name.startswith("ogr") else "1, 40 runs"
print(f"| {label} | {conc} | {d['requests']} | {d['rps']} | {d['p50_ms']} | {d['p90_ms']} | {d['p99_ms']} | {d['max_ms']} | {errors} |")
PY
done
