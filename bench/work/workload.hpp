// work_1us, work_10us, work_100us: tasks of calibrated arithmetic
// (work/work.hpp), config().work_total_ms of serial work per batch, each
// task returning its result through a future. Figures: tasks_per_s, and
// efficiency = serial time / (parallelism x wall time), where serial time is
// the same tasks run inline on the calling thread (measured once per size)
// and parallelism = min(threads, allowed CPUs) (allowed CPUs for std_async).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"
#include "contenders/contender.hpp"
#include "work/work.hpp"

namespace tpx::bench {

struct WorkSize {
  std::size_t tasks;
  std::uint64_t iterations;  // spin_work iterations per task
};

inline WorkSize work_size(int us) {
  const auto tasks = static_cast<std::size_t>(std::max(1.0, config().work_total_ms * 1000.0 / us));
  const auto iters = static_cast<std::uint64_t>(spin_iterations_per_us() * us);
  return {tasks, iters};
}

// ns for `tasks` tasks run inline; measured once per size (median of 3).
inline double serial_ns(std::size_t tasks, std::uint64_t iterations) {
  static std::mutex m;
  static std::map<std::pair<std::size_t, std::uint64_t>, double> cache;
  std::lock_guard lock(m);
  auto [it, fresh] = cache.try_emplace({tasks, iterations}, 0.0);
  if (fresh) {
    std::vector<double> runs;
    for (int r = 0; r < 3; ++r) {
      const auto t0 = now_ns();
      std::uint64_t sink = 0;
      for (std::size_t i = 0; i < tasks; ++i) sink += spin_work(iterations);
      benchmark::DoNotOptimize(sink);
      runs.push_back(static_cast<double>(now_ns() - t0));
    }
    std::sort(runs.begin(), runs.end());
    it->second = runs[1];
  }
  return it->second;
}

template <Contender Pool>
void bm_work(benchmark::State& state, int us) {
  const int threads = static_cast<int>(state.range(0));
  const WorkSize size = work_size(us);
  const std::size_t n = task_count<Pool>(size.tasks);
  const double serial = serial_ns(n, size.iterations);
  Pool pool(static_cast<std::size_t>(threads));
  const std::uint64_t iters = size.iterations;
  using Future = decltype(pool.submit([iters] { return spin_work(iters); }));
  std::vector<Future> futures;
  futures.reserve(n);
  std::uint64_t sink = 0;
  const double wall = measure(state, n, [&] {
    futures.clear();
    for (std::size_t i = 0; i < n; ++i) futures.push_back(pool.submit([iters] { return spin_work(iters); }));
    for (auto& f : futures) sink += Pool::get(f);
  });
  benchmark::DoNotOptimize(sink);
  const double cpus = static_cast<double>(config().allowed_cpus);
  const double parallelism = Pool::kThreadPerTask ? cpus : std::min<double>(threads, cpus);
  const double wall_per_batch = wall;
  state.counters["efficiency"] = serial / (parallelism * wall_per_batch);
  state.counters["speedup"] = serial / wall_per_batch;
  label_pool<Pool>(state, pool, threads, n, size.tasks);
}

template <Contender Pool>
void register_work() {
  for (int us : {1, 10, 100}) {
    auto* b = register_wall("work_" + std::to_string(us) + "us", Pool::kName,
                            [us](benchmark::State& s) { bm_work<Pool>(s, us); });
    args_1(b, "threads", config().cpu_threads);
  }
}

}  // namespace tpx::bench
