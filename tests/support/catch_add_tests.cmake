# Run by catch_discover_tests() after each build of a test binary, in place of
# Catch2 v2's CatchAddTests.cmake (tests/CMakeLists.txt points it here): writes
# CTEST_FILE, one CTest per Catch2 test case of TEST_EXECUTABLE.
#
# Why not Catch2's own: it turns the binary's listing into a CMake list, so a
# test named "a; b" became two CTests, "a" and " b", whose names match no test
# case; each then "passed" without running anything (10 of our tests, among
# them the allocation-failure ones). Here a name is never a list element: the
# listing is split on newlines only, and every name is written as a bracket
# argument, in which ';' is plain text.
#
# Takes the variables catch_discover_tests() passes; tests/ uses TEST_SPEC,
# TEST_PREFIX, TEST_SUFFIX, TEST_PROPERTIES and TEST_EXTRA_ARGS. REPORTER and
# OUTPUT_DIR are refused rather than ignored.
if(TEST_REPORTER OR TEST_OUTPUT_DIR)
  message(FATAL_ERROR "catch_add_tests.cmake: REPORTER and OUTPUT_DIR are not supported")
endif()

execute_process(
  COMMAND ${TEST_EXECUTOR} "${TEST_EXECUTABLE}" ${TEST_SPEC} --list-test-names-only
  OUTPUT_VARIABLE output
  RESULT_VARIABLE result
  WORKING_DIRECTORY "${TEST_WORKING_DIR}")
# --list-test-names-only exits with the number of test cases it listed.
if(NOT result MATCHES "^[0-9]+$")
  message(FATAL_ERROR "${TEST_EXECUTABLE} --list-test-names-only failed: ${result}\n${output}")
elseif(result EQUAL 0)
  message(WARNING "${TEST_EXECUTABLE} has no test cases matching '${TEST_SPEC}'")
endif()

# A bracket argument: its content is never split, expanded or unescaped.
function(bracket out value)
  set(${out} "[==[${value}]==]" PARENT_SCOPE)
endfunction()

# ';' separates list elements and '[' ']' group them: hide all three while
# the listing is a list of lines.
string(REPLACE ";" "<tpx-semicolon>" output "${output}")
string(REPLACE "[" "<tpx-open>" output "${output}")
string(REPLACE "]" "<tpx-close>" output "${output}")
string(REPLACE "\n" ";" lines "${output}")

set(script "")
set(names "")
bracket(executable "${TEST_EXECUTABLE}")
bracket(working_dir "${TEST_WORKING_DIR}")
set(extra "")
foreach(arg IN LISTS TEST_EXTRA_ARGS)
  bracket(arg "${arg}")
  string(APPEND extra " ${arg}")
endforeach()
set(properties "")
foreach(property IN LISTS TEST_PROPERTIES)
  bracket(property "${property}")
  string(APPEND properties " ${property}")
endforeach()

foreach(line IN LISTS lines)
  if(line STREQUAL "")
    continue()
  endif()
  string(REPLACE "<tpx-semicolon>" ";" name "${line}")
  string(REPLACE "<tpx-open>" "[" name "${name}")
  string(REPLACE "<tpx-close>" "]" name "${name}")
  # Catch2 reads ',', '[' and ']' in a test spec as syntax: escape them.
  set(spec "${name}")
  foreach(char , [ ])
    string(REPLACE "${char}" "\\${char}" spec "${spec}")
  endforeach()
  bracket(ctest_name "${TEST_PREFIX}${name}${TEST_SUFFIX}")
  bracket(spec "${spec}")
  string(APPEND script "add_test(${ctest_name} ${TEST_EXECUTOR} ${executable} ${spec}${extra})\n")
  string(APPEND script "set_tests_properties(${ctest_name} PROPERTIES WORKING_DIRECTORY ${working_dir}${properties})\n")
  string(APPEND names " ${ctest_name}")
endforeach()
if(TEST_LIST)
  string(APPEND script "set(${TEST_LIST}${names})\n")
endif()

file(WRITE "${CTEST_FILE}" "${script}")
