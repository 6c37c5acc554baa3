// Latency percentiles for the two-thread floors (p50_us ... max_us, samples,
// as roundtrip reports them), so that a pool's round-trip percentiles have a
// floor to be read against, not only its mean.
// The samples come from a pass of their own after the timed loop, each round
// trip between two reads of the clock roundtrip uses (common/measure.hpp's
// now_ns): the reads inside the timed loop would add tens of ns to a
// ~100 ns real_time and move the floor itself.
// The pass takes as many samples as the timed loop ran iterations, at most
// config().latency_samples (roundtrip's count, so p999 ranks compare):
// Google Benchmark calls a benchmark several times while it sizes the
// iteration count, and a fixed count would repeat the whole pass on each of
// those calls; this way the pass costs about what the timed loop did. At
// least kMinSamples, though: a slow first round trip (the partner thread
// still starting) can satisfy a short --benchmark_min_time in one iteration,
// and below 1000 samples p999 is the maximum.
#pragma once

#include <algorithm>
#include <cstddef>

#include "common/config.hpp"
#include "common/latency.hpp"
#include "common/measure.hpp"

namespace tpx::bench {

inline constexpr std::size_t kMinSamples = 1000;

template <class RoundTrip>
void report_round_trip_percentiles(benchmark::State& state, RoundTrip&& round_trip) {
  const std::size_t most = config().latency_samples;
  const std::size_t n = std::clamp(static_cast<std::size_t>(state.iterations()), std::min(kMinSamples, most), most);
  LatencySamples samples(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto t0 = now_ns();
    round_trip();
    samples.record(now_ns() - t0);
  }
  samples.report(state);
}

}  // namespace tpx::bench
