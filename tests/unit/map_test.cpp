// ThreadPoolExecutor::map [unit]: order, zipping, exceptions, chunksize, arguments, results.
// Ported where meaningful from CPython's Lib/test/test_concurrent_futures/executor.py (map tests).
#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <list>
#include <memory>
#include <ranges>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/held_pool.hpp"
#include "support/option_sets.hpp"
#include "support/ranges.hpp"
#include "support/support.hpp"

using tpx_test::collect;
using tpx_test::iota_vector;

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

TEST_CASE("map: arguments are copied at the call", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx_test::HeldPool held(set.options(1));
  std::vector<std::string> words{"x", "yy"};
  auto results = held.ex.map([](const std::string& w) { return static_cast<int>(w.size()); }, words);
  words[0] = "changed";  // no call has run yet: the only worker is held
  words[1].clear();
  held.release();
  REQUIRE(collect(results) == std::vector<int>{1, 2});
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

TEST_CASE("map: a range moved mid-iteration continues where it stopped; the moved-from range is empty", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  const std::size_t chunksize = GENERATE(std::size_t{1}, std::size_t{3});
  CAPTURE(chunksize);
  const auto check = [](auto results, const auto& expected) {
    auto it = results.begin();
    REQUIRE(*it == expected[0]);
    ++it;
    auto moved = std::move(results);  // constructed from a range part way through
    REQUIRE(results.size() == 0);
    REQUIRE(results.begin() == results.end());
    std::vector<std::remove_cvref_t<decltype(expected[0])>> rest;
    for (auto&& v : moved) rest.push_back(v);
    REQUIRE(rest == std::vector(expected.begin() + 1, expected.end()));

    decltype(moved) assigned = std::move(moved);  // a finished range moves as finished
    REQUIRE(assigned.begin() == assigned.end());
    REQUIRE(moved.begin() == moved.end());
  };
  // Results read in place (int) and moved out (std::string).
  check(ex.map(tpx::MapOptions{.chunksize = chunksize}, [](int x) { return x * 3; }, iota_vector(7)),
        std::vector<int>{0, 3, 6, 9, 12, 15, 18});
  check(ex.map(tpx::MapOptions{.chunksize = chunksize}, [](int x) { return std::string(std::size_t(x) + 1, 'x'); },
               iota_vector(4)),
        std::vector<std::string>{"x", "xx", "xxx", "xxxx"});

  // Move assignment over a live range: the target yields the source's rest.
  auto a = ex.map([](int x) { return x; }, iota_vector(5));
  auto b = ex.map([](int x) { return x + 100; }, iota_vector(3));
  auto bit = b.begin();
  REQUIRE(*bit == 100);
  ++bit;
  a = std::move(b);
  REQUIRE(b.begin() == b.end());
  REQUIRE(collect(a) == std::vector<int>{101, 102});
}
