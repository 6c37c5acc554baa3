// map/mutex_pool: MutexPool has no map: a task per chunk (map/workload.hpp).
#include "common/registry.hpp"
#include "contenders/mutex_pool.hpp"
#include "map/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(map_mutex_pool) {
  register_map<MutexPool>([](benchmark::State& s) { run_map<MutexPool>(s, map_by_chunks<MutexPool>); });
}
}  // namespace tpx::bench
