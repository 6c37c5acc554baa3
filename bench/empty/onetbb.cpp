// empty/onetbb: the shared workload body (empty/workload.hpp) on OneTbb.
#include "common/registry.hpp"
#include "contenders/onetbb.hpp"
#include "empty/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(empty_onetbb) { register_empty<OneTbb>(); }
}  // namespace tpx::bench
