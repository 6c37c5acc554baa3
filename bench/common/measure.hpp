// The measured region every workload uses: wall clock around Google
// Benchmark's timed loop, then the process-wide perf counters (tpx_perf) over
// one extra, untimed batch, reported per task. The pool is built before and
// destroyed after, outside both.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "common/config.hpp"
#include "contenders/contender.hpp"
#include "tpx_perf/counters.hpp"

namespace tpx::bench {

using Clock = std::chrono::steady_clock;

inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

inline void report_perf(benchmark::State& state, const tpx::perf::Readings& r, double tasks) {
  if (tasks <= 0) return;
  for (std::size_t i = 0; i < tpx::perf::kCounterCount; ++i) {
    const auto c = static_cast<tpx::perf::Counter>(i);
    if (auto v = r.get(c)) {
      const std::string stem = tpx::perf::counter_name(c);
      state.counters[stem == "task_clock" ? "task_clock_ns_per_task" : stem + "_per_task"] = *v / tasks;
    }
  }
}

// Runs `body` (one batch of `batch` tasks) inside the measured region until
// Google Benchmark has enough time. The batch counts as `batch` benchmark
// iterations (KeepRunningBatch), so the reported time is per task and rows
// stay comparable when a contender runs fewer tasks per batch (std_async).
// Per-task perf counters divide by `perf_tasks_per_batch` per batch (default:
// `batch`). Returns the wall time of one batch in ns.
template <class Body>
double measure(benchmark::State& state, std::size_t batch, Body&& body, double perf_tasks_per_batch = 0) {
  const auto t0 = now_ns();
  std::size_t batches = 0;
  while (state.KeepRunningBatch(static_cast<benchmark::IterationCount>(batch))) {
    body();
    ++batches;
  }
  const auto t1 = now_ns();
  const double wall = static_cast<double>(t1 - t0);
  // The perf counters come from one more batch, after the timed loop and not
  // timed: with counters attached to every thread each context switch costs
  // the kernel extra work, which would tax most the contenders that yield
  // while they spin (tpx's post_empty measured 2.7x slower with them on).
  if (batches > 0) {
    tpx::perf::Region region;
    region.start();
    body();
    const auto readings = region.stop();
    report_perf(state, readings, perf_tasks_per_batch > 0 ? perf_tasks_per_batch : static_cast<double>(batch));
  }
  state.counters["tasks"] = static_cast<double>(batch);
  if (wall > 0) state.counters["tasks_per_s"] = static_cast<double>(batch * batches) * 1e9 / wall;
  return batches > 0 ? wall / static_cast<double>(batches) : 0.0;
}

// Tasks per iteration for a contender: thread-per-task contenders are capped
// (see Config::thread_per_task_cap) and their label says so.
template <Contender Pool>
std::size_t task_count(std::size_t wanted) {
  if constexpr (Pool::kThreadPerTask) return std::min(wanted, config().thread_per_task_cap);
  return wanted;
}

// Every row over a pool ends here, after its measurement: the worker-count
// counters, the label, and the counters the pool keeps about itself
// (ReportingContender: tpx's stats(), taken now, so they cover every batch
// of this run of the benchmark function, the untimed perf batch included).
template <Contender Pool>
void label_pool(benchmark::State& state, const Pool& pool, int threads, std::size_t tasks, std::size_t wanted,
                std::string extra = {}) {
  if constexpr (ReportingContender<Pool>) pool.report(state);
  state.counters["threads"] = threads;
  state.counters["workers"] = threads;
  std::string label;
  if constexpr (Pool::kThreadPerTask) {
    label = "thread per task";
    if (tasks < wanted) label += ", " + std::to_string(tasks) + " of " + std::to_string(wanted) + " tasks";
  }
  if (!extra.empty()) label += (label.empty() ? "" : ", ") + extra;
  if (!label.empty()) state.SetLabel(label);
}

// Wall-clock timing for every pool benchmark (the caller's CPU time says
// nothing about work done by workers). Iteration counts are left to Google
// Benchmark (--benchmark_min_time), so names stay <workload>/<contender>/<arg>:<n>/real_time.
inline benchmark::internal::Benchmark* wall_benchmark(benchmark::internal::Benchmark* b,
                                                      benchmark::TimeUnit unit = benchmark::kNanosecond) {
  return b->UseRealTime()->Unit(unit);
}

}  // namespace tpx::bench
