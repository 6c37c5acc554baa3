// sleep_1ms/asio: the shared workload body (sleep_1ms/workload.hpp) on AsioPool.
#include "common/registry.hpp"
#include "contenders/asio.hpp"
#include "sleep_1ms/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(sleep_1ms_asio) { register_sleep_1ms<AsioPool>(); }
}  // namespace tpx::bench
