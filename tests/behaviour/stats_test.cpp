// ThreadPoolExecutor::stats() [behaviour]: exact once quiescent, sane while the pool
// runs, the schedule-latency summary (issue 15).
#include <catch2/catch.hpp>
#include <tpx/tpx.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "latency_histogram.hpp"  // internal (executor/src), through tpx::internals
#include "support/held_pool.hpp"
#include "support/option_sets.hpp"
#include "support/support.hpp"

using namespace std::chrono_literals;

namespace {

// Swallows what the error reporter receives while it lives (failing posts).
struct QuietReporter {
  tpx::ErrorReporter previous = tpx::set_error_reporter([](std::exception_ptr, std::string_view) {});
  ~QuietReporter() { tpx::set_error_reporter(previous); }
};

std::uint64_t ended(const tpx::ExecutorStats& s) { return s.completed + s.failed + s.cancelled + s.expired; }

}  // namespace

TEST_CASE("stats: once the pool is quiescent every accepted task is counted once, by outcome", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  QuietReporter quiet;
  tpx::ThreadPoolExecutor ex(set.options(2));
  constexpr int kOk = 300, kThrow = 40, kPostOk = 200, kPostThrow = 30;
  std::vector<tpx::Future<int>> fs;
  for (int i = 0; i < kOk; ++i) fs.push_back(ex.submit([i] { return i; }));
  for (int i = 0; i < kThrow; ++i) fs.push_back(ex.submit([]() -> int { throw std::runtime_error("no"); }));
  for (int i = 0; i < kPostOk; ++i) ex.post([] {});
  for (int i = 0; i < kPostThrow; ++i) ex.post([] { throw std::logic_error("no"); });
  // Nobody waits on a future before the workers ran everything: each task is
  // run by a worker (a waiting thread could claim one and race its count).
  ex.shutdown(/*wait=*/true);
  const tpx::ExecutorStats s = ex.stats();
  CHECK(s.submitted == kOk + kThrow + kPostOk + kPostThrow);
  CHECK(s.completed == kOk + kPostOk);
  CHECK(s.failed == kThrow + kPostThrow);
  CHECK(s.cancelled == 0);
  CHECK(s.expired == 0);
  CHECK(s.rejected == 0);
  CHECK(s.queued == 0);
  CHECK(s.running == 0);
  CHECK(s.submitted == ended(s));
  CHECK(s.schedule_latency.count == 0);  // record_latency is off
  for (auto& f : fs) CHECK(f.done());
}

TEST_CASE("stats: cancelled, expired and rejected tasks", "[behaviour]") {
  QuietReporter quiet;
  tpx::Options o = tpx_test::unpinned(1);
  o.max_queued = 3;
  o.when_full = tpx::WhenFull::reject;
  tpx_test::HeldPool held(o);
  auto a = held.ex.submit([] { return 1; });
  auto b = held.ex.submit([] { return 2; });
  auto c = held.ex.submit(tpx::TaskOptions{.deadline = std::chrono::steady_clock::now() + 5ms}, [] { return 3; });
  CHECK_THROWS_AS(held.ex.post([] {}), tpx::QueueFull);  // the bound is 3
  CHECK_FALSE(held.ex.try_submit([] { return 4; }).has_value());
  auto d = held.ex.submit(tpx::TaskOptions{.deadline = std::chrono::steady_clock::now() - 1ms}, [] { return 5; });
  REQUIRE(a.cancel());
  std::this_thread::sleep_for(20ms);  // c's deadline passes while it is queued
  held.release();
  held.ex.shutdown(true);
  const tpx::ExecutorStats s = held.ex.stats();
  CHECK(s.rejected == 2);
  CHECK(s.cancelled == 1);  // a
  CHECK(s.expired == 2);    // d at submit, c before it started
  CHECK(s.completed == 2);  // the blocker and b
  CHECK(s.submitted == 5);  // blocker, a, b, c, d
  CHECK(s.submitted == ended(s));
}

TEST_CASE("stats: shutdown(cancel_futures) counts what it drops as cancelled", "[behaviour]") {
  tpx_test::HeldPool held;
  std::vector<tpx::Future<int>> fs;
  for (int i = 0; i < 10; ++i) fs.push_back(held.ex.submit([i] { return i; }));
  for (int i = 0; i < 5; ++i) held.ex.post([] {});
  held.ex.shutdown(/*wait=*/false, /*cancel_futures=*/true);
  held.release();
  held.ex.shutdown(true);
  const tpx::ExecutorStats s = held.ex.stats();
  CHECK(s.cancelled == 15);
  CHECK(s.completed == 1);  // the blocker
  CHECK(s.submitted == 16);
}

TEST_CASE("stats: a worker waiting for its child runs it (helped); nested work is counted once", "[behaviour]") {
  tpx::ThreadPoolExecutor ex(tpx_test::unpinned(1));
  std::function<int(int)> fib = [&](int n) -> int {
    if (n < 2) return n;
    auto left = ex.submit(fib, n - 1);
    auto right = ex.submit(fib, n - 2);
    return left.result() + right.result();
  };
  CHECK(ex.submit(fib, 12).result(tpx_test::kHang) == 144);
  ex.shutdown(true);
  const tpx::ExecutorStats s = ex.stats();
  // fib(12) makes 465 calls, each one task.
  CHECK(s.submitted == 465);
  CHECK(s.completed == 465);
  CHECK(s.helped > 0);
  CHECK(s.helped < s.completed);
}

TEST_CASE("stats while the pool runs: counters never go backwards, gauges stay in range", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  std::atomic<bool> stop{false};
  std::atomic<bool> went_backwards{false};
  std::atomic<bool> out_of_range{false};
  std::thread reader([&] {
    tpx::ExecutorStats last;
    while (!stop.load()) {
      const tpx::ExecutorStats s = ex.stats();
      if (s.completed < last.completed || s.failed < last.failed || s.stolen < last.stolen ||
          s.helped < last.helped)
        went_backwards = true;
      if (s.running > ex.max_workers() || s.parked_workers > ex.max_workers() || s.submitted < ended(s))
        out_of_range = true;
      last = s;
    }
  });
  const std::size_t n = tpx_test::scaled(20000);
  for (std::size_t i = 0; i < n; ++i) ex.post([] {});
  ex.shutdown(true);
  stop = true;
  reader.join();
  CHECK_FALSE(went_backwards.load());
  CHECK_FALSE(out_of_range.load());
  const tpx::ExecutorStats s = ex.stats();
  CHECK(s.submitted == n);
  CHECK(s.completed == n);
}

TEST_CASE("stats: record_latency summarizes the submit -> start wait of queued tasks", "[behaviour]") {
  tpx::Options o = tpx_test::unpinned(1);
  o.record_latency = true;
  tpx_test::HeldPool held(o);  // the blocker's own wait counts too
  for (int i = 0; i < 50; ++i) held.ex.post([] {});
  std::this_thread::sleep_for(5ms);  // every post waits at least this long
  held.release();
  held.ex.shutdown(true);
  const tpx::LatencySummary l = held.ex.stats().schedule_latency;
  CHECK(l.count == 51);
  CHECK(l.p50 >= 5ms);
  CHECK(l.p50 <= l.p90);
  CHECK(l.p90 <= l.p99);
  CHECK(l.p99 <= l.p999);
  CHECK(l.p999 <= l.max);
  CHECK(l.max < tpx_test::kHang);
}
