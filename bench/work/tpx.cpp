// work/tpx: the shared workload body (work/workload.hpp) on TpxPool.
#include "common/registry.hpp"
#include "contenders/tpx.hpp"
#include "work/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(work_tpx) { register_work<TpxPool>(); }
}  // namespace tpx::bench
