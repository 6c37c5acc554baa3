#!/usr/bin/env bash
# executor/model/check.sh — exhaustive spin runs of tpx's parking protocols.
#
# For each model configuration: spin -a, compile pan with gcc (-DSAFETY:
# assertions and invalid end states, i.e. deadlocks and lost wake-ups), run an
# exhaustive search, print the states explored. Exit status:
#   0   every correct configuration verified, every broken variant caught,
#       every known bug still reproduced;
#   1   a correct configuration failed, a broken variant was NOT caught (the
#       checker would not catch that bug), a search was truncated, or a known
#       bug no longer reproduces (then update the model and this table), or
#       a model file listed below is missing;
#   77  spin or a C compiler is missing (CTest reports the test as skipped).
#
# Usage: executor/model/check.sh [-v]   (-v: print pan's report and the
# counterexample trail of every failing configuration). Configurations run
# in parallel (TPX_MODEL_JOBS, default nproc); the report keeps their order.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
verbose=0
[[ ${1:-} == -v ]] && verbose=1
CC=${CC:-gcc}

if ! command -v spin >/dev/null 2>&1; then
  echo "check.sh: SKIP: spin is not installed (Debian: apt-get install spin)"
  exit 77
fi
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "check.sh: SKIP: no C compiler '$CC' to build spin's verifier"
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tpx-model.XXXXXX")
trap 'rm -rf "$work"' EXIT

jobs=${TPX_MODEL_JOBS:-$(nproc 2>/dev/null || echo 2)}
(( jobs >= 1 )) || jobs=1
bad=0
verified_states=0
caught=0
n=0

# verify EXPECT NAME MODEL [spin -D options...]
#   runs verify_one in the background (at most $jobs at once: TPX_MODEL_JOBS,
#   default nproc); the reports are printed in order once all have finished.
#   EXPECT: pass  the configuration must verify with no error
#           fail  a deliberately broken variant: the checker must find an error
#           bug   a known bug of the library: the faithful model must still fail
entries=()
section() { entries+=("H:$1"); }
verify() {
  local i=$((n++))
  mkdir -p "$work/$i"
  while (( $(jobs -rp | wc -l) >= jobs )); do wait -n; done
  (result=bad; verify_one "$work/$i" "$@" >"$work/$i/report" 2>&1
   echo "$result" >"$work/$i/status") &
  entries+=("V:$i")
}

# verify_one DIR EXPECT NAME MODEL [spin -D options...]: writes DIR/status
# (bad | ok STATES | caught | known)
verify_one() {
  local dir=$1 expect=$2 name=$3 model=$4
  shift 4
  local bad=0   # the subshell's $result is the verdict
  if [[ ! -f $here/$model ]]; then
    # A listed model that is missing is an error, never a silent skip.
    echo "ERROR   $name: model $here/$model is missing"; bad=1; return
  fi
  cp "$here/$model" "$dir/"
  if ! (cd "$dir" && spin "$@" -a "$model") >"$dir/spin.log" 2>&1; then
    echo "ERROR   $name: spin -a failed"; cat "$dir/spin.log"; bad=1; return
  fi
  # COLLAPSE: compressed state vectors; MEMLIM (MB): fail loudly rather than swap.
  # -O1: compiling pan dominates the small configurations, and -O1 runs the
  # large ones about as fast as -O2.
  if ! (cd "$dir" && "$CC" -O1 -DSAFETY -DCOLLAPSE -DMEMLIM=3072 -o pan pan.c) >"$dir/cc.log" 2>&1; then
    echo "ERROR   $name: compiling pan failed"; cat "$dir/cc.log"; bad=1; return
  fi
  (cd "$dir" && ./pan -m3000000 -n) >"$dir/pan.log" 2>&1
  local errors states first
  errors=$(sed -n 's/.*errors: \([0-9][0-9]*\).*/\1/p' "$dir/pan.log" | head -1)
  states=$(sed -n 's/^ *\([0-9][0-9]*\) states, stored.*/\1/p' "$dir/pan.log" | head -1)
  first=$(grep -m1 -E '^pan:1:|^pan: ' "$dir/pan.log" || true)
  if [[ -z $errors || -z $states ]]; then
    echo "ERROR   $name: pan gave no verdict"; cat "$dir/pan.log"; bad=1; return
  fi
  local truncated=0
  grep -qE 'max search depth too small|reached -DMEMLIM|out of memory' "$dir/pan.log" && truncated=1
  case $expect in
    pass)
      if [[ $errors == 0 && $truncated == 0 ]]; then
        printf 'OK      %-58s %10s states, no error\n' "$name" "$states"
        result="ok $states"
      else
        echo "FAILED  $name: $errors error(s)${first:+: $first}$([[ $truncated == 1 ]] && echo ' (search truncated)')"
        bad=1; verbose_report "$dir" "$model" "$@"
        return
      fi ;;
    fail)
      if [[ $errors != 0 ]]; then
        printf 'CAUGHT  %-58s %s\n' "$name" "${first#pan:1: }"
        result=caught
      else
        echo "MISSED  $name: the checker did not catch this broken variant ($states states)"
        bad=1
      fi ;;
    bug)
      if [[ $errors != 0 ]]; then
        printf 'KNOWN   %-58s %s\n' "$name" "${first#pan:1: }"
        result=known
      else
        echo "FIXED?  $name: the known bug no longer reproduces; make the fix the model's default and update check.sh"
        bad=1
      fi ;;
  esac
  [[ $expect != pass && $verbose == 1 ]] && verbose_report "$dir" "$model" "$@"
  return 0
}

verbose_report() {
  local dir=$1 model=$2
  shift 2
  [[ $verbose == 1 ]] || return 0
  cat "$dir/pan.log"
  [[ -f $dir/$model.trail ]] && (cd "$dir" && spin "$@" -t -p -g "$model" | tail -80)
}

section "== worker parking (pool.hpp: gate, epoch/sleepers/searching, futex) =="
verify pass "1 submitter x 3 tasks, 2 workers, result() then shutdown" worker_parking.pml
verify fail "broken: worker skips the re-check after announcing sleep" worker_parking.pml -DBROKEN_NO_RECHECK
verify fail "broken: worker reads epoch_ after its re-check" worker_parking.pml -DBROKEN_LATE_EPOCH
verify fail "broken: submitter never wakes a sleeper" worker_parking.pml -DBROKEN_NO_WAKE
verify pass "submit racing shutdown(wait, cancel_futures), 2 tasks" worker_parking.pml -DRACE_SHUTDOWN -DTASKS=2
verify fail "broken: stopping_ read after the re-check, racing shutdown" worker_parking.pml -DRACE_SHUTDOWN -DTASKS=2 -DBROKEN_STOP_AFTER_RECHECK
verify fail "broken: no re-check, racing shutdown" worker_parking.pml -DRACE_SHUTDOWN -DTASKS=2 -DBROKEN_NO_RECHECK
verify pass "a worker's task pushes 3 tasks on its deque, 2 thieves" worker_parking.pml -DLOCAL
verify fail "broken: a deque push wakes nobody" worker_parking.pml -DLOCAL -DBROKEN_LOCAL_NO_WAKE
verify fail "broken: no re-check (of the deques either)" worker_parking.pml -DLOCAL -DBROKEN_NO_RECHECK
# STRICT_DRAIN only adds an assertion to the LOCAL RACE_SHUTDOWN configuration
# (same state space), so it stands for the plain one. The broken variants are
# caught with 1 task already (~25k states instead of ~7M).
verify pass "deque pushes racing shutdown(cancel_futures), 2 tasks, strict drain" worker_parking.pml -DLOCAL -DRACE_SHUTDOWN -DTASKS=2 -DSTRICT_DRAIN
verify fail "broken: push_local reads the flags before pushing (old code)" worker_parking.pml -DLOCAL -DRACE_SHUTDOWN -DTASKS=1 -DBROKEN_FLAGS_BEFORE_PUSH
verify fail "broken: push, then flags, then take back (b34b600): a thief steals" worker_parking.pml -DLOCAL -DRACE_SHUTDOWN -DTASKS=1 -DSTRICT_DRAIN -DBROKEN_TAKE_BACK
verify pass "try_dequeue fails once spuriously; the re-check trusts the size" worker_parking.pml -DSPURIOUS
verify fail "broken: a failed try_dequeue is trusted, the worker parks" worker_parking.pml -DBROKEN_TRUST_DEQUEUE

section "== future state word (state_word.hpp: kWaiters, futex; shared_state: callbacks) =="
verify pass "2 waiters, worker vs cancel(), 2 done callbacks" future_waiter.pml
verify fail "broken: try_start clears kWaiters" future_waiter.pml -DBROKEN_START_CLEARS_WAITERS
verify fail "broken: complete() is load + store, not one exchange" future_waiter.pml -DBROKEN_LOAD_STORE_COMPLETE
verify fail "broken: waiter parks without setting kWaiters" future_waiter.pml -DBROKEN_WAIT_WITHOUT_BIT
verify fail "broken: add_callback on a done future pushes (runs later)" future_waiter.pml -DBROKEN_NO_DONE_CHECK

section "== claiming a queued task its worker waits for (shared_state.hpp: try_run_inline, try_start) =="
verify pass "W pops T back, O (caller_runs) and a thief race the claim" claim.pml
verify fail "broken: W reports done after popping T back, claim lost" claim.pml -DBROKEN_CLAIM_RETURNS_TRUE

section "== as_completed's waiter (multi_waiter.hpp: ready_ stack, parked_ futex) =="
verify pass "1 waiter, 3 completing futures" multi_waiter.pml
verify fail "broken: waiter parks without re-checking ready_" multi_waiter.pml -DBROKEN_NO_RECHECK
verify fail "broken: completer skips the wake" multi_waiter.pml -DBROKEN_NO_WAKE
verify pass "detach after timeout vs completion vs add_callback (lock bit)" multi_waiter.pml -DDETACH
verify fail "broken: completer ignores the lock bit" multi_waiter.pml -DDETACH -DBROKEN_COMPLETE_IGNORES_LOCK
verify fail "broken: completer waits for unlock, then plain exchange" multi_waiter.pml -DDETACH -DBROKEN_COMPLETE_LOAD_THEN_EXCHANGE
verify fail "broken: add_callback pushes onto a locked head" multi_waiter.pml -DDETACH -DBROKEN_PUSH_IGNORES_LOCK
verify fail "broken: detach config, no re-check of ready_" multi_waiter.pml -DDETACH -DBROKEN_NO_RECHECK

section "== bounded admission (pool.hpp: max_queued, blocked submitters, room_ futex) =="
verify pass "2 submitters x 2 tasks, bound 1, 1 worker" admission.pml
verify pass "2 submitters x 3 tasks, bound 2" admission.pml -DTASKS=3 -DBOUND=2
verify pass "blocked submitters racing shutdown" admission.pml -DRACE_SHUTDOWN
verify fail "broken: a blocked submitter sleeps without retrying" admission.pml -DBROKEN_NO_RECHECK
verify fail "broken: room_ read after the retry" admission.pml -DBROKEN_LATE_EPOCH
verify fail "broken: the releaser wakes nobody" admission.pml -DBROKEN_NO_WAKE
verify fail "broken: a blocked submitter never counts itself" admission.pml -DBROKEN_NO_ANNOUNCE
verify fail "broken: add-then-undo reservation without a pre-check: wake ping-pong" admission.pml -DBROKEN_UNDO

wait
for e in "${entries[@]}"; do
  case $e in
    H:*) echo "${e#H:}" ;;
    V:*)
      d=$work/${e#V:}
      cat "$d/report"
      st=$(cat "$d/status" 2>/dev/null || echo bad)
      case $st in
        ok\ *) verified_states=$((verified_states + ${st#ok })) ;;
        caught) caught=$((caught + 1)) ;;
        known) ;;
        *) bad=1 ;;
      esac ;;
  esac
done

echo "states explored in verified configurations: $verified_states; broken variants caught: $caught"
if [[ $bad != 0 ]]; then
  echo "check.sh: FAILED (rerun with -v for pan's report and the counterexample)"
  exit 1
fi
echo "check.sh: all models verified"
