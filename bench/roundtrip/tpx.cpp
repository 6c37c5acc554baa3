// roundtrip/tpx: the shared workload body (roundtrip/workload.hpp) on TpxPool.
#include "common/registry.hpp"
#include "contenders/tpx.hpp"
#include "roundtrip/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(roundtrip_tpx) { register_roundtrip<TpxPool>(); }
}  // namespace tpx::bench
