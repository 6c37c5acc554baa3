// tpx::as_completed [stress]: many promises completed in random order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <random>
#include <thread>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/support.hpp"

TEST_CASE("as_completed: each of many promises completed in random order is yielded exactly once", "[stress]") {
  // 100,000 futures (fewer under a sanitizer: scaled()), completed from
  // another thread in random order. Checks that each is yielded exactly once;
  // a quadratic implementation would take far longer than the stress test's timeout.
  const std::size_t n = tpx_test::scaled(100'000);
  std::vector<tpx::Promise<std::size_t>> ps(n);
  std::vector<tpx::Future<std::size_t>> fs;
  fs.reserve(n);
  for (auto& p : ps) fs.push_back(p.get_future());
  // A few already done at the call, and a few duplicates.
  for (std::size_t i = 0; i < n; i += 1000) ps[i].set_value(i);
  for (std::size_t i = 1; i < n; i += 997) fs.push_back(fs[i]);

  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < n; ++i)
    if (i % 1000 != 0) order.push_back(i);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(n));

  auto ac = tpx::as_completed(fs, std::chrono::seconds(120));
  std::thread completer([&] {
    for (std::size_t i : order) ps[i].set_value(i);
  });
  std::vector<unsigned char> seen(n, 0);
  std::size_t yielded = 0, twice = 0, wrong = 0;
  try {
    for (const auto& f : ac) {
      const std::size_t v = f.result();
      if (v >= n) {
        ++wrong;
        continue;
      }
      if (seen[v]++ != 0) ++twice;
      ++yielded;
    }
  } catch (...) {
    completer.join();
    throw;
  }
  completer.join();
  REQUIRE(wrong == 0);
  REQUIRE(twice == 0);
  REQUIRE(yielded == n);
}
