// post_empty: config().empty_tasks no-op fire-and-forget tasks (no future);
// each counts down one std::latch, and the batch ends when the latch opens.
// Only contenders with a fire-and-forget path (not std_async).
#pragma once

#include <latch>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"
#include "contenders/contender.hpp"

namespace tpx::bench {

template <PostContender Pool>
void bm_post_empty(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const std::size_t n = config().empty_tasks;
  Pool pool(static_cast<std::size_t>(threads));
  measure(state, n, [&] {
    std::latch done(static_cast<std::ptrdiff_t>(n));
    for (std::size_t i = 0; i < n; ++i) pool.post([&done] { done.count_down(); });
    done.wait();
  });
  label_pool<Pool>(state, pool, threads, n, n);
}

template <PostContender Pool>
void register_post_empty() {
  args_1(register_wall("post_empty", Pool::kName, bm_post_empty<Pool>), "threads", config().cpu_threads);
}

}  // namespace tpx::bench
