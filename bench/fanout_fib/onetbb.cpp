// fanout_fib/onetbb: the TBB idiom for the same recursion: a task_group per
// call runs fib(n-1), the caller computes fib(n-2), then task_group::wait
// (which executes tasks while waiting), all inside the pool's arena. Every
// call spawns, no cut-off.
#include <oneapi/tbb/task_group.h>

#include "common/registry.hpp"
#include "contenders/onetbb.hpp"
#include "fanout_fib/workload.hpp"

namespace tpx::bench {
namespace {

std::int64_t fib_task_group(int n) {
  if (n < 2) return n;
  std::int64_t left = 0;
  tbb::task_group group;
  group.run([&left, n] { left = fib_task_group(n - 1); });
  const std::int64_t right = fib_task_group(n - 2);
  group.wait();
  return left + right;
}

void bm_fanout_fib_onetbb(benchmark::State& state) {
  run_fib<OneTbb>(state, kNoCutoff, "no cut-off (task_group)", [](OneTbb& pool, int n) {
    std::int64_t r = 0;
    pool.arena().execute([&] { r = fib_task_group(n); });
    return r;
  });
}

}  // namespace

TPX_BENCH_REGISTER(fanout_fib_onetbb) { register_fanout_fib_with<OneTbb>(bm_fanout_fib_onetbb); }
}  // namespace tpx::bench
