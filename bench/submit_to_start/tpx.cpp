// submit_to_start/tpx: the shared workload body (submit_to_start/workload.hpp) on TpxPool.
#include "common/registry.hpp"
#include "contenders/tpx.hpp"
#include "submit_to_start/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(submit_to_start_tpx) { register_submit_to_start<TpxPool>(); }
}  // namespace tpx::bench
