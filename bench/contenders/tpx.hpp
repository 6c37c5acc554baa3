// tpx: the project's executor with default options (pinned to cores), worker
// threads named tpx_<i> so the context block can report where they run.
// Every row over it carries the pool's stats() (report_tpx_stats).
#pragma once

#include <benchmark/benchmark.h>
#include <tpx/tpx.hpp>

#include <chrono>
#include <cstddef>
#include <utility>
#include <vector>

#include "contenders/contender.hpp"

namespace tpx::bench {

// A pool's stats() as counters, read once at the end of a row's measurement:
// totals since the pool was built (this run of the benchmark function: every
// timed batch and the untimed perf batch), under names no workload uses:
//   tpx_submitted, tpx_completed   tasks as stats() counts them (a map chunk
//                                  and a bulk runner are one each)
//   tpx_stolen                     taken from another worker's deque
//   tpx_helped                     run by a thread while it waited on a future
// and, when the pool records it (Options::record_latency), the submit -> start
// wait of the tasks that went through the queues, from stats()'s histogram:
//   tpx_sched_p50_us ... tpx_sched_max_us, tpx_sched_samples
inline void report_tpx_stats(benchmark::State& state, const tpx::ExecutorStats& s, bool record_latency) {
  state.counters["tpx_submitted"] = static_cast<double>(s.submitted);
  state.counters["tpx_completed"] = static_cast<double>(s.completed);
  state.counters["tpx_stolen"] = static_cast<double>(s.stolen);
  state.counters["tpx_helped"] = static_cast<double>(s.helped);
  if (!record_latency) return;
  const auto us = [](std::chrono::nanoseconds ns) { return static_cast<double>(ns.count()) / 1e3; };
  const tpx::LatencySummary& l = s.schedule_latency;
  state.counters["tpx_sched_p50_us"] = us(l.p50);
  state.counters["tpx_sched_p90_us"] = us(l.p90);
  state.counters["tpx_sched_p99_us"] = us(l.p99);
  state.counters["tpx_sched_p999_us"] = us(l.p999);
  state.counters["tpx_sched_max_us"] = us(l.max);
  state.counters["tpx_sched_samples"] = static_cast<double>(l.count);
}

class TpxPool {
 public:
  static constexpr const char* kName = "tpx";
  static constexpr bool kThreadPerTask = false;
  static constexpr bool kHelpsWhileWaiting = true;  // result() on a worker runs queued tasks

  explicit TpxPool(std::size_t workers) : TpxPool(workers, /*record_latency=*/false) {}

  template <class F>
  auto submit(F&& fn) {
    return ex_.submit(std::forward<F>(fn));
  }

  template <class F>
  void post(F&& fn) {
    ex_.post(std::forward<F>(fn));
  }

  template <class Fut>
  static auto get(Fut& f) {
    return f.result();  // copies T out of the shared state; void stays void
  }
  template <class Fut>
  static void wait_all(std::vector<Fut>& fs) {
    tpx::wait(fs);
  }

  void report(benchmark::State& state) const { report_tpx_stats(state, ex_.stats(), record_latency_); }

  tpx::ThreadPoolExecutor& executor() noexcept { return ex_; }

 protected:
  TpxPool(std::size_t workers, bool record_latency)
      : ex_(tpx::Options{.max_workers = workers, .thread_name_prefix = "tpx", .record_latency = record_latency}),
        record_latency_(record_latency) {}

 private:
  tpx::ThreadPoolExecutor ex_;
  bool record_latency_;
};

static_assert(PostContender<TpxPool> && ReportingContender<TpxPool>);

}  // namespace tpx::bench
