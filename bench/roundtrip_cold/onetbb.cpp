// roundtrip_cold/onetbb: the shared workload body (roundtrip_cold/workload.hpp) on OneTbb.
#include "common/registry.hpp"
#include "contenders/onetbb.hpp"
#include "roundtrip_cold/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(roundtrip_cold_onetbb) { register_roundtrip_cold<OneTbb>(); }
}  // namespace tpx::bench
