// Calibrated arithmetic: spin_work(n) does n dependent multiply-adds, with no
// memory traffic, so N microseconds of it are N microseconds of one core.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>

namespace tpx::bench {

inline std::uint64_t spin_work(std::uint64_t iterations) {
  std::uint64_t x = iterations | 1;
  for (std::uint64_t i = 0; i < iterations; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;  // LCG step: a serial dependency chain
    benchmark::DoNotOptimize(x);
  }
  return x;
}

// Iterations of spin_work per microsecond on this machine (median of a few
// measurements; computed once).
double spin_iterations_per_us();

}  // namespace tpx::bench
