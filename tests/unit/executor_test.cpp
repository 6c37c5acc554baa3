// ThreadPoolExecutor [unit]: construction, the worker count, the error reporter.
#include <catch2/catch.hpp>

#include <cstddef>
#include <exception>
#include <stdexcept>
#include <string_view>

#include <tpx/tpx.hpp>

#include "support/option_sets.hpp"
#include "support/process.hpp"
#include "support/support.hpp"

using tpx_test::affinity_cpu_count;

TEST_CASE("max_workers == 0 throws std::invalid_argument naming the value", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  REQUIRE_THROWS_AS(tpx::ThreadPoolExecutor(std::size_t{0}), std::invalid_argument);
  auto options = set.options(1);
  options.max_workers = 0;
  REQUIRE_THROWS_WITH(tpx::ThreadPoolExecutor(options), Catch::Contains("got 0"));
}

// Configuration-specific: it tests the default Options' worker count.
TEST_CASE("the default worker count is the cores this process may run on", "[unit]") {
  const std::size_t n = tpx::default_max_workers();
  REQUIRE(n >= 1);
  REQUIRE(n <= affinity_cpu_count());
  tpx::ThreadPoolExecutor ex;
  REQUIRE(ex.max_workers() == n);
  tpx::ThreadPoolExecutor three(3);
  REQUIRE(three.max_workers() == 3);
}

TEST_CASE("set_error_reporter returns the previous reporter", "[unit]") {
  int first_calls = 0;
  auto original = tpx::set_error_reporter([&](std::exception_ptr, std::string_view) { ++first_calls; });
  auto mine = tpx::set_error_reporter([](std::exception_ptr, std::string_view) {});
  REQUIRE(mine);
  mine(nullptr, "test");  // the returned one is the first reporter we installed
  REQUIRE(first_calls == 1);
  tpx::set_error_reporter(original);
}
