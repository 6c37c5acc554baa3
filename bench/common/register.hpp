// Registration helper: "<workload>/<contender>" with named integer arguments,
// wall-clock timing.
#pragma once

#include <benchmark/benchmark.h>

#include <string>
#include <utility>
#include <vector>

#include "common/measure.hpp"

namespace tpx::bench {

template <class Fn>
benchmark::internal::Benchmark* register_wall(const std::string& workload, const char* contender, Fn&& fn,
                                              benchmark::TimeUnit unit = benchmark::kNanosecond) {
  const std::string name = workload + "/" + contender;
  return wall_benchmark(benchmark::RegisterBenchmark(name.c_str(), std::forward<Fn>(fn)), unit);
}

// One benchmark per value of a single named argument.
inline void args_1(benchmark::internal::Benchmark* b, const char* name, const std::vector<int>& values) {
  b->ArgName(name);
  for (int v : values) b->Arg(v);
}

}  // namespace tpx::bench
