// sleep_floor/floor/rounds:R: R consecutive std::this_thread::sleep_for(1 ms)
// on the benchmark thread. sleep_1ms's ideal_ms counts each of a worker's
// rounds as exactly 1 ms, but the kernel wakes a sleeper late (timer slack,
// scheduling; tens of us a sleep, more on a VM), so no pool reaches it; this
// row is the practical floor: what the same number of back-to-back sleeps
// cost with no pool at all. One instance per distinct
// R = ceil(config().sleep_tasks / W) over W in config().sleep_workers, the
// rounds of each sleep_1ms row (full profile: 1000 tasks on 16, 64, 256
// workers: rounds 63, 16, 4). Counter wall_ms: wall time of one iteration
// (the R sleeps) in ms, one value per repetition, so its median compares
// with sleep_1ms's wall_ms.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/registry.hpp"

namespace tpx::bench {
namespace {

void bm_sleep_floor(benchmark::State& state) {
  const auto rounds = state.range(0);
  const double wall = measure(state, 1, [&] {
    for (std::int64_t i = 0; i < rounds; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  state.counters["wall_ms"] = wall / 1e6;
}

}  // namespace

TPX_BENCH_REGISTER(sleep_floor_floor) {
  auto* b = benchmark::RegisterBenchmark("sleep_floor/floor", bm_sleep_floor)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime()
                ->ArgName("rounds");
  std::vector<std::int64_t> done;
  const auto tasks = static_cast<std::int64_t>(config().sleep_tasks);
  for (int w : config().sleep_workers) {
    if (w <= 0) continue;
    const std::int64_t rounds = (tasks + w - 1) / w;
    if (std::find(done.begin(), done.end(), rounds) != done.end()) continue;
    done.push_back(rounds);
    b->Arg(rounds);
  }
}

}  // namespace tpx::bench
