// post_empty/tpx: the shared workload body (post_empty/workload.hpp) on TpxPool.
#include "common/registry.hpp"
#include "contenders/tpx.hpp"
#include "post_empty/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(post_empty_tpx) { register_post_empty<TpxPool>(); }
}  // namespace tpx::bench
