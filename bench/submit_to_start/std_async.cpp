// submit_to_start/std_async: the shared workload body (submit_to_start/workload.hpp) on StdAsync.
#include "common/registry.hpp"
#include "contenders/std_async.hpp"
#include "submit_to_start/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(submit_to_start_std_async) { register_submit_to_start<StdAsync>(); }
}  // namespace tpx::bench
