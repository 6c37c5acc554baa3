// sleep_1ms: config().sleep_tasks tasks each sleeping 1 ms, on pools of 16,
// 64 and 256 workers; futures, then wait all. Figure: vs_ideal = wall /
// (ceil(tasks / workers) x 1 ms), 1.0 being perfect overlap. wall_ms is that
// wall time of one batch in ms, to be read against
// sleep_floor/floor/rounds:<ideal_ms> (bench_floor), the same number of 1 ms
// sleeps back to back on one thread: a sleep overshoots its 1 ms, so vs_ideal
// cannot reach 1.0 and the floor row says how close a pool can get.
#pragma once

#include <chrono>
#include <thread>
#include <vector>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"
#include "contenders/contender.hpp"

namespace tpx::bench {

template <Contender Pool>
void bm_sleep_1ms(benchmark::State& state) {
  const int workers = static_cast<int>(state.range(0));
  const std::size_t wanted = config().sleep_tasks;
  const std::size_t n = task_count<Pool>(wanted);
  Pool pool(static_cast<std::size_t>(workers));
  auto task = [] { std::this_thread::sleep_for(std::chrono::milliseconds(1)); };
  using Future = decltype(pool.submit(task));
  std::vector<Future> futures;
  futures.reserve(n);
  const double wall = measure(state, n, [&] {
    futures.clear();
    for (std::size_t i = 0; i < n; ++i) futures.push_back(pool.submit(task));
    Pool::wait_all(futures);
  });
  const double rounds = static_cast<double>((n + static_cast<std::size_t>(workers) - 1) / static_cast<std::size_t>(workers));
  state.counters["ideal_ms"] = rounds;
  state.counters["vs_ideal"] = wall / (rounds * 1e6);
  state.counters["wall_ms"] = wall / 1e6;
  label_pool<Pool>(state, pool, workers, n, wanted);
}

template <Contender Pool>
void register_sleep_1ms() {
  args_1(register_wall("sleep_1ms", Pool::kName, bm_sleep_1ms<Pool>), "workers", config().sleep_workers);
}

}  // namespace tpx::bench
