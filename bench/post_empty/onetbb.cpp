// post_empty/onetbb: the shared workload body (post_empty/workload.hpp) on OneTbb.
#include "common/registry.hpp"
#include "contenders/onetbb.hpp"
#include "post_empty/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(post_empty_onetbb) { register_post_empty<OneTbb>(); }
}  // namespace tpx::bench
