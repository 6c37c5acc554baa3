// post_empty/asio: the shared workload body (post_empty/workload.hpp) on AsioPool.
#include "common/registry.hpp"
#include "contenders/asio.hpp"
#include "post_empty/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(post_empty_asio) { register_post_empty<AsioPool>(); }
}  // namespace tpx::bench
