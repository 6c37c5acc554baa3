// ThreadPoolExecutor::map: order, zipping, exceptions, timeout, chunksize,
// cancellation on destruction, shutdown, lifetime.
// Ported where meaningful from CPython's Lib/test/test_concurrent_futures/executor.py (map tests).
#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <latch>
#include <ranges>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <variant>
#include <vector>

#include <tpx/tpx.hpp>

#include "issue3_util.hpp"
#include "option_sets.hpp"

using issue3::kGuard;
using issue3::kShort;

namespace {

std::vector<int> iota_vector(int n) {
  std::vector<int> v;
  for (int i = 0; i < n; ++i) v.push_back(i);
  return v;
}

// Collects a map range; a std::exception ends the collection and its what() goes to `error`.
template <class Range>
std::vector<int> collect(Range& range, std::string* error = nullptr) {
  std::vector<int> out;
  try {
    for (auto&& v : range) out.push_back(static_cast<int>(v));
  } catch (const std::exception& e) {
    if (error == nullptr) throw;
    *error = e.what();
  }
  return out;
}

}  // namespace

TEST_CASE("map: results come in input order", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(4));
  auto v = iota_vector(100);
  auto results = ex.map([](int x) { return x * x; }, v);
  REQUIRE(results.size() == 100);
  std::vector<int> expected;
  for (int x : v) expected.push_back(x * x);
  REQUIRE(collect(results) == expected);
}

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
          first_waits.result(kGuard);  // item 0 finishes last
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

TEST_CASE("map: several ranges are zipped and the shortest wins", "[unit]") {
  // CPython: test_map (pow over two ranges), with ranges of different lengths and kinds.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  std::vector<int> bases{1, 2, 3, 4, 5, 6, 7};
  std::list<int> exps{3, 2, 1, 0};
  auto power = [](int b, int e) {
    int r = 1;
    while (e-- > 0) r *= b;
    return r;
  };
  auto r2 = ex.map(power, bases, exps);
  REQUIRE(r2.size() == 4);
  REQUIRE(collect(r2) == std::vector<int>{1, 4, 3, 1});

  const std::vector<std::string> words{"a", "bb", "ccc", "dddd", "eeeee"};
  auto r3 = ex.map([](int a, const std::string& w, long c) { return a + static_cast<int>(w.size()) + int(c); },
                   std::views::iota(0, 100), words, std::vector<long>{100, 200, 300});
  REQUIRE(r3.size() == 3);
  REQUIRE(collect(r3) == std::vector<int>{101, 203, 305});

  // A range that is not sized (a filter view) works too.
  auto v = iota_vector(10);
  auto evens = v | std::views::filter([](int x) { return x % 2 == 0; });
  auto r4 = ex.map([](int x, int y) { return x * y; }, evens, std::views::iota(1));
  REQUIRE(collect(r4) == std::vector<int>{0, 4, 12, 24, 40});
}

TEST_CASE("map: an empty range makes no call and yields nothing", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(1));
  std::atomic<int> calls{0};
  std::vector<int> none;
  auto results = ex.map([&](int x, int y) { return calls.fetch_add(1) + x + y; }, none, iota_vector(5));
  REQUIRE(results.size() == 0);
  REQUIRE(results.begin() == results.end());
  ex.shutdown(true);
  REQUIRE(calls.load() == 0);
}

TEST_CASE("map: a call's exception is thrown when iteration reaches it, after the earlier results", "[unit]") {
  // CPython: test_map_exception.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  const std::size_t chunksize = GENERATE(std::size_t{1}, std::size_t{2}, std::size_t{4}, std::size_t{16});
  CAPTURE(chunksize);
  tpx::ThreadPoolExecutor ex(set.options(2));
  auto results = ex.map(tpx::MapOptions{.chunksize = chunksize},
                        [](int x) {
                          if (x == 5) throw std::domain_error("item 5 failed");
                          return x * 10;
                        },
                        iota_vector(10));
  std::vector<int> got;
  auto it = results.begin();
  try {
    for (; it != results.end(); ++it) got.push_back(*it);
    FAIL("iteration did not throw");
  } catch (const std::domain_error& e) {
    REQUIRE(std::string(e.what()) == "item 5 failed");
  }
  REQUIRE(got == std::vector<int>{0, 10, 20, 30, 40});
  // The iteration ends at the exception.
  REQUIRE(it == results.end());
  REQUIRE(results.begin() == results.end());
}

TEST_CASE("map: with chunksize > 1 a failing call still delivers the earlier results of its chunk", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(1));
  std::array<std::atomic<bool>, 8> called{};
  // One chunk of 8: items 0..2 succeed, item 3 throws, items 4..7 are never called.
  auto results = ex.map(tpx::MapOptions{.chunksize = 8},
                        [&](int x) {
                          called[static_cast<std::size_t>(x)].store(true);
                          if (x == 3) throw std::runtime_error("three");
                          return x + 1;
                        },
                        iota_vector(8));
  std::string error;
  REQUIRE(collect(results, &error) == std::vector<int>{1, 2, 3});
  REQUIRE(error == "three");
  ex.shutdown(true);
  for (std::size_t i = 0; i < 8; ++i) {
    CAPTURE(i);
    REQUIRE(called[i].load() == (i <= 3));
  }
}

TEST_CASE("map: timeout while iterating throws TimeoutError", "[behaviour]") {
  // CPython: test_map_timeout. One worker runs items in submission order: when
  // item 2 has started, items 0 and 1 are done; item 2 never finishes in time.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  std::latch item2_started(1);
  issue3::Gate gate;  // not a tpx future: the worker must not help while it waits
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
  issue3::HeldPool held(set.options(1));
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

TEST_CASE("map: chunksize > 1 gives the same results in the same order", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  const std::size_t chunksize =
      GENERATE(std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, std::size_t{50}, std::size_t{1000});
  CAPTURE(chunksize);
  tpx::ThreadPoolExecutor ex(set.options(3));
  auto v = iota_vector(50);
  auto results = ex.map(tpx::MapOptions{.chunksize = chunksize}, [](int a, int b) { return a * 3 + b; }, v,
                        std::vector<int>(60, 1));
  REQUIRE(results.size() == 50);
  std::vector<int> expected;
  for (int x : v) expected.push_back(x * 3 + 1);
  REQUIRE(collect(results) == expected);
}

TEST_CASE("map: chunksize 0 throws std::invalid_argument and calls nothing", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(1));
  std::atomic<int> calls{0};
  REQUIRE_THROWS_AS(ex.map(tpx::MapOptions{.chunksize = 0}, [&](int) { return ++calls; }, iota_vector(5)),
                    std::invalid_argument);
  ex.shutdown(true);
  REQUIRE(calls.load() == 0);
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

TEST_CASE("map: arguments are copied at the call", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  issue3::HeldPool held(set.options(1));
  std::vector<std::string> words{"x", "yy"};
  auto results = held.ex.map([](const std::string& w) { return static_cast<int>(w.size()); }, words);
  words[0] = "changed";  // no call has run yet: the only worker is held
  words[1].clear();
  held.release();
  REQUIRE(collect(results) == std::vector<int>{1, 2});
}

TEST_CASE("map: destroying the result range cancels every call not started", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  std::atomic<int> ran{0};
  issue3::HeldPool held(set.options(1));
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
  issue3::Gate gate;  // not a tpx future: the worker must not help while it waits
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
  issue3::HeldPool held(set.options(1));
  auto results = held.ex.map([&](int x) { return first_ran.fetch_add(1) + x * 0; }, iota_vector(20));
  results = held.ex.map([&](int x) { return second_ran.fetch_add(1) * 0 + x; }, iota_vector(5));
  held.release();
  REQUIRE(collect(results) == std::vector<int>{0, 1, 2, 3, 4});
  held.ex.shutdown(true);
  REQUIRE(first_ran.load() == 0);
  REQUIRE(second_ran.load() == 5);
}

TEST_CASE("map: after shutdown() map throws ShutdownError", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(1));
  std::atomic<int> calls{0};
  ex.shutdown(GENERATE(true, false));
  REQUIRE_THROWS_AS(ex.map([&](int) { return ++calls; }, iota_vector(3)), tpx::ShutdownError);
  REQUIRE_THROWS_AS(ex.map(tpx::MapOptions{.chunksize = 2}, [&](int) { return ++calls; }, iota_vector(3)),
                    tpx::ShutdownError);
  ex.shutdown(true);
  REQUIRE(calls.load() == 0);
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

TEST_CASE("map: a void function yields std::monostate per call", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  std::atomic<int> sum{0};
  auto results = ex.map([&](int x) { sum.fetch_add(x); }, iota_vector(10));
  STATIC_REQUIRE(std::is_same_v<std::remove_cvref_t<decltype(*results.begin())>, std::monostate>);
  std::size_t count = 0;
  for (auto&& v : results) {
    (void)v;
    ++count;
  }
  REQUIRE(count == 10);
  REQUIRE(sum.load() == 45);
}

TEST_CASE("map: move-only results can be moved out of the range", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  auto results = ex.map([](int x) { return std::make_unique<int>(x * 2); }, iota_vector(5));
  std::vector<int> got;
  for (auto& p : results) {
    std::unique_ptr<int> mine = std::move(p);
    REQUIRE(mine != nullptr);
    got.push_back(*mine);
  }
  REQUIRE(got == std::vector<int>{0, 2, 4, 6, 8});
}

TEST_CASE("map: large maps, and ranges destroyed while workers run them", "[stress]") {
  const int n = static_cast<int>(issue3::scaled(200'000));
  tpx::ThreadPoolExecutor ex(issue3::unpinned(4));
  for (std::size_t chunksize : {std::size_t{1}, std::size_t{64}}) {
    CAPTURE(chunksize);
    auto results = ex.map(tpx::MapOptions{.chunksize = chunksize}, [](int x) { return std::int64_t{x} * 2; },
                          std::views::iota(0, n));
    std::int64_t sum = 0, index = 0;
    bool in_order = true;
    for (auto v : results) {
      in_order = in_order && v == index * 2;
      sum += v;
      ++index;
    }
    REQUIRE(in_order);
    REQUIRE(index == n);
    REQUIRE(sum == std::int64_t{n} * (n - 1));
  }
  // Destroy ranges at varying points of their consumption while 4 workers run them.
  const int rounds = static_cast<int>(issue3::scaled(200));
  for (int round = 0; round < rounds; ++round) {
    auto results = ex.map(tpx::MapOptions{.chunksize = std::size_t(1 + round % 4)}, [](int x) { return x; },
                          iota_vector(500));
    int consumed = 0;
    for (auto v : results) {
      REQUIRE(v == consumed);
      if (++consumed == round % 50) break;
    }
    REQUIRE(consumed == (round % 50 == 0 ? 500 : round % 50));
  }
}
