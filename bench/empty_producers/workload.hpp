// empty_producers: empty with P producer threads (argument "producers", also
// a counter) submitting into one pool of the largest CPU-bound size. Each
// producer submits its share of config().producers_tasks no-op tasks, each with a
// future, into a vector of its own; then the calling thread waits for all of
// them, as empty does, so the producers:1 row is empty plus one thread
// hand-off per batch and the other rows differ only in who submits.
// Producers start before the measured region and are released together per
// batch (common/producers.hpp). Figure: tasks_per_s (and time per task).
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/producers.hpp"
#include "common/register.hpp"
#include "contenders/contender.hpp"

namespace tpx::bench {

template <Contender Pool>
void bm_empty_producers(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const int producers = static_cast<int>(state.range(1));
  const auto p = static_cast<std::size_t>(producers);
  const std::size_t wanted = config().producers_tasks;
  const std::size_t share = std::max<std::size_t>(1, task_count<Pool>(wanted) / p);
  const std::size_t n = share * p;
  Pool pool(static_cast<std::size_t>(threads));
  using Future = decltype(pool.submit([] {}));
  std::vector<std::vector<Future>> futures(p);
  for (auto& f : futures) f.reserve(share);
  Producers crew(producers, [&](int i) {
    auto& mine = futures[static_cast<std::size_t>(i)];
    mine.clear();  // the last batch's futures, released by their producer as empty releases them
    for (std::size_t k = 0; k < share; ++k) mine.push_back(pool.submit([] {}));
  });
  measure(state, n, [&] {
    crew.run();
    for (auto& f : futures) Pool::wait_all(f);
  });
  label_pool<Pool>(state, pool, threads, n, wanted);
  state.counters["producers"] = producers;
}

template <Contender Pool>
void register_empty_producers() {
  register_wall("empty_producers", Pool::kName, bm_empty_producers<Pool>)
      ->Apply(producers_args);
}

}  // namespace tpx::bench
