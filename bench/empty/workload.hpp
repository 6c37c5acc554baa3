// empty: config().empty_tasks no-op tasks, each with a future; then wait for
// all. Figure: tasks_per_s (and time per batch).
#pragma once

#include <vector>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"
#include "contenders/contender.hpp"

namespace tpx::bench {

template <Contender Pool>
void bm_empty(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const std::size_t wanted = config().empty_tasks;
  const std::size_t n = task_count<Pool>(wanted);
  Pool pool(static_cast<std::size_t>(threads));
  using Future = decltype(pool.submit([] {}));
  std::vector<Future> futures;
  futures.reserve(n);
  measure(state, n, [&] {
    futures.clear();
    for (std::size_t i = 0; i < n; ++i) futures.push_back(pool.submit([] {}));
    Pool::wait_all(futures);
  });
  label_pool<Pool>(state, pool, threads, n, wanted);
}

template <Contender Pool>
void register_empty() {
  args_1(register_wall("empty", Pool::kName, bm_empty<Pool>), "threads", config().cpu_threads);
}

}  // namespace tpx::bench
