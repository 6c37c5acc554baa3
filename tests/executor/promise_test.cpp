// Promise: completing a Future from outside any executor.
#include <catch2/catch.hpp>
#include <tpx/tpx.hpp>

#include <stdexcept>
#include <string>
#include <thread>

#include "test_util.hpp"

using namespace std::chrono_literals;
using tpx_test::kHang;

TEST_CASE("set_value from another thread completes the future", "[unit]") {
  tpx::Promise<std::string> p;
  auto f = p.get_future();
  REQUIRE_FALSE(f.done());
  std::thread t([&] { p.set_value("hello"); });
  REQUIRE(f.result(kHang) == "hello");
  t.join();
}

TEST_CASE("Promise<void> and set_exception", "[unit]") {
  tpx::Promise<void> p;
  auto f = p.get_future();
  p.set_value();
  f.result();
  REQUIRE(f.done());

  tpx::Promise<int> q;
  auto g = q.get_future();
  q.set_exception(std::make_exception_ptr(std::logic_error("bad")));
  REQUIRE_THROWS_WITH(g.result(), "bad");
  REQUIRE(g.exception() != nullptr);
  REQUIRE_THROWS_AS(q.set_exception(nullptr), std::invalid_argument);
}

TEST_CASE("completing a promise twice, or after cancel, throws InvalidStateError", "[unit]") {
  tpx::Promise<int> p;
  auto f = p.get_future();
  p.set_value(1);
  REQUIRE_THROWS_AS(p.set_value(2), tpx::InvalidStateError);
  REQUIRE_THROWS_AS(p.set_exception(std::make_exception_ptr(std::runtime_error("x"))), tpx::InvalidStateError);
  REQUIRE(f.result() == 1);

  tpx::Promise<int> q;
  auto g = q.get_future();
  REQUIRE(g.cancel());
  REQUIRE_THROWS_WITH(q.set_value(1), Catch::Contains("cancelled"));
  REQUIRE(g.cancelled());
}

TEST_CASE("a promise destroyed without a value breaks its future (done, not cancelled)", "[behaviour]") {
  tpx::Future<int> f;
  {
    tpx::Promise<int> p;
    f = p.get_future();
  }
  REQUIRE(f.done());
  REQUIRE_FALSE(f.cancelled());
  REQUIRE_THROWS_AS(f.result(kHang), tpx::BrokenPromise);
  REQUIRE_THROWS_AS(f.result(), tpx::Error);
}

TEST_CASE("a waiter blocked on a promise is released when the promise dies", "[behaviour]") {
  auto p = std::make_unique<tpx::Promise<int>>();
  auto f = p->get_future();
  std::thread t([&] {
    std::this_thread::sleep_for(5ms);
    p.reset();
  });
  REQUIRE_THROWS_AS(f.result(kHang), tpx::BrokenPromise);
  t.join();
}

TEST_CASE("a moved promise keeps its future; the moved-from one is inert", "[unit]") {
  tpx::Promise<int> a;
  auto f = a.get_future();
  tpx::Promise<int> b = std::move(a);
  b.set_value(4);
  REQUIRE(f.result() == 4);
  REQUIRE_THROWS_AS(a.get_future(), tpx::InvalidStateError);  // NOLINT: documented moved-from state
}
