// Promise [behaviour]: a promise that dies without a value.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <thread>

#include <tpx/tpx.hpp>

#include "support/support.hpp"

using namespace std::chrono_literals;
using tpx_test::kHang;

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
