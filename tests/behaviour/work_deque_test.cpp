// Worker deques [behaviour]: nested submissions stay on the submitting worker
// and are stolen by idle ones.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <latch>
#include <thread>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/support.hpp"

using tpx_test::kHang;

TEST_CASE("a task submitted from a worker is stolen by an idle worker", "[behaviour]") {
  // The outer task blocks (without helping) until the inner one has run: only
  // another worker stealing from the outer worker's deque can run it.
  tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 2, .pinning = tpx::Pinning::none});
  std::latch inner_ran(1);
  std::thread::id outer_id, inner_id;
  auto outer = ex.submit([&] {
    outer_id = std::this_thread::get_id();
    auto inner = ex.submit([&] {
      inner_id = std::this_thread::get_id();
      inner_ran.count_down();
    });
    inner_ran.wait();
    return inner;
  });
  auto inner = outer.result(kHang);
  inner.result(kHang);
  REQUIRE(inner_id != outer_id);
}

TEST_CASE("a worker waiting on its own nested submissions runs them itself, deep recursion included",
          "[behaviour]") {
  tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 2, .pinning = tpx::Pinning::none});
  // Deeper than the deque (256): the overflow goes to the shared queue.
  struct Fib {
    tpx::ThreadPoolExecutor& ex;
    std::int64_t operator()(int n) const {
      if (n < 2) return n;
      auto left = ex.submit(*this, n - 1);
      const std::int64_t right = (*this)(n - 2);
      return left.result(kHang) + right;
    }
  };
  REQUIRE(ex.submit(Fib{ex}, 20).result(kHang) == 6765);
  struct Chain {
    tpx::ThreadPoolExecutor& ex;
    int operator()(int n) const { return n == 0 ? 0 : 1 + ex.submit(*this, n - 1).result(kHang); }
  };
  REQUIRE(ex.submit(Chain{ex}, 400).result(kHang) == 400);
}

TEST_CASE("shutdown(cancel_futures) cancels tasks waiting in a worker's deque", "[behaviour]") {
  tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 1, .pinning = tpx::Pinning::none});
  std::latch submitted(1), release(1);
  std::vector<tpx::Future<int>> inner;
  auto outer = ex.submit([&] {
    for (int i = 0; i < 10; ++i) inner.push_back(ex.submit([i] { return i; }));
    submitted.count_down();
    release.wait();  // the only worker is busy: the inner tasks stay queued
  });
  submitted.wait();
  std::thread stopper([&] { ex.shutdown(true, true); });
  // shutdown() cancels the queued tasks before it joins; give it until every
  // inner future is cancelled, then let the outer task end. (Releasing it
  // after the first only would race the drain: the worker, back from the
  // outer task, may pop and run the newest ones before the drain reaches them,
  // which is allowed: they started before they were cancelled.)
  const auto all_cancelled = [&] {
    for (auto& f : inner)
      if (!f.cancelled()) return false;
    return true;
  };
  for (auto start = std::chrono::steady_clock::now(); !all_cancelled();) {
    REQUIRE(std::chrono::steady_clock::now() - start < kHang);
    std::this_thread::yield();
  }
  release.count_down();
  stopper.join();
  outer.result(kHang);
  for (auto& f : inner) REQUIRE(f.cancelled());
}
