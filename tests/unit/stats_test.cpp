// The latency histogram behind stats() [unit]: bucket error, percentiles (issue 15).
#include <catch2/catch.hpp>
#include <tpx/tpx.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "latency_histogram.hpp"  // internal (executor/src), through tpx::internals
#include "support/held_pool.hpp"
#include "support/option_sets.hpp"
#include "support/support.hpp"

using namespace std::chrono_literals;

TEST_CASE("latency histogram: buckets within 1 % of their values, percentiles of a known distribution", "[unit]") {
  using tpx::detail::LatencyHistogram;
  std::mt19937_64 rng(42);
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t v = rng() >> (rng() % 64);
    const std::uint64_t shown = LatencyHistogram::value_of(LatencyHistogram::bucket_of(v));
    const double err = v == 0 ? 0.0 : std::abs(static_cast<double>(shown) - static_cast<double>(v)) / static_cast<double>(v);
    REQUIRE(err <= 1.0 / 128 + 1e-12);
  }
  auto h = std::make_unique<LatencyHistogram>();
  for (std::uint64_t v = 1; v <= 100000; ++v) h->record(v * 1000);  // 1 us .. 100 ms, uniform
  auto counts = std::make_unique<std::array<std::uint64_t, LatencyHistogram::kBuckets>>();
  std::uint64_t max = 0;
  h->add_to(*counts, max);
  const tpx::LatencySummary s = LatencyHistogram::summarize(*counts, max);
  CHECK(s.count == 100000);
  CHECK(s.max == std::chrono::nanoseconds(100000000));
  auto near = [](std::chrono::nanoseconds got, double want_ns) {
    return std::abs(static_cast<double>(got.count()) - want_ns) <= 0.01 * want_ns;
  };
  CHECK(near(s.p50, 50e6));
  CHECK(near(s.p90, 90e6));
  CHECK(near(s.p99, 99e6));
  CHECK(near(s.p999, 99.9e6));
}
