// roundtrip: submit one tiny task (returns 1), wait for its result, repeat;
// one sample per round trip, from before submit to after the result is in
// hand (steady_clock), config().latency_samples samples per batch on a pool
// of <allowed CPUs> workers. Percentile counters p50_us ... max_us over every
// sample of the run (common/latency.hpp).
#pragma once

#include "common/config.hpp"
#include "common/latency.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"

namespace tpx::bench {

template <class Pool>
void bm_roundtrip(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  // No cap for std_async here: one thread at a time, each joined by get().
  const std::size_t wanted = config().latency_samples;
  const std::size_t n = wanted;
  Pool pool(static_cast<std::size_t>(threads));
  LatencySamples samples(2 * n);
  long sink = 0;
  measure_latency(state, n, samples, [&] {
    for (std::size_t i = 0; i < n; ++i) {
      const auto t0 = now_ns();
      auto f = pool.submit([] { return 1L; });
      sink += Pool::get(f);
      samples.record(now_ns() - t0);
    }
  });
  benchmark::DoNotOptimize(sink);
  samples.report(state);
  label_pool<Pool>(state, threads, n, wanted);
}

template <class Pool>
void register_roundtrip() {
  args_1(register_wall("roundtrip", Pool::kName, bm_roundtrip<Pool>), "threads", config().latency_threads);
}

}  // namespace tpx::bench
