# Smoke test of examples/as_completed.cpp: results print in completion order,
# the shortest sleep first. At --scale 0.2 sleeps that differ differ by at least
# 200 ms; equal sleeps may come in either order, so the check is that the
# printed sleeps never decrease.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

check_cli --scale 1e999

run --scale 0.2 --seed 39  # sleeps 2 5 1 4 3: completion order 3 1 5 4 2
expect_rc 0
for tid in 1 2 3 4 5; do expect "^finished task $tid, slept [1-5]$" "task $tid's result"; done
expect '^It took [0-9]+\.[0-9]{2} second\(s\) to finish\.$' "the elapsed time"
slept=$(grep -Eo '^finished task [1-5], slept [1-5]$' <<<"$out" | awk '{ print $NF }' | tr '\n' ' ')
echo "sleeps in the order printed: $slept"
sorted=$(tr ' ' '\n' <<<"$slept" | grep . | sort -n | tr '\n' ' ')
[[ $slept == "$sorted" ]] || fail "expected completion order (sleeps non-decreasing: $sorted), got $slept"
distinct=$(tr ' ' '\n' <<<"$slept" | grep . | sort -u | wc -l)
((distinct >= 2)) || fail "seed 39 should give different sleeps, or the order check proves nothing"
echo "PASS"
