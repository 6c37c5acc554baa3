// Bounded submission [unit]: bad bounds, try_submit on an unbounded pool (issue 14).
#include <catch2/catch.hpp>
#include <tpx/tpx.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/held_pool.hpp"
#include "support/option_sets.hpp"
#include "support/support.hpp"

using namespace std::chrono_literals;

// ---- bounded submission -----------------------------------------------------------

TEST_CASE("max_queued = 0 is rejected with a message", "[unit]") {
  tpx::Options o = tpx_test::unpinned(1);
  o.max_queued = 0;
  CHECK_THROWS_WITH(tpx::ThreadPoolExecutor(o), Catch::Contains("max_queued must be at least 1"));
}

TEST_CASE("try_submit on an unbounded pool always queues; after shutdown it throws", "[unit]") {
  tpx::ThreadPoolExecutor ex(tpx_test::unpinned(1));
  auto f = ex.try_submit([] { return 3; });
  REQUIRE(f.has_value());
  CHECK(f->result(tpx_test::kHang) == 3);
  ex.shutdown();
  CHECK_THROWS_AS(ex.try_submit([] { return 4; }), tpx::ShutdownError);
}
