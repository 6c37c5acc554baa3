// sleep_1ms/mutex_pool: the shared workload body (sleep_1ms/workload.hpp) on MutexPool.
#include "common/registry.hpp"
#include "contenders/mutex_pool.hpp"
#include "sleep_1ms/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(sleep_1ms_mutex_pool) { register_sleep_1ms<MutexPool>(); }
}  // namespace tpx::bench
