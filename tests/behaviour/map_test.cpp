// ThreadPoolExecutor::map [behaviour]: timeouts, cancellation on destruction, lifetime.
// Ported where meaningful from CPython's Lib/test/test_concurrent_futures/executor.py (map tests).
#include <catch2/catch.hpp>

#include <atomic>
#include <cstddef>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/held_pool.hpp"
#include "support/option_sets.hpp"
#include "support/ranges.hpp"
#include "support/support.hpp"

using tpx_test::collect;
using tpx_test::iota_vector;
using tpx_test::kHang;
using tpx_test::kShort;

TEST_CASE("map: input order holds even when later calls finish first", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  tpx::Promise<void> others_done;
  std::atomic<int> remaining{9};
  auto first_waits = others_done.get_future();
  auto results = ex.map(
      [&](int x) {
        if (x == 0) {
          first_waits.result(kHang);  // item 0 finishes last
        } else if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) {
          others_done.set_value();
        }
        return x + 100;
      },
      iota_vector(10));
  std::vector<int> expected;
  for (int x = 0; x < 10; ++x) expected.push_back(x + 100);
  REQUIRE(collect(results) == expected);
}

TEST_CASE("map: timeout while iterating throws TimeoutError", "[behaviour]") {
  // CPython: test_map_timeout. One worker runs items in submission order: when
  // item 2 has started, items 0 and 1 are done; item 2 never finishes in time.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  std::latch item2_started(1);
  tpx_test::Gate gate;  // not a tpx future: the worker must not help while it waits
  tpx::ThreadPoolExecutor ex(set.options(1));
  auto results = ex.map(tpx::MapOptions{.timeout = kShort},
                        [&](int x) {
                          if (x == 2) {
                            item2_started.count_down();
                            gate.wait();
                          }
                          return x;
                        },
                        std::vector<int>{0, 1, 2, 3});
  item2_started.wait();
  std::string error;
  auto got = collect(results, &error);
  gate.open();
  REQUIRE(got == std::vector<int>{0, 1});
  REQUIRE_THAT(error, Catch::Matchers::Contains("result 2 (of 4)"));
  REQUIRE(results.begin() == results.end());
}

TEST_CASE("map: the timeout throws TimeoutError, not a result, when nothing is done", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx_test::HeldPool held(set.options(1));
  auto results =
      held.ex.map(tpx::MapOptions{.timeout = kShort, .chunksize = 3}, [](int x) { return x; }, iota_vector(9));
  auto it = results.begin();
  // With caller_runs, iterating before the deadline runs chunk 0 here (nobody
  // started it); after the deadline it starts nothing: let the deadline pass.
  if (set.caller_runs) std::this_thread::sleep_for(kShort * 3);
  REQUIRE_THROWS_AS(*it, tpx::TimeoutError);
  held.release();
  REQUIRE(it == results.end());
}

TEST_CASE("map: results that are done yield even after the timeout has passed", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  auto results = ex.map(tpx::MapOptions{.timeout = kShort}, [](int x) { return -x; }, iota_vector(6));
  ex.shutdown(true);                        // every call has run
  std::this_thread::sleep_for(kShort * 3);  // the deadline has surely passed
  REQUIRE(collect(results) == std::vector<int>{0, -1, -2, -3, -4, -5});
}

TEST_CASE("map: every call is submitted at the call, even if the range is never iterated", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  std::atomic<int> calls{0};
  auto results = ex.map([&](int) { calls.fetch_add(1); }, iota_vector(40));
  ex.shutdown(true);  // runs what is queued; the range is still alive, never iterated
  REQUIRE(calls.load() == 40);
}

TEST_CASE("map: destroying the result range cancels every call not started", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  std::atomic<int> ran{0};
  tpx_test::HeldPool held(set.options(1));
  auto& ex = held.ex;
  const std::size_t chunksize = GENERATE(std::size_t{1}, std::size_t{10});
  CAPTURE(chunksize);
  {
    auto results = ex.map(tpx::MapOptions{.chunksize = chunksize}, [&](int) { ran.fetch_add(1); }, iota_vector(100));
    REQUIRE(results.size() == 100);
  }  // destroyed unconsumed while the only worker is held: no call has started
  held.release();
  ex.shutdown(true);
  REQUIRE(ran.load() == 0);
  REQUIRE(held.blocker.done());
}

TEST_CASE("map: destroying a partly consumed range runs exactly the calls already started", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  std::latch item3_started(1);
  tpx_test::Gate gate;  // not a tpx future: the worker must not help while it waits
  std::atomic<int> ran{0};
  tpx::ThreadPoolExecutor ex(set.options(1));
  {
    auto results = ex.map(
        [&](int x) {
          ran.fetch_add(1);
          if (x == 3) {
            item3_started.count_down();
            gate.wait();
          }
          return x;
        },
        iota_vector(100));
    auto it = results.begin();
    for (int expected = 0; expected < 3; ++expected, ++it) REQUIRE(*it == expected);
    item3_started.wait();  // the only worker is inside item 3
  }                        // destroyed: items 4..99 have not started
  gate.open();
  ex.shutdown(true);
  REQUIRE(ran.load() == 4);
}

TEST_CASE("map: assigning over an unconsumed range cancels the calls it had not started", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  std::atomic<int> first_ran{0}, second_ran{0};
  tpx_test::HeldPool held(set.options(1));
  auto results = held.ex.map([&](int x) { return first_ran.fetch_add(1) + x * 0; }, iota_vector(20));
  results = held.ex.map([&](int x) { return second_ran.fetch_add(1) * 0 + x; }, iota_vector(5));
  held.release();
  REQUIRE(collect(results) == std::vector<int>{0, 1, 2, 3, 4});
  held.ex.shutdown(true);
  REQUIRE(first_ran.load() == 0);
  REQUIRE(second_ran.load() == 5);
}

TEST_CASE("map: the range stays valid after its executor is destroyed", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  auto results = [&set] {
    tpx::ThreadPoolExecutor ex(set.options(2));
    return ex.map(tpx::MapOptions{.chunksize = 3}, [](int x) { return std::to_string(x); }, iota_vector(10));
  }();  // the executor is gone here (its destructor ran the queued calls)
  std::vector<std::string> got;
  for (auto& s : results) got.push_back(s);
  REQUIRE(got == std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
}
