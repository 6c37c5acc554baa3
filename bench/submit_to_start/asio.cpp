// submit_to_start/asio: the shared workload body (submit_to_start/workload.hpp) on AsioPool.
#include "common/registry.hpp"
#include "contenders/asio.hpp"
#include "submit_to_start/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(submit_to_start_asio) { register_submit_to_start<AsioPool>(); }
}  // namespace tpx::bench
