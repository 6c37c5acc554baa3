// tpx::wait [behaviour]: return_when conditions on pending futures, timeouts, mixed sources.
// Ported where meaningful from CPython's Lib/test/test_concurrent_futures/test_wait.py.
#include <catch2/catch.hpp>

#include <chrono>
#include <exception>
#include <stdexcept>
#include <thread>
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

TEST_CASE("wait: all_completed (the default) returns when every future is done", "[behaviour]") {
  // CPython: test_all_completed.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  tpx::Promise<int> gate;
  auto ok = ex.submit([g = gate.get_future()] { return g.result(kHang) + 1; });
  auto bad = ex.submit([g = gate.get_future()]() -> int {
    g.result(kHang);
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

TEST_CASE("wait: first_completed returns when one of several pending futures completes", "[behaviour]") {
  // CPython: test_first_completed.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx_test::HeldPool held(set.options(1));
  auto queued = held.ex.submit([] { return 2; });
  tpx::Promise<int> p;
  std::vector<tpx::Future<int>> fs{queued, p.get_future()};
  std::thread completer([&] { p.set_value(1); });
  auto r = tpx::wait(fs, kHang, ReturnWhen::first_completed);
  completer.join();
  // `queued` cannot run while the worker is held: only the promise's future completed.
  REQUIRE(same_set(r.done, {fs[1]}));
  REQUIRE(same_set(r.not_done, {queued}));
  held.release();
  REQUIRE(queued.result(kHang) == 2);
}

TEST_CASE("wait: first_completed returns when a pending future is cancelled", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx_test::HeldPool held(set.options(1));
  auto queued = held.ex.submit([] { return 1; });
  tpx::Promise<int> never;
  std::vector<tpx::Future<int>> fs{never.get_future(), queued};
  std::thread canceller([queued]() mutable { queued.cancel(); });
  auto r = tpx::wait(fs, kHang, tpx::ReturnWhen::first_completed);
  canceller.join();
  REQUIRE(same_set(r.done, {queued}));
  REQUIRE(queued.cancelled());
  REQUIRE(same_set(r.not_done, {fs[0]}));
}

TEST_CASE("wait: first_exception returns when a future fails", "[behaviour]") {
  // CPython: test_first_exception.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx_test::HeldPool held(set.options(1));
  auto queued = held.ex.submit([] { return 0; });
  tpx::Promise<int> ok, failing;
  ok.set_value(1);
  std::vector<tpx::Future<int>> fs{ok.get_future(), queued, failing.get_future()};
  std::thread completer([&] { failing.set_exception(std::make_exception_ptr(std::runtime_error("boom"))); });
  auto r = tpx::wait(fs, kHang, ReturnWhen::first_exception);
  completer.join();
  REQUIRE(same_set(r.done, {fs[0], fs[2]}));
  REQUIRE(same_set(r.not_done, {queued}));
}

TEST_CASE("wait: first_exception without any exception waits for all", "[behaviour]") {
  // CPython: test_first_exception_some_already_complete (none fails).
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  tpx::Promise<int> gate;
  tpx::Promise<int> already;
  already.set_value(0);
  auto later = ex.submit([g = gate.get_future()] { return g.result(kHang); });
  std::vector<tpx::Future<int>> fs{already.get_future(), later};
  std::thread opener([&] {
    std::this_thread::sleep_for(kShort);  // lets a wrong early return be seen; correctness does not depend on it
    gate.set_value(5);
  });
  auto r = tpx::wait(fs, kHang, ReturnWhen::first_exception);
  opener.join();
  REQUIRE(same_set(r.done, fs));
  REQUIRE(r.not_done.empty());
}

TEST_CASE("wait: first_exception does not treat a cancelled future as an exception", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx_test::HeldPool held(set.options(1));
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
  tpx_test::HeldPool held(set.options(1));
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

TEST_CASE("wait: futures from two executors and from Promises", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex1(set.options(1));
  tpx::ThreadPoolExecutor ex2(set.options(1));
  tpx::Promise<void> gate;
  tpx::Promise<int> external;
  std::vector<tpx::Future<int>> fs{ex1.submit([g = gate.get_future()] {
                                     g.result(kHang);
                                     return 1;
                                   }),
                                   ex2.submit([] { return 2; }), external.get_future()};
  std::thread opener([&] {
    external.set_value(3);
    gate.set_value();
  });
  auto r = tpx::wait(fs, kHang);
  opener.join();
  REQUIRE(r.not_done.empty());
  int sum = 0;
  for (const auto& f : r.done) sum += f.result();
  REQUIRE(sum == 6);
}
