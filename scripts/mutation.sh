#!/usr/bin/env bash
# Mutation run (not part of CI): applies each defect of scripts/mutations.txt, one at a time, to a scratch copy
# of the tree, rebuilds incrementally (one build directory, ccache), runs the unit suite (ctest -LE e2e) with a
# per-mutant timeout and tabulates killed / survived. The working tree is never touched.
# The tests scripts/mutation_tests.txt names for a mutant run first; only if they all pass does the whole unit
# suite run, so every "survived" has passed the whole suite and every "killed" names tests that failed.
#
#   scripts/mutation.sh [-k CATALOGUE] [-o OUT.tsv] [-t SECONDS] [-B] [NAME ...]   # names: only these, in this order
# -B skips the unmutated suite (only when the same tree's whole unit suite has just passed: a pre-existing
# failure would otherwise count as a kill).
# Run it from a copy if you edit it meanwhile (bash reads a script as it runs).
#
# Environment: MUTATION_DIR (scratch, default /tmp/minplan-mutation; under ccache's base_dir the first build
# reuses the worktrees' objects), JOBS (default 2).
# A mutant is "killed" when a test fails or times out, "survived" when the suite passes, "build-error" when the
# mutated tree does not compile (not counted), "not-applied" when its sed expression changed nothing.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
catalogue=$repo/scripts/mutations.txt
expected_tests=$repo/scripts/mutation_tests.txt
out=""
timeout_s=3600
baseline=1
while getopts "k:o:t:B" opt; do
    case $opt in
        k) catalogue=$OPTARG ;;
        o) out=$OPTARG ;;
        t) timeout_s=$OPTARG ;;
        B) baseline=0 ;;
        *) sed -n '2,12p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
only=" $* "
work=${MUTATION_DIR:-/tmp/minplan-mutation}
jobs=${JOBS:-2}
# The build directory sits inside the copy, as in a checkout, so that ccache (base_dir above it) hits the objects
# of the worktrees' builds.
tree=$work/tree build=$work/tree/build logs=$work/logs
out=${out:-$work/results.tsv}
mkdir -p "$tree" "$build" "$logs"

# Scratch copy of the committed tree plus uncommitted changes (no build directories, no .git). Only files whose
# content differs are copied, with a fresh modification time: unchanged files are not rebuilt, and a file restored
# after an earlier mutant is never older than the object built from the mutant.
( cd "$repo" && git ls-files -co --exclude-standard -z | grep -zv '^build' ) |
    while IFS= read -r -d '' f; do
        if ! cmp -s "$repo/$f" "$tree/$f"; then mkdir -p "$tree/$(dirname "$f")" && cp "$repo/$f" "$tree/$f"; fi
    done

# lld when there is one: every mutant relinks the 0.5 GB test binary, which takes GNU ld most of a minute.
linker=()
command -v ld.lld >/dev/null && linker=(-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld)
cmake -S "$tree" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMINPLAN_BUILD_TESTS=ON "${linker[@]}" >"$logs/cmake.log"

run_suite() {  # $1 = log file, $2 = ctest -R expression to run first (optional); 0 when every unit test passes
    if [[ -n ${2:-} ]]; then  # the expected tests need only the program and the test binary
        timeout "$timeout_s" cmake --build "$build" -j"$jobs" --target minplan minplan_tests >"$1.build" 2>&1 || return 3
        ( cd "$build" && timeout "$timeout_s" ctest -j"$jobs" -LE e2e -R "$2" --timeout 300 >"$1" 2>&1 ) || return 1
        mv "$1" "$1.expected"
    fi
    timeout "$timeout_s" cmake --build "$build" -j"$jobs" >>"$1.build" 2>&1 || return 3
    ( cd "$build" && timeout "$timeout_s" ctest -j"$jobs" -LE e2e --timeout 300 --stop-on-failure >"$1" 2>&1 )
}

expected_for() {  # the ctest expression of scripts/mutation_tests.txt for mutant $1, or nothing
    [[ -f $expected_tests ]] || return 0
    grep -E "^$1 +[|]" "$expected_tests" | sed -E 's/^[^|]*[|] //; s/ +$//' | head -1
}

echo "baseline build and suite (unmutated)…"
cmake --build "$build" -j"$jobs" >"$logs/baseline.log.build" 2>&1 || { echo "the unmutated tree does not build: see $logs/baseline.log.build" >&2; exit 1; }
if [[ $baseline == 1 ]] && ! run_suite "$logs/baseline.log"; then
    echo "the unmutated suite fails or does not build: see $logs/baseline.log(.build)" >&2
    exit 1
fi

# The catalogue's entries, or only the named ones in the order given.
entries() {
    grep -Ev '^[[:space:]]*(#|$)' "$catalogue" | if [[ $only == "  " ]]; then cat; else
        local all; all=$(cat); for n in $only; do grep -E "^$n +[|]" <<<"$all" || echo "unknown mutant $n" >&2; done; fi
}

printf "name\tfile\tresult\tkilled_by\tseconds\n" >"$out"
killed=0 survived=0 total=0
while IFS= read -r line; do
    name=$(awk -F' [|] ' '{gsub(/ +$/, "", $1); print $1}' <<<"$line")
    file=$(awk -F' [|] ' '{gsub(/^ +| +$/, "", $2); print $2}' <<<"$line")
    expr=$(sed -E 's/^[^|]*[|][^|]*[|] //' <<<"$line")
    target=$tree/$file
    cp -p "$target" "$work/original"
    sed -i -e "$expr" "$target"
    start=$(date +%s)
    if cmp -s "$target" "$work/original"; then
        result=not-applied by=""
    else
        touch "$target"
        set +e
        run_suite "$logs/$name.log" "$(expected_for "$name")"
        rc=$?
        set -e
        if [[ $rc == 3 ]]; then
            result=build-error by=""
        elif [[ $rc == 0 ]]; then
            result=survived by=""
            survived=$((survived + 1)) total=$((total + 1))
        else
            result=killed
            by=$(grep -E '^\s+[0-9]+ - ' "$logs/$name.log" | sed -E 's/^\s+[0-9]+ - ([^ ]+).*/\1/' | head -3 | paste -sd, -)
            [[ -z $by ]] && by="(timeout or crash)"
            killed=$((killed + 1)) total=$((total + 1))
        fi
    fi
    # Restore, and make the restored file newer than its object so that the next build recompiles it.
    cp "$work/original" "$target"
    touch "$target"
    printf "%s\t%s\t%s\t%s\t%s\n" "$name" "$file" "$result" "$by" $(($(date +%s) - start)) | tee -a "$out"
done < <(entries)

echo "killed $killed of $total (survived $survived); table: $out"
