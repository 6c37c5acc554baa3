// shutdown [unit]: what is refused after it.
#include <catch2/catch.hpp>

#include <vector>

#include <tpx/tpx.hpp>

#include "support/option_sets.hpp"
#include "support/support.hpp"

TEST_CASE("submit, post and map after shutdown throw ShutdownError", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  ex.shutdown();
  REQUIRE_THROWS_AS(ex.submit([] { return 1; }), tpx::ShutdownError);
  REQUIRE_THROWS_WITH(ex.post([] {}), Catch::Contains("after shutdown"));
  REQUIRE_THROWS_AS(ex.map([](int x) { return x; }, std::vector<int>{1}), tpx::ShutdownError);
}
