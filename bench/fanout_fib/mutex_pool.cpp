// fanout_fib/mutex_pool: submit-and-wait fib with the spawn-depth cut-off that
// keeps MutexPool from deadlocking (see fanout_fib/workload.hpp).
#include "common/registry.hpp"
#include "contenders/mutex_pool.hpp"
#include "fanout_fib/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(fanout_fib_mutex_pool) { register_fanout_fib<MutexPool>(bm_fanout_fib_cutoff<MutexPool>); }
}  // namespace tpx::bench
