// Coroutines [behaviour]: co_await a Future, co_await ex.schedule(), across threads,
// pools and shutdown (issue 15).
#include <catch2/catch.hpp>
#include <tpx/tpx.hpp>

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/held_pool.hpp"
#include "support/option_sets.hpp"
#include "support/support.hpp"

using namespace std::chrono_literals;

namespace {

std::string thread_name() {
  char name[32] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

tpx::Future<int> add_one(tpx::Future<int> f) { co_return co_await f + 1; }

tpx::Future<std::thread::id> where_resumed(tpx::Future<int> f) {
  co_await f;
  co_return std::this_thread::get_id();
}

tpx::Future<std::string> name_after_schedule(tpx::ThreadPoolExecutor& ex, tpx::TaskOptions opts = {}) {
  co_await ex.schedule(opts);
  co_return thread_name();
}

}  // namespace

TEST_CASE("co_await a future: its value, or its exception, or CancelledError", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  CHECK(add_one(ex.submit([] { return 41; })).result(tpx_test::kHang) == 42);

  auto failing = ex.submit([]() -> int { throw std::runtime_error("task failed"); });
  CHECK_THROWS_WITH(add_one(failing).result(tpx_test::kHang), "task failed");

  tpx_test::HeldPool held;
  auto queued = held.ex.submit([] { return 1; });
  auto awaiting = add_one(queued);  // suspends: the only worker is held
  CHECK_FALSE(awaiting.done());
  REQUIRE(queued.cancel());
  CHECK_THROWS_AS(awaiting.result(tpx_test::kHang), tpx::CancelledError);
  held.release();
}

TEST_CASE("co_await suspends without blocking and resumes on the completing thread", "[behaviour]") {
  tpx::Promise<int> promise;
  std::thread::id completer;
  auto resumed_on = where_resumed(promise.get_future());
  CHECK_FALSE(resumed_on.done());  // suspended: this thread went on
  std::thread t([&] {
    completer = std::this_thread::get_id();
    promise.set_value(7);
  });
  t.join();
  CHECK(resumed_on.result(tpx_test::kHang) == completer);
}

TEST_CASE("a million sequential co_awaits of done futures run in bounded stack", "[behaviour]") {
  tpx::Promise<int> promise;
  promise.set_value(1);
  const tpx::Future<int> done = promise.get_future();
  auto sum = [](tpx::Future<int> f) -> tpx::Future<long> {
    long total = 0;
    for (int i = 0; i < 1000000; ++i) total += co_await f;
    co_return total;
  }(done);
  CHECK(sum.result(tpx_test::kHang) == 1000000);
}

TEST_CASE("co_await ex.schedule() resumes on a worker of ex", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::Options o = set.options(2);
  o.thread_name_prefix = "coro";
  tpx::ThreadPoolExecutor ex(o);
  CHECK(name_after_schedule(ex).result(tpx_test::kHang).rfind("coro_", 0) == 0);
  CHECK(name_after_schedule(ex, tpx::TaskOptions{.priority = tpx::Priority::high}).result(tpx_test::kHang).rfind(
            "coro_", 0) == 0);
}

TEST_CASE("a coroutine on a worker awaits a task of its own pool without blocking the worker", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(1));  // one worker: a blocking await would deadlock
  auto chain = [](tpx::ThreadPoolExecutor& pool) -> tpx::Future<int> {
    int total = 0;
    for (int i = 0; i < 200; ++i) {
      co_await pool.schedule();
      total += co_await pool.submit([i] { return i; });
    }
    co_return total;
  }(ex);
  CHECK(chain.result(tpx_test::kHang) == 199 * 200 / 2);
}

TEST_CASE("co_await ex.schedule() on a shut-down pool throws ShutdownError at the co_await", "[behaviour]") {
  tpx::ThreadPoolExecutor ex(tpx_test::unpinned(1));
  ex.shutdown();
  CHECK_THROWS_AS(name_after_schedule(ex).result(tpx_test::kHang), tpx::ShutdownError);
}

TEST_CASE("a scheduled coroutine dropped by shutdown(cancel_futures) gets ShutdownError, and nothing leaks",
          "[behaviour]") {
  tpx_test::HeldPool held;  // the resumption stays queued behind the held task
  auto named = name_after_schedule(held.ex);
  CHECK_FALSE(named.done());
  held.ex.shutdown(/*wait=*/false, /*cancel_futures=*/true);
  CHECK_THROWS_WITH(named.result(tpx_test::kHang), Catch::Contains("cancel_futures"));
  held.release();
}

TEST_CASE("co_await ex.schedule() with a deadline that passes first throws DeadlineExceeded", "[behaviour]") {
  tpx_test::HeldPool held;
  auto past = name_after_schedule(held.ex, tpx::TaskOptions{.deadline = std::chrono::steady_clock::now() - 1ms});
  CHECK_THROWS_AS(past.result(tpx_test::kHang), tpx::DeadlineExceeded);  // at once: nothing queued
  auto soon = name_after_schedule(held.ex, tpx::TaskOptions{.deadline = std::chrono::steady_clock::now() + 5ms});
  std::this_thread::sleep_for(20ms);
  held.release();
  CHECK_THROWS_AS(soon.result(tpx_test::kHang), tpx::DeadlineExceeded);
  held.ex.shutdown(true);
  CHECK(held.ex.stats().expired == 2);
}
