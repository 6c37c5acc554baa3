// http_loopback/tpx: the shared workload body (http_loopback/workload.hpp) on TpxPool.
#include "common/registry.hpp"
#include "contenders/tpx.hpp"
#include "http_loopback/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(http_loopback_tpx) { register_http_loopback<TpxPool>(); }
}  // namespace tpx::bench
