// roundtrip/asio: the shared workload body (roundtrip/workload.hpp) on AsioPool.
#include "common/registry.hpp"
#include "contenders/asio.hpp"
#include "roundtrip/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(roundtrip_asio) { register_roundtrip<AsioPool>(); }
}  // namespace tpx::bench
