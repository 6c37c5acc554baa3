// map/asio: AsioPool has no map: a task per chunk (map/workload.hpp).
#include "common/registry.hpp"
#include "contenders/asio.hpp"
#include "map/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(map_asio) {
  register_map<AsioPool>([](benchmark::State& s) { run_map<AsioPool>(s, map_by_chunks<AsioPool>); });
}
}  // namespace tpx::bench
