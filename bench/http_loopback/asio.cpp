// http_loopback/asio: the shared workload body (http_loopback/workload.hpp) on AsioPool.
#include "common/registry.hpp"
#include "contenders/asio.hpp"
#include "http_loopback/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(http_loopback_asio) { register_http_loopback<AsioPool>(); }
}  // namespace tpx::bench
