# Smoke test of examples/map.cpp: map(task, {1,2,3}, {4,3,2}) runs the three
# calls at once, so they complete in the order 3, 2, 1 (sleeps 0.5/0.75/1 s
# apart by 250 ms at --scale 0.25), while map's results arrive in argument
# order 1, 2, 3.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

check_cli --scale -1

run --scale 0.25
expect_rc 0
for id in 1 2 3; do
  expect "^thread $id started$" "task $id started"
  expect "^thread $id completed$" "task $id completed"
done
c1=$(line_of '^thread 1 completed$') c2=$(line_of '^thread 2 completed$') c3=$(line_of '^thread 3 completed$')
((c3 < c2 && c2 < c1)) || fail "expected completion order 3, 2, 1 (shortest sleep first)"
r1=$(line_of '^map result: task\(1, 4\) returned$')
r2=$(line_of '^map result: task\(2, 3\) returned$')
r3=$(line_of '^map result: task\(3, 2\) returned$')
((r1 > 0 && r2 > 0 && r3 > 0)) || fail "expected one map result per call, zipped (1,4) (2,3) (3,2)"
((r1 < r2 && r2 < r3)) || fail "expected map results in argument order 1, 2, 3"
echo "PASS"
