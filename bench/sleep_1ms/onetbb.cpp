// sleep_1ms/onetbb: the shared workload body (sleep_1ms/workload.hpp) on OneTbb.
#include "common/registry.hpp"
#include "contenders/onetbb.hpp"
#include "sleep_1ms/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(sleep_1ms_onetbb) { register_sleep_1ms<OneTbb>(); }
}  // namespace tpx::bench
