# Smoke test of examples/submit.cpp: all three tasks start and complete before
# the program exits (the executor's scope waits for them), each on a worker.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

check_cli --scale fast

run --scale 0.1
expect_rc 0
for id in 1 2 3; do
  expect "^thread $id started$" "task $id started"
  expect "^thread $id : [0-9]+ \\(tut_[0-9]+\\)$" "task $id printed its thread id and worker name"
  expect "^thread $id completed$" "task $id completed before the program exited"
  (($(line_of "^thread $id started$") < $(line_of "^thread $id completed$"))) ||
    fail "task $id completed before it started?"
done
# Three workers, three tasks at once: three different threads.
distinct=$(grep -Eo '^thread [123] : [0-9]+' <<<"$out" | awk '{ print $4 }' | sort -u | wc -l)
((distinct == 3)) || fail "expected the three tasks on three threads, saw $distinct"
echo "PASS"
