// tpx::as_completed [behaviour]: completion order, timeouts, cancellation, lifetime, mixed sources.
// Ported where meaningful from CPython's Lib/test/test_concurrent_futures/test_as_completed.py.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <exception>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/held_pool.hpp"
#include "support/option_sets.hpp"
#include "support/ranges.hpp"
#include "support/support.hpp"

using tpx_test::drain;
using tpx_test::futures_of;
using tpx_test::kHang;
using tpx_test::kShort;

TEST_CASE("as_completed: pending futures are yielded in the order they complete", "[behaviour]") {
  constexpr std::size_t n = 64;
  std::vector<tpx::Promise<int>> ps(n);
  auto fs = futures_of(ps);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::shuffle(order.begin(), order.end(), std::mt19937(12345));

  auto ac = tpx::as_completed(fs, kHang);
  // One thread completes them all in a known order, possibly while this thread
  // is parked, possibly before it looks: either way the order must hold.
  std::thread completer([&] {
    for (std::size_t i : order) ps[i].set_value(static_cast<int>(i));
  });
  std::vector<std::size_t> seen;
  try {
    for (const auto& f : ac) seen.push_back(static_cast<std::size_t>(f.result()));
  } catch (...) {
    completer.join();
    throw;
  }
  completer.join();
  REQUIRE(seen == order);
}

TEST_CASE("as_completed: timeout with partial completion throws after the finished ones", "[behaviour]") {
  // CPython: test_future_times_out. One future finished with a value, one with an
  // exception, one cancelled, two never finish.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx_test::HeldPool held(set.options(1));  // its only worker is busy (not helping) until released
  auto& ex = held.ex;
  auto blocker = held.blocker;
  auto queued = ex.submit([] {});
  REQUIRE(queued.cancel());

  tpx::Promise<void> ok, failed, never;
  ok.set_value();
  failed.set_exception(std::make_exception_ptr(std::runtime_error("x")));
  std::vector<tpx::Future<void>> fs{blocker, ok.get_future(), never.get_future(), failed.get_future(), queued};

  std::string message;
  auto yielded = drain(tpx::as_completed(fs, kShort), &message);
  held.release();
  REQUIRE(yielded == std::vector<tpx::Future<void>>{fs[1], fs[3], fs[4]});
  REQUIRE_THAT(message, Catch::Matchers::Contains("2 (of 5) futures unfinished"));
  REQUIRE_FALSE(never.get_future().done());
}

TEST_CASE("as_completed: the timeout is measured from the call, and completed futures still yield after it",
          "[behaviour]") {
  tpx::Promise<int> late, never;
  std::vector<tpx::Future<int>> fs{late.get_future(), never.get_future()};
  auto ac = tpx::as_completed(fs, kShort);
  late.set_value(7);                      // completes before the deadline is checked...
  std::this_thread::sleep_for(kShort * 3);  // ...which has surely passed by now
  auto it = ac.begin();
  REQUIRE(*it == fs[0]);  // done: yielded although the deadline passed
  REQUIRE(it->result() == 7);
  ++it;
  REQUIRE_THROWS_AS(*it, tpx::TimeoutError);  // still pending: the deadline (from the call) has passed
}

TEST_CASE("as_completed: cancelled futures count as completed", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx_test::HeldPool held(set.options(1));  // its only worker is busy (not helping) until released
  auto& ex = held.ex;
  auto blocker = held.blocker;
  auto cancelled_before = ex.submit([] { return 1; });
  auto cancelled_during = ex.submit([] { return 2; });
  auto runs = ex.submit([] { return 3; });
  REQUIRE(cancelled_before.cancel());

  std::vector<tpx::Future<int>> fs{runs, cancelled_during, cancelled_before};
  auto ac = tpx::as_completed(fs, kHang);
  auto it = ac.begin();
  REQUIRE(*it == cancelled_before);  // done (cancelled) at the call
  REQUIRE(it->cancelled());
  ++it;
  REQUIRE(cancelled_during.cancel());  // cancelled while as_completed watches it
  REQUIRE(*it == cancelled_during);
  REQUIRE(it->cancelled());
  ++it;
  held.release();
  REQUIRE(*it == runs);
  REQUIRE(it->result() == 3);
  ++it;
  REQUIRE(it == ac.end());
  blocker.result(kHang);
}

TEST_CASE("as_completed: futures cancelled by shutdown(cancel_futures) are yielded as cancelled", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx_test::HeldPool held(set.options(1));
  std::vector<tpx::Future<int>> fs;
  for (int i = 0; i < 5; ++i) fs.push_back(held.ex.submit([i] { return i; }));
  auto ac = tpx::as_completed(fs, kHang);  // all pending at the call
  held.ex.shutdown(/*wait=*/false, /*cancel_futures=*/true);
  held.release();
  std::size_t count = 0;
  for (const auto& f : ac) {
    REQUIRE(f.cancelled());
    ++count;
  }
  REQUIRE(count == fs.size());
}

TEST_CASE("as_completed: a pending rvalue range is kept alive until its futures complete", "[behaviour]") {
  tpx::Promise<int> p1, p2;
  auto ac = tpx::as_completed(std::vector<tpx::Future<int>>{p1.get_future(), p2.get_future()}, kHang);
  std::thread completer([&] {
    p2.set_value(2);
    p1.set_value(1);
  });
  std::vector<int> values;
  try {
    for (const auto& f : ac) values.push_back(f.result());
  } catch (...) {
    completer.join();
    throw;
  }
  completer.join();
  REQUIRE(values == std::vector<int>{2, 1});
}

TEST_CASE("as_completed: futures from two executors and from Promises", "[behaviour]") {
  // CPython: test_future_from_different_executors (and Promise-made futures).
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex1(set.options(1));
  tpx::ThreadPoolExecutor ex2(set.options(2));
  tpx::Promise<int> gate1, gate2;
  tpx::Promise<int> external;

  std::vector<tpx::Future<int>> fs;
  fs.push_back(ex1.submit([g = gate1.get_future()] { return g.result(kHang) + 10; }));
  fs.push_back(ex2.submit([g = gate2.get_future()] { return g.result(kHang) + 20; }));
  fs.push_back(external.get_future());
  fs.push_back(ex1.submit([] { return 40; }));
  fs.push_back(ex2.submit([] { return 50; }));

  std::thread opener([&] {
    gate2.set_value(0);
    external.set_value(30);
    gate1.set_value(0);
  });
  std::vector<int> values;
  try {
    for (const auto& f : tpx::as_completed(fs, kHang)) {
      REQUIRE(f.done());
      values.push_back(f.result());
    }
  } catch (...) {
    opener.join();
    throw;
  }
  opener.join();
  std::sort(values.begin(), values.end());
  REQUIRE(values == std::vector<int>{10, 20, 30, 40, 50});
}
