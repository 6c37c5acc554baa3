# tests/examples/lib.sh — helpers for the examples' smoke tests (sourced).
#
#   run ARGS...            run the example ($bin) with ARGS; output in $out, status in $rc
#                          (with PATH=$run_path when run_path is set)
#   expect_rc N            the last run exited with N
#   expect REGEX WHAT      some output line matches the extended REGEX
#   expect_not REGEX WHAT  no output line matches
#   line_of REGEX          the number of the first output line matching REGEX (0: none)
#   check_cli [FLAG VAL]   --help works, an unknown flag and (if given) a bad value are usage errors
#   fail MESSAGE           print the output and MESSAGE, exit 1
#   skip MESSAGE           exit 77 (CTest SKIP_RETURN_CODE)
set -uo pipefail

bin=${1:?usage: $0 PATH-TO-EXAMPLE-BINARY}
name=$(basename "$bin")
out=""
rc=0
run_path=""

fail() {
  printf '%s\n' "---- output of the last run ($name) ----" "$out" "----"
  echo "FAIL ($name): $*" >&2
  exit 1
}

skip() {
  echo "SKIP ($name): $*"
  exit 77
}

run() {
  echo "\$ $name $*"
  # run_path, when set, is the PATH the example sees (env is found before it applies).
  out=$(${run_path:+env PATH="$run_path"} "$bin" "$@" 2>&1)
  rc=$?
  printf '%s\n' "$out"
  # A sanitizer that reports without halting must still fail the test.
  if grep -Eq '^(WARNING|ERROR): (ThreadSanitizer|AddressSanitizer|LeakSanitizer)|runtime error:' <<<"$out"; then
    fail "a sanitizer reported a problem"
  fi
}

expect_rc() {
  [[ $rc -eq $1 ]] || fail "exit status $rc, expected $1"
}

expect() {
  grep -Eq -- "$1" <<<"$out" || fail "no line matches /$1/: ${2:-}"
}

expect_not() {
  if grep -Eq -- "$1" <<<"$out"; then fail "a line matches /$1/: ${2:-}"; fi
}

line_of() {
  local n
  n=$(grep -En -m1 -- "$1" <<<"$out" | cut -d: -f1)
  echo "${n:-0}"
}

# awk does the arithmetic on seconds: bash has integers only.
# holds 'EXPR' -> status 0 when the awk expression is true.
holds() {
  awk "BEGIN { exit !($1) }"
}

check_cli() {
  run --help
  expect_rc 0
  expect '^Usage: ' "--help prints a usage line"
  run --no-such-flag
  expect_rc 2
  expect "unknown option '--no-such-flag'" "an unknown flag is named in the error"
  if (($# == 2)); then
    run "$1" "$2"
    expect_rc 2
    expect "option $1" "a bad value for $1 is reported"
  fi
}
