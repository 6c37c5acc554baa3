// roundtrip: submit one tiny task (returns 1), wait for its result, repeat;
// one sample per round trip, from before submit to after the result is in
// hand (steady_clock), on pools of config().latency_threads workers.
// Percentile counters p50_us ... max_us, samples over every sample of the
// timed batches (common/latency.hpp). The argument `cold`:
//   cold:0  back to back: config().latency_samples samples per batch; a
//           request may find a worker still spinning from the last one.
//   cold:1  before each request the submitter sleeps 1 ms
//           (std::this_thread::sleep_for, outside the sample), long enough
//           for every worker to give up spinning and park, so every sample
//           pays for waking one. config().cold_samples samples per batch
//           (smoke 20, quick 100, default 500, full 800: at about 1.1 ms per
//           request a full-profile repetition is about 0.9 s). real_time
//           includes the sleeps, so it is not this row's figure: the
//           percentiles are.
#pragma once

#include <chrono>
#include <thread>
#include <type_traits>

#include "common/config.hpp"
#include "common/latency.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"
#include "contenders/contender.hpp"

namespace tpx::bench {

template <Contender Pool>
void bm_roundtrip(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const bool cold = state.range(1) != 0;
  // No cap for std_async here: one thread at a time, each joined by get().
  const std::size_t n = cold ? config().cold_samples : config().latency_samples;
  Pool pool(static_cast<std::size_t>(threads));
  LatencySamples samples(2 * n);
  long sink = 0;
  // The sleep is decided at compile time: the back-to-back loop stays as
  // tight as a loop without the argument.
  auto run = [&](auto sleep_first) {
    measure_latency(state, n, samples, [&] {
      for (std::size_t i = 0; i < n; ++i) {
        if constexpr (decltype(sleep_first)::value) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        const auto t0 = now_ns();
        auto f = pool.submit([] { return 1L; });
        sink += Pool::get(f);
        samples.record(now_ns() - t0);
      }
    });
  };
  if (cold) {
    run(std::true_type{});
  } else {
    run(std::false_type{});
  }
  benchmark::DoNotOptimize(sink);
  samples.report(state);
  label_pool<Pool>(state, pool, threads, n, n, cold ? "1 ms sleep before each request" : "");
}

template <Contender Pool>
void register_roundtrip() {
  auto* b = register_wall("roundtrip", Pool::kName, bm_roundtrip<Pool>);
  b->ArgNames({"threads", "cold"});
  for (int cold : {0, 1})
    for (int t : config().latency_threads) b->Args({t, cold});
}

}  // namespace tpx::bench
