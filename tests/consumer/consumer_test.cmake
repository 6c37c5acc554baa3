# CTest: install tpx into a scratch prefix, then configure, build and run the
# consumer project against it with find_package(tpx CONFIG REQUIRED).
set(_prefix ${CMAKE_CURRENT_BINARY_DIR}/consumer-prefix)
set(_build ${CMAKE_CURRENT_BINARY_DIR}/consumer-build)
add_test(NAME "consumer: install"
  COMMAND ${CMAKE_COMMAND} --install ${CMAKE_BINARY_DIR} --prefix ${_prefix})
add_test(NAME "consumer: find_package(tpx) and build"
  COMMAND ${CMAKE_COMMAND} -E env --unset=CMAKE_PREFIX_PATH
          ${CMAKE_COMMAND} -S ${CMAKE_CURRENT_SOURCE_DIR}/consumer -B ${_build}
          -DCMAKE_PREFIX_PATH=${_prefix} -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER} -DCMAKE_BUILD_TYPE=Release)
add_test(NAME "consumer: compile" COMMAND ${CMAKE_COMMAND} --build ${_build})
add_test(NAME "consumer: run" COMMAND ${_build}/consumer)
set_tests_properties("consumer: install" PROPERTIES FIXTURES_SETUP tpx_installed)
set_tests_properties("consumer: find_package(tpx) and build" PROPERTIES
  FIXTURES_REQUIRED tpx_installed FIXTURES_SETUP tpx_consumer_configured)
set_tests_properties("consumer: compile" PROPERTIES
  FIXTURES_REQUIRED tpx_consumer_configured FIXTURES_SETUP tpx_consumer_built)
set_tests_properties("consumer: run" PROPERTIES FIXTURES_REQUIRED tpx_consumer_built PASS_REGULAR_EXPRESSION "consumer: 42")
