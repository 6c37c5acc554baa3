// submit_to_start/mutex_pool: the shared workload body (submit_to_start/workload.hpp) on MutexPool.
#include "common/registry.hpp"
#include "contenders/mutex_pool.hpp"
#include "submit_to_start/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(submit_to_start_mutex_pool) { register_submit_to_start<MutexPool>(); }
}  // namespace tpx::bench
