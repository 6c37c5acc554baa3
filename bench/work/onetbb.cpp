// work/onetbb: the shared workload body (work/workload.hpp) on OneTbb.
#include "common/registry.hpp"
#include "contenders/onetbb.hpp"
#include "work/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(work_onetbb) { register_work<OneTbb>(); }
}  // namespace tpx::bench
