// Latency samples: every sample kept (no binning), sorted once at the end;
// percentiles by nearest rank. 100,000 samples are 800 KB: cheap enough to be
// exact rather than HdrHistogram-approximate.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "common/measure.hpp"

namespace tpx::bench {

class LatencySamples {
 public:
  explicit LatencySamples(std::size_t expected) { ns_.reserve(expected); }
  void record(std::int64_t ns) { ns_.push_back(ns < 0 ? 0 : ns); }
  std::size_t size() const noexcept { return ns_.size(); }
  // Drops every sample after the first `n` (in recording order), for a
  // workload that records in a pass it does not want counted.
  void keep_first(std::size_t n) {
    if (n < ns_.size()) ns_.resize(n);
  }

  // p50_us, p90_us, p99_us, p999_us, max_us, samples.
  void report(benchmark::State& state) {
    if (ns_.empty()) return;
    std::sort(ns_.begin(), ns_.end());
    auto at = [&](double q) {
      const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(ns_.size())));
      return static_cast<double>(ns_[std::min(ns_.size() - 1, rank == 0 ? 0 : rank - 1)]) / 1e3;
    };
    state.counters["p50_us"] = at(0.50);
    state.counters["p90_us"] = at(0.90);
    state.counters["p99_us"] = at(0.99);
    state.counters["p999_us"] = at(0.999);
    state.counters["max_us"] = static_cast<double>(ns_.back()) / 1e3;
    state.counters["samples"] = static_cast<double>(ns_.size());
  }

 private:
  std::vector<std::int64_t> ns_;
};

// measure() over `batch` (one batch of n round trips recording into
// `samples`), keeping only the timed batches' samples: measure()'s last call
// is its untimed pass with perf counters attached (dearer context switches).
template <class Batch>
void measure_latency(benchmark::State& state, std::size_t n, LatencySamples& samples, Batch&& batch) {
  std::size_t calls = 0;
  measure(state, n, [&] {
    ++calls;
    batch();
  });
  if (calls > 0) samples.keep_first((calls - 1) * n);
}

}  // namespace tpx::bench
