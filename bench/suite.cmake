# Reading bench/suite.json, for bench/CMakeLists.txt (what to build) and
# tests/bench/smoke.cmake (what a binary must produce): one reading, so that
# the two cannot disagree on which contenders a workload runs over.

# tpx_bench_json(<out> <json> <member>...): a member's value, "" when absent.
function(tpx_bench_json out json)
  string(JSON value ERROR_VARIABLE error GET "${json}" ${ARGN})
  if(error)
    set(value "")
  endif()
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

# tpx_bench_json_items(<out> <json> <member>...): an array's elements as a
# CMake list (objects stay JSON text), empty when absent.
function(tpx_bench_json_items out json)
  string(JSON n ERROR_VARIABLE error LENGTH "${json}" ${ARGN})
  set(items "")
  if(NOT error AND n GREATER 0)
    math(EXPR last "${n} - 1")
    foreach(i RANGE ${last})
      string(JSON item GET "${json}" ${ARGN} ${i})
      list(APPEND items "${item}")
    endforeach()
  endif()
  set(${out} "${items}" PARENT_SCOPE)
endfunction()

# tpx_bench_over(<out> <suite> <workload entry> <contenders built>...): the
# contenders a workload runs over, in the suite's order: those of its "only"
# (or every one that is not "opt_in", plus the opt-in ones its "also" names)
# that are built and have what it "needs". Empty for a workload with a
# "label" (not over contenders).
function(tpx_bench_over out suite workload)
  tpx_bench_json(label "${workload}" label)
  tpx_bench_json_items(only "${workload}" only)
  tpx_bench_json_items(also "${workload}" also)
  tpx_bench_json_items(needs "${workload}" needs)
  tpx_bench_json_items(entries "${suite}" contenders)
  set(over "")
  if(NOT label)
    foreach(entry IN LISTS entries)
      string(JSON name GET "${entry}" name)
      string(JSON post GET "${entry}" post)
      tpx_bench_json(opt_in "${entry}" opt_in)
      if(only)
        set(chosen OFF)
        if(name IN_LIST only)
          set(chosen ON)
        endif()
      elseif(opt_in)
        set(chosen OFF)
        if(name IN_LIST also)
          set(chosen ON)
        endif()
      else()
        set(chosen ON)
      endif()
      if(chosen AND name IN_LIST ARGN AND (NOT "post" IN_LIST needs OR post))
        list(APPEND over ${name})
      endif()
    endforeach()
  endif()
  set(${out} "${over}" PARENT_SCOPE)
endfunction()

# tpx_bench_contender_counters(<out> <suite> <contender name>): the counters
# every row over that contender carries besides the pool counters (its
# entry's "counters", a counter_sets name standing for the set).
function(tpx_bench_contender_counters out suite name)
  tpx_bench_json_items(entries "${suite}" contenders)
  set(counters "")
  foreach(entry IN LISTS entries)
    string(JSON n GET "${entry}" name)
    if(n STREQUAL name)
      tpx_bench_counters(counters "${suite}" "${entry}")
    endif()
  endforeach()
  set(${out} "${counters}" PARENT_SCOPE)
endfunction()

# tpx_bench_counters(<out> <suite> <entry>): the entry's "counters", a name
# of one of the suite's counter_sets standing for the set.
function(tpx_bench_counters out suite entry)
  tpx_bench_json_items(names "${entry}" counters)
  set(counters "")
  foreach(name IN LISTS names)
    tpx_bench_json_items(members "${suite}" counter_sets ${name})
    if(members)
      list(APPEND counters ${members})
    else()
      list(APPEND counters ${name})
    endif()
  endforeach()
  set(${out} "${counters}" PARENT_SCOPE)
endfunction()
