// Coroutines [unit]: awaiting a done future, coroutines returning tpx::Future (issue 15).
#include <catch2/catch.hpp>
#include <tpx/tpx.hpp>

#include <stdexcept>
#include <thread>

namespace {

tpx::Future<int> plus_one(tpx::Future<int> f) { co_return co_await f + 1; }

tpx::Future<std::thread::id> where_resumed(tpx::Future<int> f) {
  co_await f;
  co_return std::this_thread::get_id();
}

}  // namespace

TEST_CASE("co_await of a future that is already done does not suspend", "[unit]") {
  tpx::Promise<int> promise;
  promise.set_value(3);
  auto resumed_on = where_resumed(promise.get_future());
  REQUIRE(resumed_on.done());  // ran to the end inside the call
  CHECK(resumed_on.result() == std::this_thread::get_id());
}

TEST_CASE("a coroutine returning tpx::Future<void> completes its future, or fails it", "[unit]") {
  auto ok = []() -> tpx::Future<void> { co_return; }();
  CHECK(ok.done());
  CHECK_NOTHROW(ok.result());
  auto bad = []() -> tpx::Future<void> {
    throw std::invalid_argument("bad");
    co_return;
  }();
  CHECK_THROWS_AS(bad.result(), std::invalid_argument);
}

TEST_CASE("the future of a suspended coroutine cannot be cancelled: it is running", "[unit]") {
  // Found by the fuzzer: cancel() succeeded on a suspended coroutine's
  // future, and its co_return then completed a cancelled state (throwing out
  // of resume(): std::terminate).
  tpx::Promise<int> promise;
  tpx::Future<int> coro = plus_one(promise.get_future());  // suspends: nothing set yet
  CHECK(coro.running());
  CHECK_FALSE(coro.cancel());
  promise.set_value(41);  // resumes it here
  CHECK(coro.result() == 42);
}
