// empty/mutex_pool: the shared workload body (empty/workload.hpp) on MutexPool.
#include "common/registry.hpp"
#include "contenders/mutex_pool.hpp"
#include "empty/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(empty_mutex_pool) { register_empty<MutexPool>(); }
}  // namespace tpx::bench
