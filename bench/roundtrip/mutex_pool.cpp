// roundtrip/mutex_pool: the shared workload body (roundtrip/workload.hpp) on MutexPool.
#include "common/registry.hpp"
#include "contenders/mutex_pool.hpp"
#include "roundtrip/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(roundtrip_mutex_pool) { register_roundtrip<MutexPool>(); }
}  // namespace tpx::bench
