#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan, a build directory of their own) and runs each for
# SECONDS, then prints executions and crashes per target. See fuzz/README.md.
#
#   fuzz/run.sh SECONDS [TARGET...]     all targets (fuzz/*_fuzz.cpp) when none are named
#   fuzz/run.sh --merge [TARGET...]     fold the inputs found into fuzz/corpus/<target>, minimised (set cover)
#
# Environment: FUZZ_BUILD (default <repo>/build-fuzz), FUZZ_WORK (default /tmp/minplan-fuzz-work: the
# growing corpora, crash artifacts and logs), FUZZ_JOBS (parallel build jobs, default 2), FUZZ_NICE
# (default 19: the campaign yields the CPU to everything else), FUZZ_ARGS (extra libFuzzer flags),
# FUZZ_PARALLEL=1 (run the targets at the same time rather than one after the other).
# Exit status: 0 when no target crashed, 1 otherwise.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD:-$repo/build-fuzz}"
work="${FUZZ_WORK:-/tmp/minplan-fuzz-work}"
jobs="${FUZZ_JOBS:-2}"
nice_level="${FUZZ_NICE:-19}"

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage
mode=run
if [ "$1" = "--merge" ]; then mode=merge; shift; else
  seconds="$1"; shift
  [[ "$seconds" =~ ^[0-9]+$ ]] || usage
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$repo"/fuzz/*_fuzz.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi

if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Fuzz -DCMAKE_CXX_FLAGS_FUZZ="-O1 -gline-tables-only" \
    -DMINPLAN_FUZZ=ON -DMINPLAN_BUILD_TESTS=OFF >/dev/null
fi
nice -n "$nice_level" cmake --build "$build" -j"$jobs" --target "${targets[@]}" >"$work.build.log" 2>&1 \
  || { tail -30 "$work.build.log"; echo "fuzz build failed (log: $work.build.log)"; exit 1; }

# Leaks are not findings here: GDAL, PROJ and GEOS keep process-wide caches, and the HTTP targets keep
# their server for the life of the process.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

if [ "$mode" = merge ]; then
  for t in "${targets[@]}"; do
    [ -d "$work/$t" ] || { echo "$t: nothing in $work/$t"; continue; }
    fresh="$(mktemp -d)"
    # Set cover over edges (not hit counts): -merge=1 keeps every input that adds a feature, 300–1,200 files.
    nice -n "$nice_level" "$build/$t" -set_cover_merge=1 -use_counters=0 -timeout=60 -rss_limit_mb=4096 -max_len=65536 \
      "$fresh" "$repo/fuzz/corpus/$t" "$work/$t" \
      >"$work/$t.merge.log" 2>&1
    n=$(find "$fresh" -type f | wc -l)
    if [ "$n" -gt 200 ]; then echo "$t: $n files after merge (limit 200): kept the corpus as it was"; rm -rf "$fresh"; continue; fi
    rm -f "$repo/fuzz/corpus/$t"/* && mkdir -p "$repo/fuzz/corpus/$t" && cp "$fresh"/* "$repo/fuzz/corpus/$t/"
    rm -rf "$fresh"
    echo "$t: corpus now $n files"
  done
  exit 0
fi

run_one() {
  local t="$1" dict=()
  mkdir -p "$work/$t" "$work/artifacts/$t"
  [ -f "$repo/fuzz/$t.dict" ] && dict=(-dict="$repo/fuzz/$t.dict")
  # The older targets name their dictionary after the parser (coordinate_string.dict, txt.dict).
  [ -f "$repo/fuzz/${t%_fuzz}.dict" ] && dict=(-dict="$repo/fuzz/${t%_fuzz}.dict")
  find "$work/artifacts/$t" -type f ! -name 'slow-unit-*' | wc -l >"$work/$t.before"
  # shellcheck disable=SC2086
  nice -n "$nice_level" "$build/$t" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/$t/" "${dict[@]}" ${FUZZ_ARGS:-} \
    "$work/$t" "$repo/fuzz/corpus/$t" >"$work/$t.log" 2>&1 || true
}

# FUZZ_PARALLEL=1: all targets at once (each for SECONDS), otherwise one after the other.
if [ "${FUZZ_PARALLEL:-0}" = 1 ]; then
  for t in "${targets[@]}"; do run_one "$t" & done
  wait
else
  for t in "${targets[@]}"; do run_one "$t"; done
fi

printf '%-24s %12s %10s %8s %8s\n' target executions exec/s crashes corpus
status=0
for t in "${targets[@]}"; do
  execs=$(grep -a 'stat::number_of_executed_units' "$work/$t.log" | tail -1 | awk '{print $2}')
  rate=$(grep -a 'stat::average_exec_per_sec' "$work/$t.log" | tail -1 | awk '{print $2}')
  # slow-unit-* (an input over 10 s, e.g. the first one, which builds the plan) is not a crash.
  crashes=$(( $(find "$work/artifacts/$t" -type f ! -name 'slow-unit-*' | wc -l) - $(cat "$work/$t.before") ))
  if [ -z "$execs" ]; then crashes=$((crashes > 0 ? crashes : 1)); execs="?"; fi
  [ "$crashes" -eq 0 ] || status=1
  printf '%-24s %12s %10s %8s %8s\n' "$t" "$execs" "${rate:-?}" "$crashes" "$(find "$work/$t" -type f | wc -l)"
  [ "$crashes" -eq 0 ] || { grep -a -m3 -E 'ERROR|invariant|SUMMARY|Test unit written' "$work/$t.log" | sed 's/^/    /' || true; }
done
echo "logs: $work/<target>.log; crash inputs: $work/artifacts/<target>/"
exit $status
