// bulk and bulk_async [behaviour]: every index once, the caller takes part, helping
// instead of deadlocking, the first exception, dropped runners (issue 14).
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

namespace {

// Counts per index: every index must end at exactly 1.
struct Hits {
  explicit Hits(std::size_t n) : counts(n) {}
  std::vector<std::atomic<int>> counts;
  bool each_once() const {
    for (const auto& c : counts)
      if (c.load() != 1) return false;
    return true;
  }
};

}  // namespace

TEST_CASE("bulk runs f(i) exactly once for every i, whatever the grain", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  for (std::size_t n : {std::size_t{1}, std::size_t{7}, std::size_t{1000}, std::size_t{100003}}) {
    for (std::size_t grain : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{1} << 30}) {
      INFO("n = " << n << ", grain = " << grain);
      Hits hits(n);
      ex.bulk(n, [&](std::size_t i) { hits.counts[i].fetch_add(1, std::memory_order_relaxed); },
              tpx::BulkOptions{.grain = grain});
      REQUIRE(hits.each_once());
    }
  }
}

TEST_CASE("bulk with a (begin, end) body gets disjoint sub-ranges that cover [0, n)", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  const std::size_t n = 50000;
  Hits hits(n);
  std::atomic<std::size_t> calls{0};
  std::atomic<bool> bad_range{false};  // Catch2 assertions are not for other threads
  ex.bulk(n, [&](std::size_t begin, std::size_t end) {
    if (!(begin < end && end <= n)) {
      bad_range = true;
      return;
    }
    calls.fetch_add(1, std::memory_order_relaxed);
    for (std::size_t i = begin; i < end; ++i) hits.counts[i].fetch_add(1, std::memory_order_relaxed);
  });
  CHECK_FALSE(bad_range.load());
  CHECK(hits.each_once());
  // Automatic grain: a few chunks per participant, not one call per item.
  CHECK(calls.load() > 1);
  CHECK(calls.load() < 1000);
}

TEST_CASE("bulk: what the body wrote is visible when bulk returns", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  std::vector<std::size_t> out(20000, 0);  // plain writes: TSAN checks the ordering
  ex.bulk(out.size(), [&](std::size_t i) { out[i] = i * 3; }, tpx::BulkOptions{.grain = 64});
  for (std::size_t i = 0; i < out.size(); ++i) REQUIRE(out[i] == i * 3);
}

TEST_CASE("bulk: the calling thread takes part, so it completes with every worker busy", "[behaviour]") {
  tpx_test::HeldPool held;  // the only worker is held: only the caller can run chunks
  const auto caller = std::this_thread::get_id();
  std::atomic<int> on_caller{0};
  std::atomic<int> elsewhere{0};
  held.ex.bulk(100, [&](std::size_t) {
    (std::this_thread::get_id() == caller ? on_caller : elsewhere).fetch_add(1, std::memory_order_relaxed);
  });
  CHECK(on_caller.load() == 100);
  CHECK(elsewhere.load() == 0);
  held.release();
}

TEST_CASE("bulk from a worker of the same pool does not deadlock", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  // Every worker runs an outer task that runs a bulk on the same pool.
  std::vector<tpx::Future<std::size_t>> outer;
  for (int t = 0; t < 4; ++t) {
    outer.push_back(ex.submit([&ex] {
      std::atomic<std::size_t> sum{0};
      ex.bulk(1000, [&](std::size_t i) { sum.fetch_add(i, std::memory_order_relaxed); }, tpx::BulkOptions{.grain = 10});
      return sum.load();
    }));
  }
  for (auto& f : outer) REQUIRE(f.result(tpx_test::kHang) == 999 * 1000 / 2);
}

TEST_CASE("bulk rethrows the first exception after the started chunks; later chunks are skipped", "[behaviour]") {
  // Deterministic: the only worker is held, so the caller is the only
  // participant and runs the chunks in order, one item each.
  tpx_test::HeldPool held;
  std::atomic<int> ran{0};
  REQUIRE_THROWS_WITH(held.ex.bulk(100,
                                   [&](std::size_t i) {
                                     ran.fetch_add(1, std::memory_order_relaxed);
                                     if (i == 10) throw std::runtime_error("item 10 failed");
                                   },
                                   tpx::BulkOptions{.grain = 1}),
                      "item 10 failed");
  CHECK(ran.load() == 11);  // items 0..10; 11..99 were not started and are skipped
  held.release();
  // The runner queued behind the held task finds nothing left to run.
  held.ex.shutdown(true);
  CHECK(ran.load() == 11);
}

TEST_CASE("bulk: an exception in one chunk fails the whole loop, with every thread's chunks accounted for", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  std::atomic<int> running{0};
  std::atomic<bool> overlap_after_return{false};
  try {
    ex.bulk(10000, [&](std::size_t i) {
      running.fetch_add(1);
      if (i % 997 == 500) {
        running.fetch_sub(1);
        throw std::logic_error("boom");
      }
      running.fetch_sub(1);
    }, tpx::BulkOptions{.grain = 16});
    FAIL("bulk did not throw");
  } catch (const std::logic_error& e) {
    CHECK(std::string(e.what()) == "boom");
    // Rethrown only after every started chunk finished.
    overlap_after_return = running.load() != 0;
  }
  CHECK_FALSE(overlap_after_return.load());
}

TEST_CASE("bulk_async runs on the workers and completes its future", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  auto hits = std::make_shared<Hits>(30000);
  tpx::Future<void> f = ex.bulk_async(30000, [hits](std::size_t i) { hits->counts[i].fetch_add(1); });
  REQUIRE_NOTHROW(f.result(tpx_test::kHang));
  CHECK(hits->each_once());
  CHECK_FALSE(f.cancel());  // done: nothing to cancel
}

TEST_CASE("bulk_async: the first exception fails the future", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  auto f = ex.bulk_async(1000, [](std::size_t i) {
    if (i == 123) throw std::invalid_argument("bad item");
  }, tpx::BulkOptions{.grain = 1});
  REQUIRE(f.exception(tpx_test::kHang) != nullptr);
  CHECK_THROWS_AS(f.result(), std::invalid_argument);
}

TEST_CASE("bulk_async dropped by shutdown(cancel_futures) before it ran fails with CancelledError", "[behaviour]") {
  tpx_test::HeldPool held;  // its runners stay queued behind the held task
  std::atomic<int> ran{0};
  auto f = held.ex.bulk_async(50, [&](std::size_t) { ran.fetch_add(1); });
  held.ex.shutdown(/*wait=*/false, /*cancel_futures=*/true);
  held.release();
  REQUIRE(f.exception(tpx_test::kHang) != nullptr);
  CHECK_THROWS_AS(f.result(), tpx::CancelledError);
  CHECK(ran.load() == 0);
}
