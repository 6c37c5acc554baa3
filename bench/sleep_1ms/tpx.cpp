// sleep_1ms/tpx: the shared workload body (sleep_1ms/workload.hpp) on TpxPool.
#include "common/registry.hpp"
#include "contenders/tpx.hpp"
#include "sleep_1ms/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(sleep_1ms_tpx) { register_sleep_1ms<TpxPool>(); }
}  // namespace tpx::bench
