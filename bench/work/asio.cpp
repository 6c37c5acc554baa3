// work/asio: the shared workload body (work/workload.hpp) on AsioPool.
#include "common/registry.hpp"
#include "contenders/asio.hpp"
#include "work/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(work_asio) { register_work<AsioPool>(); }
}  // namespace tpx::bench
