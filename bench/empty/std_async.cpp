// empty/std_async: the shared workload body (empty/workload.hpp) on StdAsync.
#include "common/registry.hpp"
#include "contenders/std_async.hpp"
#include "empty/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(empty_std_async) { register_empty<StdAsync>(); }
}  // namespace tpx::bench
