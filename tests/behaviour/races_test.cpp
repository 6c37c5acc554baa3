// A race a user can write [behaviour]: as_completed inside a worker while its
// siblings complete.
// In tpx_reliability_tests (with the other races, tests/stress/races_test.cpp).
#include <catch2/catch.hpp>

#include <vector>

#include <tpx/tpx.hpp>

#include "support/support.hpp"

using tpx_test::kHang;

TEST_CASE("as_completed inside a worker while siblings complete does not deadlock", "[behaviour]") {
  tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 2, .pinning = tpx::Pinning::none});
  auto outer = ex.submit([&ex] {
    std::vector<tpx::Future<int>> kids;
    for (int i = 0; i < 50; ++i) kids.push_back(ex.submit([i] { return i; }));
    int sum = 0;
    for (auto f : tpx::as_completed(kids, kHang)) sum += f.result();
    return sum;
  });
  REQUIRE(outer.result(kHang) == 49 * 50 / 2);
}
