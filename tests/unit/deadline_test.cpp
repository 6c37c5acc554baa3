// Deadline per task [unit]: already past at submit, the clock's minimum (issue 14).
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

TEST_CASE("a deadline already past fails the future at once, unqueued and unrun", "[unit]") {
  tpx_test::HeldPool held;
  std::atomic<bool> ran{false};
  auto f = held.ex.submit(tpx::TaskOptions{.deadline = std::chrono::steady_clock::now() - 1ms}, [&] {
    ran = true;
    return 1;
  });
  CHECK(f.done());  // while the only worker is held: it was never queued
  CHECK_THROWS_AS(f.result(), tpx::DeadlineExceeded);
  CHECK_THROWS_AS(f.result(), tpx::TimeoutError);  // DeadlineExceeded is a TimeoutError
  held.release();
  held.ex.shutdown(true);
  CHECK_FALSE(ran.load());
}

TEST_CASE("a deadline at the clock's minimum fails the task with DeadlineExceeded (no overflow)", "[unit]") {
  tpx::ThreadPoolExecutor ex(tpx_test::unpinned(1));
  auto f = ex.submit(tpx::TaskOptions{.deadline = std::chrono::steady_clock::time_point::min()}, [] { return 1; });
  CHECK_THROWS_AS(f.result(tpx_test::kHang), tpx::DeadlineExceeded);
}
