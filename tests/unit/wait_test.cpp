// tpx::wait [unit]: return_when conditions on done futures, duplicates, empty ranges, range kinds.
// Ported where meaningful from CPython's Lib/test/test_concurrent_futures/test_wait.py.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <exception>
#include <initializer_list>
#include <cstdint>
#include <random>
#include <set>
#include <span>
#include <stdexcept>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/held_pool.hpp"
#include "support/option_sets.hpp"
#include "support/ranges.hpp"
#include "support/support.hpp"

using tpx_test::kHang;
using tpx_test::kShort;
using tpx_test::same_set;
using tpx::ReturnWhen;

TEST_CASE("wait: all_completed counts finished, failed and cancelled futures as done", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx_test::HeldPool held(set.options(1));
  auto cancelled = held.ex.submit([] {});
  REQUIRE(cancelled.cancel());
  tpx::Promise<void> ok, failed;
  ok.set_value();
  failed.set_exception(std::make_exception_ptr(std::logic_error("x")));
  std::vector<tpx::Future<void>> fs{ok.get_future(), failed.get_future(), cancelled};
  auto r = tpx::wait(fs, kHang, ReturnWhen::all_completed);
  REQUIRE(r.not_done.empty());
  REQUIRE(same_set(r.done, fs));
}

TEST_CASE("wait: first_completed with one finished and one pending returns at once", "[unit]") {
  // CPython: test_first_completed_some_already_completed.
  tpx::Promise<int> finished, pending;
  finished.set_value(1);
  std::vector<tpx::Future<int>> fs{pending.get_future(), finished.get_future()};
  // kHang only bounds a broken implementation; a correct one returns at once.
  auto r = tpx::wait(fs, kHang, ReturnWhen::first_completed);
  REQUIRE(same_set(r.done, {fs[1]}));
  REQUIRE(same_set(r.not_done, {fs[0]}));
}

TEST_CASE("wait: an empty (default-constructed) Future in the range is an InvalidStateError", "[unit]") {
  std::vector<tpx::Future<int>> fs{tpx::Future<int>{}};
  REQUIRE_THROWS_AS(tpx::wait(fs), tpx::InvalidStateError);
  REQUIRE_THROWS_AS(tpx::wait(fs, kHang, ReturnWhen::first_completed), tpx::InvalidStateError);
}

TEST_CASE("wait: first_exception returns at once when a future already failed", "[unit]") {
  // CPython: test_first_exception_one_already_failed.
  tpx::Promise<int> failed, pending;
  failed.set_exception(std::make_exception_ptr(std::runtime_error("boom")));
  std::vector<tpx::Future<int>> fs{pending.get_future(), failed.get_future()};
  auto r = tpx::wait(fs, kHang, ReturnWhen::first_exception);
  REQUIRE(same_set(r.done, {fs[1]}));
  REQUIRE(same_set(r.not_done, {fs[0]}));
}

TEST_CASE("wait: returns at once when every future is already done", "[unit]") {
  tpx::Promise<int> a, b;
  a.set_value(1);
  b.set_exception(std::make_exception_ptr(std::runtime_error("x")));
  std::vector<tpx::Future<int>> fs{a.get_future(), b.get_future()};
  for (auto when : {ReturnWhen::all_completed, ReturnWhen::first_completed, ReturnWhen::first_exception}) {
    // No timeout: a wait that blocked here would never return; the futures are done.
    auto r = tpx::wait(fs, when);
    REQUIRE(same_set(r.done, fs));
    REQUIRE(r.not_done.empty());
  }
  // A zero timeout with every future done is no timeout.
  auto r = tpx::wait(fs, std::chrono::seconds(0));
  REQUIRE(same_set(r.done, fs));
}

TEST_CASE("wait: duplicates count once", "[unit]") {
  tpx::Promise<int> a, b;
  a.set_value(1);
  auto fa = a.get_future(), fb = b.get_future();
  std::vector<tpx::Future<int>> fs{fa, fb, fa, fb, fa};
  auto r = tpx::wait(fs, kShort);
  REQUIRE(r.done == std::vector<tpx::Future<int>>{fa});
  REQUIRE(r.not_done == std::vector<tpx::Future<int>>{fb});

  b.set_value(2);
  auto all = tpx::wait(fs, kHang);
  REQUIRE(all.done.size() == 2);
  REQUIRE(same_set(all.done, {fa, fb}));
  REQUIRE(all.not_done.empty());
}

TEST_CASE("wait: many futures in any address order, with duplicates, count once each", "[unit]") {
  // Rising and falling addresses take a shortcut; a duplicate anywhere breaks
  // the monotony and takes the general path; a shuffle takes it too.
  std::vector<tpx::Promise<int>> promises(1000);
  std::vector<tpx::Future<int>> fs;
  for (auto& p : promises) fs.push_back(p.get_future());
  for (std::size_t i = 0; i < promises.size(); i += 2) promises[i].set_value(static_cast<int>(i));
  std::vector<std::vector<tpx::Future<int>>> inputs;
  auto rising = fs;
  std::sort(rising.begin(), rising.end(), [](const auto& a, const auto& b) {
    return std::less<>{}(tpx::detail::state_of(a), tpx::detail::state_of(b));
  });
  inputs.push_back(rising);
  inputs.push_back({rising.rbegin(), rising.rend()});
  auto with_dup = rising;
  with_dup.push_back(rising[500]);
  inputs.push_back(with_dup);
  auto shuffled = fs;
  std::mt19937 rng(7);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  shuffled.insert(shuffled.end(), fs.begin(), fs.begin() + 100);
  inputs.push_back(shuffled);
  for (const auto& input : inputs) {
    auto r = tpx::wait(input, kShort);
    REQUIRE(r.done.size() == 500);
    REQUIRE(r.not_done.size() == 500);
  }
}

TEST_CASE("wait: an empty range is satisfied at once for every return_when", "[unit]") {
  std::vector<tpx::Future<int>> none;
  for (auto when : {ReturnWhen::all_completed, ReturnWhen::first_completed, ReturnWhen::first_exception}) {
    auto r = tpx::wait(none, kHang, when);
    REQUIRE(r.done.empty());
    REQUIRE(r.not_done.empty());
  }
}

TEST_CASE("wait: accepts vector, const vector, rvalue vector, span and initializer_list", "[unit]") {
  tpx::Promise<int> a, b;
  a.set_value(1);
  auto fa = a.get_future(), fb = b.get_future();

  auto check = [&](const tpx::WaitResult<int>& r) {
    REQUIRE(r.done == std::vector<tpx::Future<int>>{fa});
    REQUIRE(r.not_done == std::vector<tpx::Future<int>>{fb});
  };
  SECTION("vector") {
    std::vector<tpx::Future<int>> v{fa, fb};
    check(tpx::wait(v, ReturnWhen::first_completed));
    check(tpx::wait(v, kShort));
  }
  SECTION("const vector") {
    const std::vector<tpx::Future<int>> v{fa, fb};
    check(tpx::wait(v, ReturnWhen::first_completed));
    check(tpx::wait(v, kShort, ReturnWhen::all_completed));
  }
  SECTION("rvalue vector") {
    check(tpx::wait(std::vector<tpx::Future<int>>{fa, fb}, ReturnWhen::first_completed));
    check(tpx::wait(std::vector<tpx::Future<int>>{fa, fb}, kShort));
  }
  SECTION("span") {
    std::vector<tpx::Future<int>> v{fa, fb};
    check(tpx::wait(std::span<tpx::Future<int>>(v), ReturnWhen::first_completed));
    check(tpx::wait(std::span<const tpx::Future<int>>(v), kShort));
  }
  SECTION("named initializer_list") {
    std::initializer_list<tpx::Future<int>> il{fa, fb};
    check(tpx::wait(il, ReturnWhen::first_completed));
    check(tpx::wait(il, kShort));
  }
  SECTION("braced list") {
    check(tpx::wait({fa, fb}, ReturnWhen::first_completed));
  }
}

TEST_CASE("wait's duplicate check keeps exactly the first future of each state, in any order", "[unit]") {
  // distinct_indexes never dereferences a state: made-up addresses will do.
  std::mt19937_64 rng(11);
  for (std::size_t n : {2u, 100u, 10'000u, 100'000u}) {
    std::vector<const tpx::detail::StateBase*> states;
    for (std::size_t i = 0; i < n; ++i)
      states.push_back(reinterpret_cast<const tpx::detail::StateBase*>(std::uintptr_t{0x10000} + 128 * (rng() % (64 * n))));
    // Made-up addresses may repeat: the expected answer is computed the slow way.
    for (std::size_t d = 0; d < n / 10; ++d) states.push_back(states[rng() % states.size()]);
    std::shuffle(states.begin(), states.end(), rng);
    std::vector<std::size_t> expected;
    std::set<const tpx::detail::StateBase*> seen;
    for (std::size_t i = 0; i < states.size(); ++i)
      if (seen.insert(states[i]).second) expected.push_back(i);
    REQUIRE(tpx::detail::distinct_indexes(states) == expected);
  }
}
