// tpx::wait: return_when conditions, timeouts, range kinds, duplicates.
// Ported where meaningful from CPython's Lib/test/test_concurrent_futures/test_wait.py.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <initializer_list>
#include <random>
#include <latch>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

#include <tpx/tpx.hpp>

#include "issue3_util.hpp"
#include "option_sets.hpp"

using issue3::kGuard;
using issue3::kShort;
using tpx::ReturnWhen;

namespace {

template <class T>
bool same_set(std::vector<tpx::Future<T>> got, std::vector<tpx::Future<T>> want) {
  if (got.size() != want.size()) return false;
  for (const auto& w : want)
    if (std::count(got.begin(), got.end(), w) != 1) return false;
  return true;
}

}  // namespace

TEST_CASE("wait: all_completed (the default) returns when every future is done", "[behaviour]") {
  // CPython: test_all_completed.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  tpx::Promise<int> gate;
  auto ok = ex.submit([g = gate.get_future()] { return g.result(kGuard) + 1; });
  auto bad = ex.submit([g = gate.get_future()]() -> int {
    g.result(kGuard);
    throw std::runtime_error("bad");
  });
  tpx::Promise<int> external;
  std::vector<tpx::Future<int>> fs{ok, bad, external.get_future()};
  std::thread opener([&] {
    gate.set_value(1);
    external.set_value(3);
  });
  auto r = tpx::wait(fs);
  opener.join();
  REQUIRE(r.not_done.empty());
  REQUIRE(same_set(r.done, fs));
  REQUIRE(ok.result() == 2);
}

TEST_CASE("wait: all_completed counts finished, failed and cancelled futures as done", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  issue3::HeldPool held(set.options(1));
  auto cancelled = held.ex.submit([] {});
  REQUIRE(cancelled.cancel());
  tpx::Promise<void> ok, failed;
  ok.set_value();
  failed.set_exception(std::make_exception_ptr(std::logic_error("x")));
  std::vector<tpx::Future<void>> fs{ok.get_future(), failed.get_future(), cancelled};
  auto r = tpx::wait(fs, kGuard, ReturnWhen::all_completed);
  REQUIRE(r.not_done.empty());
  REQUIRE(same_set(r.done, fs));
}

TEST_CASE("wait: first_completed with one finished and one pending returns at once", "[unit]") {
  // CPython: test_first_completed_some_already_completed.
  tpx::Promise<int> finished, pending;
  finished.set_value(1);
  std::vector<tpx::Future<int>> fs{pending.get_future(), finished.get_future()};
  // kGuard only bounds a broken implementation; a correct one returns at once.
  auto r = tpx::wait(fs, kGuard, ReturnWhen::first_completed);
  REQUIRE(same_set(r.done, {fs[1]}));
  REQUIRE(same_set(r.not_done, {fs[0]}));
}

TEST_CASE("wait: first_completed returns when one of several pending futures completes", "[behaviour]") {
  // CPython: test_first_completed.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  issue3::HeldPool held(set.options(1));
  auto queued = held.ex.submit([] { return 2; });
  tpx::Promise<int> p;
  std::vector<tpx::Future<int>> fs{queued, p.get_future()};
  std::thread completer([&] { p.set_value(1); });
  auto r = tpx::wait(fs, kGuard, ReturnWhen::first_completed);
  completer.join();
  // `queued` cannot run while the worker is held: only the promise's future completed.
  REQUIRE(same_set(r.done, {fs[1]}));
  REQUIRE(same_set(r.not_done, {queued}));
  held.release();
  REQUIRE(queued.result(kGuard) == 2);
}

TEST_CASE("wait: first_completed returns when a pending future is cancelled", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  issue3::HeldPool held(set.options(1));
  auto queued = held.ex.submit([] { return 1; });
  tpx::Promise<int> never;
  std::vector<tpx::Future<int>> fs{never.get_future(), queued};
  std::thread canceller([queued]() mutable { queued.cancel(); });
  auto r = tpx::wait(fs, kGuard, tpx::ReturnWhen::first_completed);
  canceller.join();
  REQUIRE(same_set(r.done, {queued}));
  REQUIRE(queued.cancelled());
  REQUIRE(same_set(r.not_done, {fs[0]}));
}

TEST_CASE("wait: an empty (default-constructed) Future in the range is an InvalidStateError", "[unit]") {
  std::vector<tpx::Future<int>> fs{tpx::Future<int>{}};
  REQUIRE_THROWS_AS(tpx::wait(fs), tpx::InvalidStateError);
  REQUIRE_THROWS_AS(tpx::wait(fs, kGuard, ReturnWhen::first_completed), tpx::InvalidStateError);
}

TEST_CASE("wait: first_exception returns when a future fails", "[behaviour]") {
  // CPython: test_first_exception.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  issue3::HeldPool held(set.options(1));
  auto queued = held.ex.submit([] { return 0; });
  tpx::Promise<int> ok, failing;
  ok.set_value(1);
  std::vector<tpx::Future<int>> fs{ok.get_future(), queued, failing.get_future()};
  std::thread completer([&] { failing.set_exception(std::make_exception_ptr(std::runtime_error("boom"))); });
  auto r = tpx::wait(fs, kGuard, ReturnWhen::first_exception);
  completer.join();
  REQUIRE(same_set(r.done, {fs[0], fs[2]}));
  REQUIRE(same_set(r.not_done, {queued}));
}

TEST_CASE("wait: first_exception returns at once when a future already failed", "[unit]") {
  // CPython: test_first_exception_one_already_failed.
  tpx::Promise<int> failed, pending;
  failed.set_exception(std::make_exception_ptr(std::runtime_error("boom")));
  std::vector<tpx::Future<int>> fs{pending.get_future(), failed.get_future()};
  auto r = tpx::wait(fs, kGuard, ReturnWhen::first_exception);
  REQUIRE(same_set(r.done, {fs[1]}));
  REQUIRE(same_set(r.not_done, {fs[0]}));
}

TEST_CASE("wait: first_exception without any exception waits for all", "[behaviour]") {
  // CPython: test_first_exception_some_already_complete (none fails).
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  tpx::Promise<int> gate;
  tpx::Promise<int> already;
  already.set_value(0);
  auto later = ex.submit([g = gate.get_future()] { return g.result(kGuard); });
  std::vector<tpx::Future<int>> fs{already.get_future(), later};
  std::thread opener([&] {
    std::this_thread::sleep_for(kShort);  // lets a wrong early return be seen; correctness does not depend on it
    gate.set_value(5);
  });
  auto r = tpx::wait(fs, kGuard, ReturnWhen::first_exception);
  opener.join();
  REQUIRE(same_set(r.done, fs));
  REQUIRE(r.not_done.empty());
}

TEST_CASE("wait: first_exception does not treat a cancelled future as an exception", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  issue3::HeldPool held(set.options(1));
  auto cancelled = held.ex.submit([] { return 1; });
  REQUIRE(cancelled.cancel());
  tpx::Promise<int> pending;
  std::vector<tpx::Future<int>> fs{cancelled, pending.get_future()};
  // Only the timeout can end this wait: `pending` never completes.
  auto r = tpx::wait(fs, kShort, ReturnWhen::first_exception);
  REQUIRE(same_set(r.done, {cancelled}));
  REQUIRE(same_set(r.not_done, {fs[1]}));
}

TEST_CASE("wait: a timeout returns (does not throw) with the pending futures in not_done", "[behaviour]") {
  // CPython: test_timeout.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  issue3::HeldPool held(set.options(1));
  tpx::Promise<int> ok, failed, never;
  ok.set_value(1);
  failed.set_exception(std::make_exception_ptr(std::runtime_error("x")));
  auto queued = held.ex.submit([] { return 4; });
  std::vector<tpx::Future<int>> fs{ok.get_future(), failed.get_future(), never.get_future(), queued};

  for (auto when : {ReturnWhen::all_completed, ReturnWhen::first_exception}) {
    if (when == ReturnWhen::first_exception) {
      // `failed` would satisfy first_exception at once: leave it out.
      std::vector<tpx::Future<int>> no_failure{fs[0], fs[2], fs[3]};
      tpx::WaitResult<int> r;
      REQUIRE_NOTHROW(r = tpx::wait(no_failure, kShort, when));
      REQUIRE(same_set(r.done, {fs[0]}));
      REQUIRE(same_set(r.not_done, {fs[2], fs[3]}));
    } else {
      tpx::WaitResult<int> r;
      REQUIRE_NOTHROW(r = tpx::wait(fs, kShort, when));
      REQUIRE(same_set(r.done, {fs[0], fs[1]}));
      REQUIRE(same_set(r.not_done, {fs[2], fs[3]}));
    }
  }
  std::vector<tpx::Future<int>> pending_only{fs[2], fs[3]};
  auto r = tpx::wait(pending_only, std::chrono::seconds(0), ReturnWhen::first_completed);
  REQUIRE(r.done.empty());
  REQUIRE(same_set(r.not_done, pending_only));
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
  auto all = tpx::wait(fs, kGuard);
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
    auto r = tpx::wait(none, kGuard, when);
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

TEST_CASE("wait: futures from two executors and from Promises", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex1(set.options(1));
  tpx::ThreadPoolExecutor ex2(set.options(1));
  tpx::Promise<void> gate;
  tpx::Promise<int> external;
  std::vector<tpx::Future<int>> fs{ex1.submit([g = gate.get_future()] {
                                     g.result(kGuard);
                                     return 1;
                                   }),
                                   ex2.submit([] { return 2; }), external.get_future()};
  std::thread opener([&] {
    external.set_value(3);
    gate.set_value();
  });
  auto r = tpx::wait(fs, kGuard);
  opener.join();
  REQUIRE(r.not_done.empty());
  int sum = 0;
  for (const auto& f : r.done) sum += f.result();
  REQUIRE(sum == 6);
}
