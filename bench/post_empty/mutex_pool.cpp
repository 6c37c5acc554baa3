// post_empty/mutex_pool: the shared workload body (post_empty/workload.hpp) on MutexPool.
#include "common/registry.hpp"
#include "contenders/mutex_pool.hpp"
#include "post_empty/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(post_empty_mutex_pool) { register_post_empty<MutexPool>(); }
}  // namespace tpx::bench
