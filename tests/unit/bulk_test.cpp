// bulk and bulk_async [unit]: empty loops, no cancel, after shutdown (issue 14).
#include <catch2/catch.hpp>
#include <tpx/tpx.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/held_pool.hpp"
#include "support/option_sets.hpp"
#include "support/support.hpp"

TEST_CASE("bulk of nothing calls nothing; bulk_async of nothing is done at once", "[unit]") {
  tpx::ThreadPoolExecutor ex(tpx_test::unpinned(2));
  bool called = false;
  ex.bulk(0, [&](std::size_t) { called = true; });
  auto f = ex.bulk_async(0, [&](std::size_t) { called = true; });
  CHECK(f.done());
  CHECK_NOTHROW(f.result());
  CHECK_FALSE(called);
}

TEST_CASE("bulk_async cannot be cancelled: it is running from the call", "[unit]") {
  tpx_test::HeldPool held;
  auto f = held.ex.bulk_async(10, [](std::size_t) {});
  CHECK(f.running());
  CHECK_FALSE(f.cancel());
  held.release();
  CHECK_NOTHROW(f.result(tpx_test::kHang));
}

TEST_CASE("bulk and bulk_async after shutdown throw ShutdownError and run nothing", "[unit]") {
  tpx::ThreadPoolExecutor ex(tpx_test::unpinned(2));
  ex.shutdown();
  std::atomic<int> ran{0};
  CHECK_THROWS_AS(ex.bulk(100, [&](std::size_t) { ran.fetch_add(1); }), tpx::ShutdownError);
  CHECK_THROWS_AS(ex.bulk_async(100, [&](std::size_t) { ran.fetch_add(1); }), tpx::ShutdownError);
  CHECK(ran.load() == 0);
}
