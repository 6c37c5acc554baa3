// http_loopback/mutex_pool: the shared workload body (http_loopback/workload.hpp) on MutexPool.
#include "common/registry.hpp"
#include "contenders/mutex_pool.hpp"
#include "http_loopback/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(http_loopback_mutex_pool) { register_http_loopback<MutexPool>(); }
}  // namespace tpx::bench
