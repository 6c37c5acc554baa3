// roundtrip/std_async: the shared workload body (roundtrip/workload.hpp) on StdAsync.
#include "common/registry.hpp"
#include "contenders/std_async.hpp"
#include "roundtrip/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(roundtrip_std_async) { register_roundtrip<StdAsync>(); }
}  // namespace tpx::bench
