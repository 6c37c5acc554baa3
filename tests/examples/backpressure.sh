# Smoke test of examples/backpressure.cpp: a burst against max_queued = 4 on 2
# workers. block: every request is accepted and the queue never holds more
# than the bound; reject: the overflow is shed with QueueFull and the rest
# run; caller_runs: the overflow runs on the producer. Counts, not timings.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

check_cli --policy sometimes

summary='^burst of 12 \(policy ([a-z_]+)\): ([0-9]+) accepted \(([0-9]+) run by the producer\), ([0-9]+) shed; at most ([0-9]+) waiting \(bound 4\)'
for policy in block reject caller_runs; do
  # 0.1 s per request: the burst is submitted long before 2 workers could clear it.
  run --scale 0.5 --policy "$policy"
  expect_rc 0
  expect "$summary" "the $policy run printed its summary"
  line=$(grep -E "$summary" <<<"$out")
  [[ $line =~ $summary ]] || fail "unparsable summary: $line"
  accepted=${BASH_REMATCH[2]} here=${BASH_REMATCH[3]} shed=${BASH_REMATCH[4]} most=${BASH_REMATCH[5]}
  ((accepted + shed == 12)) || fail "$policy: accepted $accepted + shed $shed is not the burst of 12"
  # Accepted and not started: at most the bound, plus the 2 workers' tasks taken but not yet begun.
  ((most <= 6)) || fail "$policy: $most requests waiting, more than the bound of 4 (+2 being taken)"
  case $policy in
    block)
      ((accepted == 12 && shed == 0 && here == 0)) || fail "block: expected all 12 queued, none shed or run here"
      expect_not '^request [0-9]+: (shed|ran on the producer)' "block neither sheds nor runs on the producer"
      ;;
    reject)
      ((shed > 0 && here == 0)) || fail "reject: a burst of 12 against 4 must shed some (shed $shed)"
      expect '^request [0-9]+: shed \(tpx::QueueFull\)' "reject names the error"
      ;;
    caller_runs)
      ((shed == 0 && here > 0)) || fail "caller_runs: the producer must run some (ran $here, shed $shed)"
      expect '^request [0-9]+: ran on the producer' "caller_runs says where it ran"
      ;;
  esac
done
echo "PASS"
