// work/mutex_pool: the shared workload body (work/workload.hpp) on MutexPool.
#include "common/registry.hpp"
#include "contenders/mutex_pool.hpp"
#include "work/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(work_mutex_pool) { register_work<MutexPool>(); }
}  // namespace tpx::bench
