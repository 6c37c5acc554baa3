// roundtrip_cold: roundtrip (submit one tiny task returning 1, wait for its
// result; one sample from before submit to after the result is in hand,
// steady_clock) against a pool whose workers have gone to sleep: before each
// request the submitter sleeps 1 ms (std::this_thread::sleep_for, outside the
// sample), long enough for every worker to give up spinning and park, so
// every sample pays for waking one. roundtrip measures the warm case, where
// back-to-back requests may find a worker still spinning.
// config().cold_samples samples per batch (smoke 20, quick 100, default 500,
// full 800: at about 1.1 ms per request a full-profile repetition is about
// 0.9 s), on pools of config().latency_threads workers. Percentile counters
// p50_us ... max_us, samples (common/latency.hpp) over the timed batches only.
// real_time includes the sleeps, so it is not this workload's figure: the
// percentiles are.
#pragma once

#include <chrono>
#include <thread>

#include "common/config.hpp"
#include "common/latency.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"

namespace tpx::bench {

template <class Pool>
void bm_roundtrip_cold(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  // No cap for std_async here: one thread at a time, each joined by get().
  const std::size_t n = config().cold_samples;
  Pool pool(static_cast<std::size_t>(threads));
  LatencySamples samples(2 * n);
  long sink = 0;
  measure_latency(state, n, samples, [&] {
    for (std::size_t i = 0; i < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      const auto t0 = now_ns();
      auto f = pool.submit([] { return 1L; });
      sink += Pool::get(f);
      samples.record(now_ns() - t0);
    }
  });
  benchmark::DoNotOptimize(sink);
  samples.report(state);
  label_pool<Pool>(state, threads, n, n, "1 ms sleep before each request");
}

template <class Pool>
void register_roundtrip_cold() {
  args_1(register_wall("roundtrip_cold", Pool::kName, bm_roundtrip_cold<Pool>), "threads", config().latency_threads);
}

}  // namespace tpx::bench
