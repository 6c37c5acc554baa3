#!/usr/bin/env bash
# fuzz/run.sh SECONDS — builds the two libFuzzer targets with clang 14
# (-fsanitize=fuzzer,address,undefined) and fuzzes each for half of SECONDS
# (default 60, so 30 s each):
#   executor_ops_fuzzer  the executor API (tpx's sources compiled alongside);
#                        seeds fuzz/corpus, crash inputs kept in fuzz/regressions/
#                        (CTest "reliability: fuzz corpus and regressions replay");
#   compare_json_fuzzer  tpx-compare's JSON input (tools/compare/*.cpp but main.cpp
#                        compiled alongside; nlohmann-json, fmt, CLI11 from the
#                        system); seeds fuzz/compare_corpus, crash inputs kept in
#                        fuzz/regressions/compare/ (CTest "reliability: compare
#                        fuzz corpus replay").
# Seed corpora are read-only; new inputs go to scratch corpora. Both targets
# always run. Exit status: 0 no crash, 1 a crash (input saved), 2 build failure.
# FUZZ_TARGETS="executor compare" (the default) picks which targets run.
set -euo pipefail
seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
CXX=${CXX_FUZZ:-clang++-14}
command -v "$CXX" >/dev/null || CXX=clang++
out=${FUZZ_BUILD_DIR:-$root/build/fuzz}
targets=${FUZZ_TARGETS:-executor compare}
ntargets=$(wc -w <<<"$targets")
per=$(( seconds / ntargets )); (( per >= 1 )) || per=1
mkdir -p "$out" "$here/regressions" "$here/regressions/compare"

flags=(-std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
# moodycamel's header: a default include directory needs no flag (and -isystem /usr/include breaks libstdc++).
queue_inc=${CONCURRENTQUEUE_INCLUDE_DIR:-}

build_executor() {
  "$CXX" "${flags[@]}" -I"$root/executor/include" ${queue_inc:+-isystem "$queue_inc"} \
    $(pkg-config --cflags hwloc) "$root"/executor/src/*.cpp "$here/executor_ops_fuzzer.cpp" \
    $(pkg-config --libs hwloc) -pthread -o "$out/executor_ops_fuzzer"
}

build_compare() {
  local srcs=()
  for f in "$root"/tools/compare/*.cpp; do [[ $(basename "$f") == main.cpp ]] || srcs+=("$f"); done
  # Objects are compiled separately (and in parallel, 2 jobs) so a rebuild only
  # redoes what changed; nlohmann-json and CLI11 are header-only, fmt is -lfmt.
  local obj="$out/compare_obj"; mkdir -p "$obj"
  local objs=() pids=() f o
  for f in "${srcs[@]}" "$here/compare_json_fuzzer.cpp"; do
    o="$obj/$(basename "$f" .cpp).o"; objs+=("$o")
    if [[ ! -f $o || $f -nt $o || -n $(find "$root/tools/compare" -name '*.hpp' -newer "$o" -print -quit) ]]; then
      "$CXX" "${flags[@]}" -I"$root/tools/compare" -c "$f" -o "$o" & pids+=($!)
      if (( ${#pids[@]} >= 2 )); then wait "${pids[0]}" || return 1; pids=("${pids[@]:1}"); fi
    fi
  done
  for p in "${pids[@]}"; do wait "$p" || return 1; done
  "$CXX" "${flags[@]}" "${objs[@]}" -lfmt -pthread -o "$out/compare_json_fuzzer"
}

# fuzz NAME BINARY SEEDS ARTIFACT_DIR MAX_LEN: runs one target for $per seconds.
status=0
fuzz() {
  local name=$1 bin=$2 seeds=$3 artifacts=$4 max_len=$5
  local scratch; scratch=$(mktemp -d "${TMPDIR:-/tmp}/tpx-fuzz-$name.XXXXXX")
  local log="$out/fuzz-$name.log" rc
  set +e
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=print_stacktrace=1 \
    "$bin" -max_total_time="$per" -timeout=60 -rss_limit_mb=4096 -max_len="$max_len" \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$scratch" "$seeds" >"$log" 2>&1
  rc=$?
  set -e
  rm -rf "$scratch"
  local execs; execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  echo "run.sh: $name: ${execs:-?} executions in ${per}s (log: $log)"
  if [[ $rc != 0 ]]; then
    tail -40 "$log"
    echo "run.sh: $name: the fuzzer found a failure; input kept in ${artifacts#$root/}/ (replayed by ctest)"
    status=1
  fi
}

for t in $targets; do
  case $t in
    executor)
      echo "run.sh: building $out/executor_ops_fuzzer with $CXX"
      build_executor || { echo "run.sh: build failed (executor_ops_fuzzer)"; exit 2; } ;;
    compare)
      echo "run.sh: building $out/compare_json_fuzzer with $CXX"
      build_compare || { echo "run.sh: build failed (compare_json_fuzzer)"; exit 2; } ;;
    *) echo "run.sh: unknown target '$t' (executor, compare)"; exit 2 ;;
  esac
done
for t in $targets; do
  case $t in
    executor) fuzz executor "$out/executor_ops_fuzzer" "$here/corpus" "$here/regressions" 512 ;;
    compare) fuzz compare "$out/compare_json_fuzzer" "$here/compare_corpus" "$here/regressions/compare" 4096 ;;
  esac
done
[[ $status == 0 ]] && echo "run.sh: no failure"
exit $status
