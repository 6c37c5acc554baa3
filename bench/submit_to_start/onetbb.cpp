// submit_to_start/onetbb: the shared workload body (submit_to_start/workload.hpp) on OneTbb.
#include "common/registry.hpp"
#include "contenders/onetbb.hpp"
#include "submit_to_start/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(submit_to_start_onetbb) { register_submit_to_start<OneTbb>(); }
}  // namespace tpx::bench
