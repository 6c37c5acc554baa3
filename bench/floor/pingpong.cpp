// cacheline_pingpong/floor: two threads on two cores take turns writing one
// cache line (A writes odd numbers, B answers with the next even one), both
// spinning. One iteration = one round trip = the line crossing cores twice:
// the floor under any hand-off between threads that never sleep.
// Also p50_us ... max_us, samples per round trip (floor/percentiles.hpp).
#include <atomic>
#include <cstdint>
#include <thread>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/registry.hpp"
#include "floor/percentiles.hpp"
#include "floor/pinning.hpp"

namespace tpx::bench {
namespace {

void bm_cacheline_pingpong(benchmark::State& state) {
  const CpuPair cpus = first_two_cpus();
  if (!cpus.pinned()) {
    // Two spinning threads on one CPU measure the scheduler, not the line.
    state.SkipWithError("needs two allowed CPUs");
    for (auto _ : state) {
    }
    return;
  }
  struct alignas(64) Line {
    std::atomic<std::uint64_t> value{0};
  } line;
  constexpr std::uint64_t kStop = ~std::uint64_t{0};
  std::thread partner([&] {
    pin_thread(pthread_self(), cpus.b);
    std::uint64_t expect = 1;
    for (;;) {
      std::uint64_t v;
      // acquire/release: each side reads what the other wrote; the order
      // itself is not what is measured, the line transfer is.
      while ((v = line.value.load(std::memory_order_acquire)) != expect && v != kStop) {
      }
      if (v == kStop) return;
      line.value.store(expect + 1, std::memory_order_release);
      expect += 2;
    }
  });
  {
    ScopedPin pin(cpus.a);
    std::uint64_t next = 1;
    auto round_trip = [&] {
      line.value.store(next, std::memory_order_release);
      while (line.value.load(std::memory_order_acquire) != next + 1) {
      }
      next += 2;
    };
    measure(state, 1, round_trip);
    report_round_trip_percentiles(state, round_trip);
    line.value.store(kStop, std::memory_order_release);
  }
  partner.join();
  state.SetLabel(cpus.label());
}

}  // namespace

TPX_BENCH_REGISTER(cacheline_pingpong_floor) {
  benchmark::RegisterBenchmark("cacheline_pingpong/floor", bm_cacheline_pingpong)
      ->Unit(benchmark::kNanosecond)
      ->UseRealTime();
}

}  // namespace tpx::bench
