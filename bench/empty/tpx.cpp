// empty/tpx: the shared workload body (empty/workload.hpp) on TpxPool.
#include "common/registry.hpp"
#include "contenders/tpx.hpp"
#include "empty/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(empty_tpx) { register_empty<TpxPool>(); }
}  // namespace tpx::bench
