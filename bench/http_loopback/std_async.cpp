// http_loopback/std_async: the shared workload body (http_loopback/workload.hpp) on StdAsync.
#include "common/registry.hpp"
#include "contenders/std_async.hpp"
#include "http_loopback/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(http_loopback_std_async) { register_http_loopback<StdAsync>(); }
}  // namespace tpx::bench
