# Smoke test of examples/web_requests_coro.cpp, the coroutine twin of
# web_requests: the same lines as web_requests.sh checks, under both ways of
# reaching the pool (--via submit: co_await a future; --via schedule: co_await
# executor.schedule()). A coroutine resumed twice would print its line twice,
# one never resumed would hang or print nothing, so the lines are counted:
# one per URL, then "elapsed" last.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

check_cli --scale x
run --via sideways
expect_rc 2
expect "option --via: expected submit or schedule" "a bad --via is reported"

# count REGEX -> how many output lines match
count() {
  grep -Ec -- "$1" <<<"$out"
}

# exactly N REGEX WHAT: N output lines match REGEX
exactly() {
  local n
  n=$(count "$2")
  [[ $n -eq $1 ]] || fail "$n lines match /$2/, expected $1: $3"
}

# Every line is a result or the elapsed time, each result once, elapsed last.
lines_are_results_then_elapsed() {
  local results=$1 lines last
  lines=$(grep -c '' <<<"$out")
  ((lines == results + 1)) || fail "$lines output lines, expected $results results and the elapsed line"
  last=$(tail -n1 <<<"$out")
  [[ $last =~ ^elapsed\ [0-9]+\.[0-9]{2}\ seconds$ ]] || fail "the last line is not the elapsed time: '$last'"
  exactly 1 '^elapsed ' "one elapsed line"
  [[ -z $(grep -v '^elapsed ' <<<"$out" | sort | uniq -d) ]] || fail "a result was printed twice"
}

local_re='http://127\.0\.0\.1:[0-9]+'
for via in submit schedule; do
  run --scale 0.1 --via "$via"
  expect_rc 0
  exactly 1 "^200 $local_re/\$" "the fast path answers 200 (--via $via)"
  exactly 1 "^200 $local_re/slow\$" "the slow path answers 200 (--via $via)"
  exactly 1 "^200 $local_re/slower\$" "the slower path answers 200 (--via $via)"
  exactly 1 "^404 $local_re/missing\$" "/missing answers 404 (--via $via)"
  exactly 1 "^error $local_re/refused: could not connect" "the refused connection is an error line (--via $via)"
  lines_are_results_then_elapsed 5
  # The slow paths take 0.1 s and 0.2 s; a hang would run into the test's timeout.
  elapsed=$(grep -Eo '^elapsed [0-9.]+' <<<"$out" | awk '{ print $2 }')
  holds "$elapsed < 5" || fail "elapsed $elapsed s: the requests did not overlap or something hung"
done

# Given URLs are requested instead of the local ones; bad ones are error lines.
run 'ftp://example.invalid/' 'not a url'
expect_rc 0
expect "^error ftp://example\\.invalid/: unsupported scheme 'ftp'" "an unsupported scheme is an error line"
expect '^error not a url: not a URL' "a malformed URL is an error line"
expect_not '^200 ' "no local server when URLs are given"
lines_are_results_then_elapsed 2

# Many coroutines at once (more than the 32 workers), failing fast: some may find
# their future already done at the co_await and go on without suspending,
# others are resumed by a worker. Each prints its line exactly once.
many=()
for i in $(seq 1 48); do many+=("ftp://host$i.invalid/"); done
for via in submit schedule; do
  run --via "$via" "${many[@]}"
  expect_rc 0
  exactly 48 "^error ftp://host[0-9]+\\.invalid/: unsupported scheme 'ftp'" "one error line per URL (--via $via)"
  lines_are_results_then_elapsed 48
done
echo "PASS"
