// work/std_async: the shared workload body (work/workload.hpp) on StdAsync.
#include "common/registry.hpp"
#include "contenders/std_async.hpp"
#include "work/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(work_std_async) { register_work<StdAsync>(); }
}  // namespace tpx::bench
