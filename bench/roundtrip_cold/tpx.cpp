// roundtrip_cold/tpx: the shared workload body (roundtrip_cold/workload.hpp) on TpxPool.
#include "common/registry.hpp"
#include "contenders/tpx.hpp"
#include "roundtrip_cold/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(roundtrip_cold_tpx) { register_roundtrip_cold<TpxPool>(); }
}  // namespace tpx::bench
