// fanout_fib/asio: submit-and-wait fib with the spawn-depth cut-off that
// keeps AsioPool from deadlocking (see fanout_fib/workload.hpp).
#include "common/registry.hpp"
#include "contenders/asio.hpp"
#include "fanout_fib/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(fanout_fib_asio) { register_fanout_fib<AsioPool>(bm_fanout_fib_cutoff<AsioPool>); }
}  // namespace tpx::bench
