// sleep_1ms/std_async: the shared workload body (sleep_1ms/workload.hpp) on StdAsync.
#include "common/registry.hpp"
#include "contenders/std_async.hpp"
#include "sleep_1ms/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(sleep_1ms_std_async) { register_sleep_1ms<StdAsync>(); }
}  // namespace tpx::bench
