// roundtrip_cold/asio: the shared workload body (roundtrip_cold/workload.hpp) on AsioPool.
#include "common/registry.hpp"
#include "contenders/asio.hpp"
#include "roundtrip_cold/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(roundtrip_cold_asio) { register_roundtrip_cold<AsioPool>(); }
}  // namespace tpx::bench
