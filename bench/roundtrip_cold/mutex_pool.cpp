// roundtrip_cold/mutex_pool: the shared workload body (roundtrip_cold/workload.hpp) on MutexPool.
#include "common/registry.hpp"
#include "contenders/mutex_pool.hpp"
#include "roundtrip_cold/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(roundtrip_cold_mutex_pool) { register_roundtrip_cold<MutexPool>(); }
}  // namespace tpx::bench
