// roundtrip/onetbb: the shared workload body (roundtrip/workload.hpp) on OneTbb.
#include "common/registry.hpp"
#include "contenders/onetbb.hpp"
#include "roundtrip/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(roundtrip_onetbb) { register_roundtrip<OneTbb>(); }
}  // namespace tpx::bench
