// short_lived_producers: a pool fed by threads that come and go. Each
// producer is a new thread that submits config().short_lived_tasks no-op
// tasks with futures, waits for them, drops them and exits; the producers run
// one after another. Before the timed part, config().short_lived_warmup such
// threads (1,000 above smoke size) have already submitted, so the time is
// that of a pool which has seen that many threads come and go: a cost that
// grows with them (a queue keeping a producer per thread that ever enqueued,
// as moodycamel's implicit producers are never freed) shows here and not in
// empty. Counter threads_seen: threads that had submitted when the timed
// part ended.
//
// Timing (manual): only each thread's submit + wait + release of its futures,
// measured inside the thread and summed; the thread's creation and join are
// not in the time, and are reported apart as spawn_us (per thread, the
// calling thread's wall time around create + join minus the timed part).
// Time per task is the summed time over the tasks (KeepRunningBatch of one
// thread's tasks). A fixed iteration count (short_lived_threads threads per
// repetition), so that the warm-up runs once per repetition rather than once
// per Google Benchmark trial; tasks_per_s is over the timed part.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/producers.hpp"
#include "common/register.hpp"
#include "contenders/contender.hpp"
#include "tpx_perf/counters.hpp"

namespace tpx::bench {

template <Contender Pool>
void bm_short_lived_producers(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const std::size_t wanted = config().short_lived_tasks;
  const std::size_t per = task_count<Pool>(wanted);
  Pool pool(static_cast<std::size_t>(threads));
  using Future = decltype(pool.submit([] {}));
  std::size_t seen = 0;
  // One short-lived producer; returns the ns of its timed part.
  auto producer = [&]() -> std::int64_t {
    std::int64_t ns = 0;
    std::thread t([&] {
      std::vector<Future> futures;
      futures.reserve(per);
      const auto t0 = now_ns();
      for (std::size_t k = 0; k < per; ++k) futures.push_back(pool.submit([] {}));
      Pool::wait_all(futures);
      futures.clear();
      ns = now_ns() - t0;
    });
    t.join();  // ns is written before the thread ends: join orders it
    ++seen;
    return ns;
  };
  for (std::size_t i = 0; i < config().short_lived_warmup; ++i) producer();

  std::int64_t timed_ns = 0;
  std::int64_t spawn_ns = 0;
  std::size_t timed_threads = 0;
  while (state.KeepRunningBatch(static_cast<benchmark::IterationCount>(per))) {
    const auto w0 = now_ns();
    const auto ns = producer();
    spawn_ns += now_ns() - w0 - ns;
    timed_ns += ns;
    ++timed_threads;
    state.SetIterationTime(static_cast<double>(ns) * 1e-9);
  }
  const std::size_t threads_seen = seen;

  // Per-task perf counters over a few more producers, untimed (as measure()
  // does; the threads are created inside the region, so inherited).
  if (timed_threads > 0) {
    const std::size_t extra = std::min<std::size_t>(timed_threads, 64);
    tpx::perf::Region region;
    region.start();
    for (std::size_t i = 0; i < extra; ++i) producer();
    const auto readings = region.stop();
    report_perf(state, readings, static_cast<double>(extra * per));
  }
  state.counters["tasks"] = static_cast<double>(per);
  if (timed_ns > 0) state.counters["tasks_per_s"] = static_cast<double>(timed_threads * per) * 1e9 / static_cast<double>(timed_ns);
  state.counters["threads_seen"] = static_cast<double>(threads_seen);
  if (timed_threads > 0) state.counters["spawn_us"] = static_cast<double>(spawn_ns) / 1e3 / static_cast<double>(timed_threads);
  label_pool<Pool>(state, pool, threads, per, wanted);
}

template <Contender Pool>
void register_short_lived_producers() {
  const auto per = static_cast<benchmark::IterationCount>(task_count<Pool>(config().short_lived_tasks));
  // Manual time instead of register_wall's real time (Google Benchmark takes one or the other).
  const std::string name = std::string("short_lived_producers/") + Pool::kName;
  benchmark::RegisterBenchmark(name.c_str(), bm_short_lived_producers<Pool>)
      ->UseManualTime()
      ->Unit(benchmark::kNanosecond)
      ->Iterations(per * static_cast<benchmark::IterationCount>(config().short_lived_threads))
      ->ArgName("threads")
      ->Arg(producers_pool_threads());
}

}  // namespace tpx::bench
