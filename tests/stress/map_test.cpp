// ThreadPoolExecutor::map [stress]: large maps, ranges destroyed mid-run.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <ranges>

#include <tpx/tpx.hpp>

#include "support/ranges.hpp"
#include "support/support.hpp"

using tpx_test::iota_vector;

TEST_CASE("map: large maps, and ranges destroyed while workers run them", "[stress]") {
  const int n = static_cast<int>(tpx_test::scaled(200'000));
  tpx::ThreadPoolExecutor ex(tpx_test::unpinned(4));
  for (std::size_t chunksize : {std::size_t{1}, std::size_t{64}}) {
    CAPTURE(chunksize);
    auto results = ex.map(tpx::MapOptions{.chunksize = chunksize}, [](int x) { return std::int64_t{x} * 2; },
                          std::views::iota(0, n));
    std::int64_t sum = 0, index = 0;
    bool in_order = true;
    for (auto v : results) {
      in_order = in_order && v == index * 2;
      sum += v;
      ++index;
    }
    REQUIRE(in_order);
    REQUIRE(index == n);
    REQUIRE(sum == std::int64_t{n} * (n - 1));
  }
  // Destroy ranges at varying points of their consumption while 4 workers run them.
  const int rounds = static_cast<int>(tpx_test::scaled(200));
  for (int round = 0; round < rounds; ++round) {
    auto results = ex.map(tpx::MapOptions{.chunksize = std::size_t(1 + round % 4)}, [](int x) { return x; },
                          iota_vector(500));
    int consumed = 0;
    for (auto v : results) {
      REQUIRE(v == consumed);
      if (++consumed == round % 50) break;
    }
    REQUIRE(consumed == (round % 50 == 0 ? 500 : round % 50));
  }
}
