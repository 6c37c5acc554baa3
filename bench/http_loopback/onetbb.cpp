// http_loopback/onetbb: the shared workload body (http_loopback/workload.hpp) on OneTbb.
#include "common/registry.hpp"
#include "contenders/onetbb.hpp"
#include "http_loopback/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(http_loopback_onetbb) { register_http_loopback<OneTbb>(); }
}  // namespace tpx::bench
