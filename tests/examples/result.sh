# Smoke test of examples/result.cpp: results in submission order, and the run
# takes about the longest sleep, not the sum (the tasks sleep concurrently).
# --seed 287 fixes the sleeps at 3, 1, 5 (task 2 finishes first, yet prints
# second); the check reads the sleeps from the output anyway,
# so it holds for any seed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

check_cli --seed -3

scale=0.1
run --scale $scale --seed 287
expect_rc 0
for tid in 1 2 3; do expect "^finished task $tid, slept [1-5]$" "task $tid's result"; done
t1=$(line_of '^finished task 1,') t2=$(line_of '^finished task 2,') t3=$(line_of '^finished task 3,')
((t1 < t2 && t2 < t3)) || fail "expected results in submission order 1, 2, 3"
expect '^It took [0-9]+\.[0-9]{2} second\(s\) to finish\.$' "the elapsed time"

slept=$(grep -Eo '^finished task [123], slept [1-5]$' <<<"$out" | awk '{ print $NF }')
sum=$(awk -v s=$scale '{ t += $1 } END { print t * s }' <<<"$slept")
max=$(awk -v s=$scale '$1 > m { m = $1 } END { print m * s }' <<<"$slept")
elapsed=$(grep -Eo '^It took [0-9.]+' <<<"$out" | awk '{ print $3 }')
echo "sleeps (scaled): sum $sum s, longest $max s; elapsed $elapsed s"
# Lower bound: nobody can finish before the longest sleep (minus print rounding).
holds "$elapsed >= $max - 0.01" || fail "elapsed $elapsed s is shorter than the longest sleep $max s"
# Upper bound: far below the sum. Halfway between the longest sleep and the sum
# (at least 0.1 s above the longest) is generous and still fails a serial run.
bound=$(awk -v m="$max" -v s="$sum" 'BEGIN { b = (m + s) / 2; if (b < m + 0.1) b = m + 0.1; print b }')
holds "$elapsed < $bound" || fail "elapsed $elapsed s is not about the longest sleep $max s (bound $bound s, sum $sum s)"
holds "$elapsed < 0.8 * $sum" || fail "elapsed $elapsed s is not well below the sum $sum s"
echo "PASS"
