// Allocations on the submitting thread [behaviour] (in tpx_reliability_tests:
// it counts operator new through the allocation hook).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <thread>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/alloc_hook.hpp"
#include "support/option_sets.hpp"
#include "support/support.hpp"

namespace {

// Rounds of `window` submits, each round waited for in full, then dropped.
// False when a result was wrong or the queue did not drain. Allocates nothing
// itself once `futures` has its capacity.
//
// Each round ends when the queue is empty: with caller_runs, result() runs a
// task on this thread and leaves its entry queued (a husk, holding the state)
// until a worker drops it, so the states alive at once are the window plus a
// backlog of husks that grows while the workers lag. Steady state means a
// bounded number of states alive; the drain bounds it.
bool submit_rounds(tpx::ThreadPoolExecutor& ex, std::vector<tpx::Future<int>>& futures, int rounds,
                   std::size_t window) {
  bool right = true;
  for (int r = 0; r < rounds; ++r) {
    futures.clear();
    for (std::size_t i = 0; i < window; ++i)
      futures.push_back(ex.submit([i] { return static_cast<int>(i); }));
    for (std::size_t i = 0; i < window; ++i) right = right && futures[i].result(tpx_test::kHang) == static_cast<int>(i);
    const auto give_up = std::chrono::steady_clock::now() + tpx_test::kHang;
    while (ex.stats().queued != 0) {
      if (std::chrono::steady_clock::now() > give_up) return false;
      std::this_thread::yield();
    }
  }
  futures.clear();
  return right;
}

}  // namespace

TEST_CASE("submit allocates nothing in steady state: a future's state block is recycled", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  constexpr std::size_t kWindow = 64;
  std::vector<tpx::Future<int>> futures;
  futures.reserve(1024);
  // Warm up: the blocks the flow needs come into being. The workers free
  // states too (a husk, or a future dropped before the worker let go) and
  // keep up to BlockBins::kMaxPerBin (256) each before they share, so one
  // round of 1,024 states makes enough that this thread never runs short.
  // Fails without recycling in every option set: 12,800 (one per submit).
  REQUIRE(submit_rounds(ex, futures, 1, 1024));
  REQUIRE(submit_rounds(ex, futures, 20, kWindow));
  const unsigned long before = tpx_test::alloc::news();
  const bool right = submit_rounds(ex, futures, 200, kWindow);
  const unsigned long allocated = tpx_test::alloc::news() - before;
  REQUIRE(right);
  REQUIRE(allocated == 0);
}

TEST_CASE("post of a small callable allocates nothing", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  std::atomic<int> ran{0};
  constexpr int kTasks = 2'000;
  for (int i = 0; i < kTasks; ++i) ex.post([&ran] { ran.fetch_add(1, std::memory_order_relaxed); });  // warm up
  const unsigned long before = tpx_test::alloc::news();
  for (int i = 0; i < kTasks; ++i) ex.post([&ran] { ran.fetch_add(1, std::memory_order_relaxed); });
  const unsigned long allocated = tpx_test::alloc::news() - before;
  ex.shutdown(true);
  REQUIRE(ran.load() == 2 * kTasks);
  REQUIRE(allocated == 0);
}
