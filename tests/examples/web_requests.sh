# Smoke test of examples/web_requests.cpp against its own local server: the
# fast and slow paths answer 200, /missing answers 404, the refusing port
# prints an error line (and no crash), and the requests overlap.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

check_cli --scale x

run --scale 0.1
expect_rc 0
expect '^200 http://127\.0\.0\.1:[0-9]+/$' "the fast path answers 200"
expect '^200 http://127\.0\.0\.1:[0-9]+/slow$' "the slow path answers 200"
expect '^200 http://127\.0\.0\.1:[0-9]+/slower$' "the slower path answers 200"
expect '^404 http://127\.0\.0\.1:[0-9]+/missing$' "/missing answers 404"
expect '^error http://127\.0\.0\.1:[0-9]+/refused: could not connect' "the refused connection is an error line"
expect '^elapsed [0-9]+\.[0-9]{2} seconds$' "the elapsed time"
# The slow paths take 0.1 s and 0.2 s; one after the other with the rest would be >= 0.3 s.
elapsed=$(grep -Eo '^elapsed [0-9.]+' <<<"$out" | awk '{ print $2 }')
holds "$elapsed < 5" || fail "elapsed $elapsed s: the requests did not overlap or something hung"

# Given URLs are requested instead of the local ones; bad ones are error lines.
run 'ftp://example.invalid/' 'not a url'
expect_rc 0
expect "^error ftp://example\\.invalid/: unsupported scheme 'ftp'" "an unsupported scheme is an error line"
expect '^error not a url: not a URL' "a malformed URL is an error line"
expect_not '^200 ' "no local server when URLs are given"
echo "PASS"
