// post_empty_producers: post_empty with P producer threads (argument
// "producers", also a counter) posting into one pool of the largest
// CPU-bound size: each posts its share of config().producers_tasks no-op tasks,
// each counting down one std::latch; the batch ends when the latch opens.
// Producers start before the measured region and are released together per
// batch (common/producers.hpp). Only contenders with a fire-and-forget path.
#pragma once

#include <algorithm>
#include <cstddef>
#include <latch>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/producers.hpp"
#include "common/register.hpp"
#include "contenders/contender.hpp"

namespace tpx::bench {

template <PostContender Pool>
void bm_post_empty_producers(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const int producers = static_cast<int>(state.range(1));
  const auto p = static_cast<std::size_t>(producers);
  const std::size_t share = std::max<std::size_t>(1, config().producers_tasks / p);
  const std::size_t n = share * p;
  Pool pool(static_cast<std::size_t>(threads));
  std::latch* done = nullptr;  // this batch's; set before crew.run() releases the producers
  Producers crew(producers, [&](int) {
    std::latch* d = done;
    for (std::size_t k = 0; k < share; ++k) pool.post([d] { d->count_down(); });
  });
  measure(state, n, [&] {
    std::latch batch_done(static_cast<std::ptrdiff_t>(n));
    done = &batch_done;
    crew.run();
    batch_done.wait();
  });
  label_pool<Pool>(state, pool, threads, n, n);
  state.counters["producers"] = producers;
}

template <PostContender Pool>
void register_post_empty_producers() {
  register_wall("post_empty_producers", Pool::kName, bm_post_empty_producers<Pool>)
      ->Apply(producers_args);
}

}  // namespace tpx::bench
