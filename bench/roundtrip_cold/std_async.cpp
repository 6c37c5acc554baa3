// roundtrip_cold/std_async: the shared workload body (roundtrip_cold/workload.hpp) on StdAsync.
#include "common/registry.hpp"
#include "contenders/std_async.hpp"
#include "roundtrip_cold/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(roundtrip_cold_std_async) { register_roundtrip_cold<StdAsync>(); }
}  // namespace tpx::bench
