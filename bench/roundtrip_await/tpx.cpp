// roundtrip_await/tpx: roundtrip written with a coroutine: one coroutine
// returning tpx::Future<long> loops `sum += co_await ex.submit(task)` over
// config().latency_samples round trips, a sample from before each submit to
// after its value is in hand (steady_clock), on pools of
// config().latency_threads workers; the benchmark thread waits for the
// coroutine's own future. Percentiles as roundtrip's (common/latency.hpp).
// tpx only: no other contender's future can be awaited.
//
// What it measures differs from roundtrip (cold:0) in where the loop runs:
// the coroutine starts on the benchmark thread, but a co_await resumes it on
// the thread that completed the future, a worker; from then on each submit
// is a worker's (onto its own deque), and the worker that returns from the
// resumption runs the task next unless an idle worker steals it first. So
// this is the cost of a chain of awaits on a pool (a suspension, a task, a
// resumption), not of the cross-thread hand-off that result() waits for.
#include <tpx/tpx.hpp>

#include <cstdint>

#include "common/config.hpp"
#include "common/latency.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"
#include "common/registry.hpp"
#include "contenders/tpx.hpp"

namespace tpx::bench {
namespace {

// The caller keeps `ex` and `samples` alive until the returned future is
// done. Each record happens-before the next: the resumption that makes it
// follows the completion of a task submitted after the previous one.
tpx::Future<long> await_round_trips(tpx::ThreadPoolExecutor& ex, std::size_t n, LatencySamples& samples) {
  long sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t t0 = now_ns();
    sum += co_await ex.submit([] { return 1L; });
    samples.record(now_ns() - t0);
  }
  co_return sum;
}

void bm_roundtrip_await(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const std::size_t n = config().latency_samples;
  TpxPool pool(static_cast<std::size_t>(threads));
  LatencySamples samples(2 * n);
  bool wrong = false;
  measure_latency(state, n, samples, [&] {
    wrong |= await_round_trips(pool.executor(), n, samples).result() != static_cast<long>(n);
  });
  if (wrong) state.SkipWithError("wrong co_await sum");
  samples.report(state);
  label_pool<TpxPool>(state, pool, threads, n, n, "co_await in a coroutine returning tpx::Future");
}

}  // namespace

TPX_BENCH_REGISTER(roundtrip_await_tpx) {
  args_1(register_wall("roundtrip_await", TpxPool::kName, bm_roundtrip_await), "threads", config().latency_threads);
}

}  // namespace tpx::bench
