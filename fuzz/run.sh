#!/usr/bin/env bash
# fuzz/run.sh SECONDS — builds the libFuzzer target with clang 14
# (-fsanitize=fuzzer,address,undefined, tpx's sources compiled alongside) and
# fuzzes for SECONDS (default 60). Seeds: fuzz/corpus (read-only; new inputs go
# to a scratch corpus). A crashing input is kept in fuzz/regressions/, where the
# CTest "reliability: fuzz corpus and regressions replay" replays it. Exit
# status: 0 no crash, 1 a crash (input saved), 2 build failure.
set -euo pipefail
seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
CXX=${CXX_FUZZ:-clang++-14}
command -v "$CXX" >/dev/null || CXX=clang++
out=${FUZZ_BUILD_DIR:-$root/build/fuzz}
mkdir -p "$out" "$here/regressions"

flags=(-std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
# moodycamel's header: a default include directory needs no flag (and -isystem /usr/include breaks libstdc++).
queue_inc=${CONCURRENTQUEUE_INCLUDE_DIR:-}
echo "run.sh: building $out/executor_ops_fuzzer with $CXX"
if ! "$CXX" "${flags[@]}" -I"$root/executor/include" ${queue_inc:+-isystem "$queue_inc"} \
      $(pkg-config --cflags hwloc) "$root"/executor/src/*.cpp "$here/executor_ops_fuzzer.cpp" \
      $(pkg-config --libs hwloc) -pthread -o "$out/executor_ops_fuzzer"; then
  echo "run.sh: build failed"; exit 2
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tpx-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
log="$out/fuzz.log"
set +e
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=print_stacktrace=1 \
  "$out/executor_ops_fuzzer" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 -max_len=512 \
  -print_final_stats=1 -artifact_prefix="$here/regressions/" "$scratch" "$here/corpus" >"$log" 2>&1
rc=$?
set -e
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
echo "run.sh: ${execs:-?} executions in ${seconds}s (log: $log)"
if [[ $rc != 0 ]]; then
  tail -40 "$log"
  echo "run.sh: the fuzzer found a failure; input kept in fuzz/regressions/ (replayed by ctest)"
  exit 1
fi
echo "run.sh: no failure"
