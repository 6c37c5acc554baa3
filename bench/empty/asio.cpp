// empty/asio: the shared workload body (empty/workload.hpp) on AsioPool.
#include "common/registry.hpp"
#include "contenders/asio.hpp"
#include "empty/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(empty_asio) { register_empty<AsioPool>(); }
}  // namespace tpx::bench
