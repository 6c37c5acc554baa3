// map/std_async: StdAsync has no map: a task per chunk (map/workload.hpp).
#include "common/registry.hpp"
#include "contenders/std_async.hpp"
#include "map/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(map_std_async) {
  register_map<StdAsync>([](benchmark::State& s) { run_map<StdAsync>(s, map_by_chunks<StdAsync>); });
}
}  // namespace tpx::bench
