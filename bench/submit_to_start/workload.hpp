// submit_to_start: like roundtrip, but the sample is from just before submit
// to the first instruction of the task (it reads steady_clock and returns the
// reading through its future); the submitter waits for each task before the
// next, so the queue is empty at every submit and the figure is the wake-up
// and dispatch latency of an idle pool.
#pragma once

#include <cstdint>

#include "common/config.hpp"
#include "common/latency.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"
#include "contenders/contender.hpp"

namespace tpx::bench {

template <Contender Pool>
void bm_submit_to_start(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  // No cap for std_async here: one thread at a time, each joined by get().
  const std::size_t wanted = config().latency_samples;
  const std::size_t n = wanted;
  Pool pool(static_cast<std::size_t>(threads));
  LatencySamples samples(2 * n);
  measure_latency(state, n, samples, [&] {
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t t0 = now_ns();
      auto f = pool.submit([] { return now_ns(); });
      const std::int64_t started = Pool::get(f);
      samples.record(started - t0);
    }
  });
  samples.report(state);
  label_pool<Pool>(state, pool, threads, n, wanted);
}

template <Contender Pool>
void register_submit_to_start() {
  args_1(register_wall("submit_to_start", Pool::kName, bm_submit_to_start<Pool>), "threads", config().latency_threads);
}

}  // namespace tpx::bench
