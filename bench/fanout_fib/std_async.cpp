// fanout_fib/std_async: submit-and-wait fib with the spawn-depth cut-off that
// keeps StdAsync from deadlocking (see fanout_fib/workload.hpp).
#include "common/registry.hpp"
#include "contenders/std_async.hpp"
#include "fanout_fib/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(fanout_fib_std_async) { register_fanout_fib<StdAsync>(bm_fanout_fib_cutoff<StdAsync>); }
}  // namespace tpx::bench
