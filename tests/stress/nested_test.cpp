// Nested waits [stress]: fan-out of nested waits on small pools.
#include <catch2/catch.hpp>

#include <cstddef>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/nested.hpp"
#include "support/support.hpp"

using tpx_test::make_pool;
using tpx_test::outer_result;

TEST_CASE("nested: fan-out of nested waits on small pools", "[stress]") {
  // Each of many outer tasks submits children that themselves submit and wait.
  const int outer = static_cast<int>(tpx_test::scaled(200));
  for (std::size_t workers : {std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
    CAPTURE(workers);
    auto ex = make_pool(workers);
    std::vector<tpx::Future<int>> tops;
    for (int i = 0; i < outer; ++i) {
      tops.push_back(ex->submit([&e = *ex, i] {
        std::vector<tpx::Future<int>> kids;
        for (int k = 0; k < 4; ++k)
          kids.push_back(e.submit([&e, i, k] { return e.submit([i, k] { return i + k; }).result(); }));
        int sum = 0;
        for (const auto& kid : tpx::as_completed(kids)) sum += kid.result();
        return sum;
      }));
    }
    long long total = 0, expected = 0;
    for (int i = 0; i < outer; ++i) {
      total += outer_result(ex, tops[static_cast<std::size_t>(i)]);
      expected += 4 * i + 6;
    }
    REQUIRE(total == expected);
  }
}
