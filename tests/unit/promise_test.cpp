// Promise [unit]: completing a Future from outside any executor.
#include <catch2/catch.hpp>

#include <exception>
#include <stdexcept>
#include <string>
#include <thread>

#include <tpx/tpx.hpp>

#include "support/support.hpp"

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

TEST_CASE("a moved promise keeps its future; the moved-from one is inert", "[unit]") {
  tpx::Promise<int> a;
  auto f = a.get_future();
  tpx::Promise<int> b = std::move(a);
  b.set_value(4);
  REQUIRE(f.result() == 4);
  REQUIRE_THROWS_AS(a.get_future(), tpx::InvalidStateError);  // NOLINT: documented moved-from state
}
