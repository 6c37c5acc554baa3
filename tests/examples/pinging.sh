# Smoke test of examples/pinging.cpp. Without ping installed the test is
# skipped (77), after checking that the program says so itself. Where ping is
# installed but cannot ping 127.0.0.1 (some sandboxes forbid ICMP sockets even
# to root), the program must report what ping reports: the test compares its
# verdict with ping's own, and says so, rather than claiming OK was seen.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

check_cli

# Invalid host names are rejected before anything runs.
run -- -f
expect_rc 2
expect "'-f' is not a host name or IP address" "an option-like host is rejected"
run 'a;reboot'
expect_rc 2
expect "is not a host name or IP address" "a host with shell syntax is rejected"

# Where ping is missing, the program says so and exits non-zero.
empty_path=$(mktemp -d)
trap 'rmdir "$empty_path"' EXIT
run_path=$empty_path run 127.0.0.1
expect_rc 1
expect "'ping' is not installed" "a missing ping is reported"

command -v ping >/dev/null || skip "ping is not installed (Debian: apt-get install iputils-ping); the pings themselves were not tested"

if ping -c 1 -w 5 127.0.0.1 >/dev/null 2>&1; then
  loopback=OK
else
  loopback=failed
  echo "NOTE: 'ping -c 1 127.0.0.1' fails here (no ICMP socket in this sandbox?);"
  echo "      checking that the example reports 'failed -> 127.0.0.1' like ping does."
fi

run
expect_rc 0
expect "^$loopback -> 127\\.0\\.0\\.1\$" "127.0.0.1 reported as ping reports it ($loopback)"
expect '^failed -> nonexistent\.invalid$' "the unresolvable host fails"
expect '^(OK|failed) -> localhost$' "localhost is reported"
expect '^elapsed [0-9]+\.[0-9]{2} s \([0-3] of 3 hosts answered\)$' "the elapsed time"
expect_not '^PING |bytes from|^ping: ' "ping's own output is silenced"

run --verbose nonexistent.invalid
expect_rc 0
expect '^failed -> nonexistent\.invalid$' "the unresolvable host fails"
expect '^ping: ' "with --verbose, ping's own error comes through"
echo "PASS"
