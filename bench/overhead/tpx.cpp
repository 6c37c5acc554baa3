// overhead/tpx: what issue 8's absolute targets ask of tpx, measured:
//   alloc_post     heap allocations per post() of a 24-byte callable (target 0)
//   alloc_submit   heap allocations per submit(), 100,000 futures outstanding
//                  (more states alive than any cache keeps: about 1)
//   alloc_submit_steady  the same in steady state: rounds of 64 submits, each
//                  waited for, after a warm-up (target 0: recycled state blocks)
//   futex_calls    futex syscalls per submit + completion while workers are
//                  awake and nobody waits on a future (target 0)
//   idle_cpu       CPU used by the whole pool, in % of one core, over the
//                  window that starts when the last task finished (target <= 1%)
// Allocations are counted on the submitting thread only (workers allocate
// nothing for these tasks); futex calls are tpx's own (tpx::detail::futex_syscalls).
// Every row also carries the pool's stats() as tpx_* counters, read after
// the measurement (report_tpx_stats, contenders/tpx.hpp).
#include <tpx/tpx.hpp>

#include <time.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"
#include "common/registry.hpp"
#include "contenders/tpx.hpp"
#include "futex.hpp"  // internal (executor/src), through tpx::internals: futex_syscalls()
#include "overhead/count_alloc.hpp"

namespace tpx::bench {
namespace {

std::size_t tasks_per_batch() { return config().profile == Profile::smoke ? 2'000 : 100'000; }

double process_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

tpx::ThreadPoolExecutor make_pool(benchmark::State& state) {
  return tpx::ThreadPoolExecutor(
      tpx::Options{.max_workers = static_cast<std::size_t>(state.range(0)), .thread_name_prefix = "tpx"});
}

// Also the pool's stats() (tpx_* counters), as on every tpx row.
void label(benchmark::State& state, const tpx::ThreadPoolExecutor& ex, std::size_t tasks) {
  report_tpx_stats(state, ex.stats(), /*record_latency=*/false);
  state.counters["threads"] = static_cast<double>(state.range(0));
  state.counters["workers"] = static_cast<double>(state.range(0));
  state.counters["tasks"] = static_cast<double>(tasks);
}

void bm_alloc_post(benchmark::State& state) {
  auto ex = make_pool(state);
  const std::size_t n = tasks_per_batch();
  std::atomic<std::size_t> done{0};
  std::uint64_t allocations = 0, posted = 0;
  measure(state, n, [&] {
    done.store(0, std::memory_order_relaxed);
    {
      AllocationCount count;
      std::uint64_t pad[2] = {1, 2};  // a 24-byte callable: &done + 16 bytes
      for (std::size_t i = 0; i < n; ++i)
        ex.post([&done, pad] { done.fetch_add(pad[0] + pad[1] - 2, std::memory_order_relaxed); });
      allocations += count.count();
    }
    posted += n;
    while (done.load(std::memory_order_relaxed) != n) std::this_thread::yield();
  });
  state.counters["allocs_per_task"] = static_cast<double>(allocations) / static_cast<double>(posted);
  label(state, ex, n);
}

void bm_alloc_submit(benchmark::State& state) {
  auto ex = make_pool(state);
  const std::size_t n = tasks_per_batch();
  std::vector<tpx::Future<int>> fs;
  fs.reserve(n);
  std::uint64_t allocations = 0, submitted = 0;
  measure(state, n, [&] {
    fs.clear();
    {
      AllocationCount count;
      for (std::size_t i = 0; i < n; ++i) fs.push_back(ex.submit([] { return 1; }));
      allocations += count.count();
    }
    submitted += n;
    for (auto& f : fs) f.result();
  });
  state.counters["allocs_per_task"] = static_cast<double>(allocations) / static_cast<double>(submitted);
  label(state, ex, n);
}

void bm_alloc_submit_steady(benchmark::State& state) {
  auto ex = make_pool(state);
  constexpr std::size_t kWindow = 64;
  const std::size_t rounds = tasks_per_batch() / kWindow;
  std::vector<tpx::Future<int>> fs;
  fs.reserve(kWindow);
  auto round = [&] {
    fs.clear();
    for (std::size_t i = 0; i < kWindow; ++i) fs.push_back(ex.submit([] { return 1; }));
    for (auto& f : fs) f.result();
  };
  for (std::size_t r = 0; r < 100; ++r) round();  // warm-up: the blocks the flow needs come into being
  std::uint64_t allocations = 0, submitted = 0;
  measure(state, rounds * kWindow, [&] {
    AllocationCount count;
    for (std::size_t r = 0; r < rounds; ++r) round();
    allocations += count.count();
    submitted += rounds * kWindow;
  });
  state.counters["allocs_per_task"] = static_cast<double>(allocations) / static_cast<double>(submitted);
  label(state, ex, rounds * kWindow);
}

void bm_futex_calls(benchmark::State& state) {
  auto ex = make_pool(state);
  const std::size_t n = tasks_per_batch();
  std::vector<tpx::Future<int>> fs;
  fs.reserve(n);
  std::uint64_t calls = 0, tasks = 0;
  measure(state, n, [&] {
    fs.clear();
    // Wake the workers first: the target is about a pool that is awake.
    ex.submit([] { return 0; }).result();
    const auto before = tpx::detail::futex_syscalls();
    for (std::size_t i = 0; i < n; ++i) fs.push_back(ex.submit([] { return 1; }));
    // Nobody waits on a pending future: spin until all are done, then read them.
    for (auto& f : fs)
      while (!f.done()) std::this_thread::yield();
    calls += tpx::detail::futex_syscalls() - before;
    tasks += n;
  });
  state.counters["futex_calls_per_task"] = static_cast<double>(calls) / static_cast<double>(tasks);
  label(state, ex, n);
}

void bm_idle_cpu(benchmark::State& state) {
  auto ex = make_pool(state);
  const auto window = config().profile == Profile::smoke ? std::chrono::milliseconds(50) : std::chrono::milliseconds(1000);
  double busy_pct_sum = 0;
  std::size_t windows = 0;
  for (auto _ : state) {
    std::vector<tpx::Future<int>> fs;
    for (int i = 0; i < 1000; ++i) fs.push_back(ex.submit([] { return 1; }));
    for (auto& f : fs) f.result();
    const double cpu0 = process_cpu_ns();
    const auto t0 = Clock::now();
    std::this_thread::sleep_for(window);  // the main thread sleeps: the CPU used is the pool's
    const double cpu = process_cpu_ns() - cpu0;
    const double wall = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
    busy_pct_sum += 100.0 * cpu / wall;
    ++windows;
    state.SetIterationTime(wall / 1e9);
  }
  state.counters["idle_cpu_pct_of_core"] = busy_pct_sum / static_cast<double>(windows);
  state.counters["idle_window_ms"] = static_cast<double>(window.count());
  label(state, ex, 1000);
}

}  // namespace

TPX_BENCH_REGISTER(overhead_tpx) {
  const std::vector<int>& threads = config().cpu_threads;
  args_1(register_wall("alloc_post", "tpx", bm_alloc_post), "threads", threads);
  args_1(register_wall("alloc_submit", "tpx", bm_alloc_submit), "threads", threads);
  args_1(register_wall("alloc_submit_steady", "tpx", bm_alloc_submit_steady), "threads", threads);
  args_1(register_wall("futex_calls", "tpx", bm_futex_calls), "threads", threads);
  auto* idle = benchmark::RegisterBenchmark("idle_cpu/tpx", bm_idle_cpu);
  idle->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(config().profile == Profile::smoke ? 1 : 3);
  args_1(idle, "threads", threads);
}

}  // namespace tpx::bench
