// fanout_fib/tpx: every call submits, no cut-off: result() called from a
// worker runs queued tasks while it waits, so nested waits cannot deadlock.
#include "common/registry.hpp"
#include "contenders/tpx.hpp"
#include "fanout_fib/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(fanout_fib_tpx) { register_fanout_fib<TpxPool>(bm_fanout_fib_full<TpxPool>); }
}  // namespace tpx::bench
