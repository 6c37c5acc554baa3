// priority/tpx: how long a high-priority task waits for a worker while the
// pool is saturated with low-priority work, against the same pool without
// priorities. tpx only: the other contenders have no priorities.
//
//   backlog  before each probe the submitter tops the low tasks up to
//            kBacklogPerWorker x workers outstanding (queued or running), so
//            every probe meets the same backlog; a low task busy-waits
//            kLowTaskUs of wall time (a CPU-bound task that the OS may
//            preempt: it still ends on time) and counts itself done.
//   probe    a task that reads steady_clock and returns the reading; the
//            sample is from just before its submit to that reading (submit ->
//            start, as submit_to_start). One probe in flight at a time: the
//            submitter waits for each before topping up and sending the next.
//   prioritized:1  lows posted with Priority::low, probes submitted with
//                  Priority::high: a probe waits for a worker to finish the
//                  low task it is running, or one more when that worker's
//                  pick is the every-fourth one that serves a lower class
//                  first (the starvation bound, executor/src/pool.hpp).
//   prioritized:0  both with the default priority (plain post and submit):
//                  one FIFO queue, so a probe waits for the backlog ahead of
//                  it, about (backlog - workers) / workers x kLowTaskUs.
// config().priority_samples probes per batch, on a pool of one worker fewer
// than the allowed CPUs (see the registration). real_time includes the
// top-ups and the wait for each probe's result: read the percentiles.
#include <tpx/tpx.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "common/config.hpp"
#include "common/latency.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"
#include "common/registry.hpp"
#include "contenders/tpx.hpp"

namespace tpx::bench {
namespace {

constexpr std::int64_t kLowTaskUs = 20;
constexpr std::size_t kBacklogPerWorker = 16;

struct LowTask {
  std::atomic<std::uint64_t>* done;
  void operator()() const {
    const std::int64_t end = now_ns() + kLowTaskUs * 1000;
    while (now_ns() < end) {
    }
    // Relaxed: a count the submitter paces itself by, nothing is read through it.
    done->fetch_add(1, std::memory_order_relaxed);
  }
};

void bm_priority(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const bool prioritized = state.range(1) != 0;
  const std::size_t n = config().priority_samples;
  const std::uint64_t backlog = kBacklogPerWorker * static_cast<std::uint64_t>(threads);
  std::atomic<std::uint64_t> lows_done{0};  // outlives the pool, whose shutdown runs what is left
  std::uint64_t lows_posted = 0;
  TpxPool pool(static_cast<std::size_t>(threads));
  tpx::ThreadPoolExecutor& ex = pool.executor();
  const tpx::TaskOptions low{.priority = tpx::Priority::low};
  const tpx::TaskOptions high{.priority = tpx::Priority::high};
  LatencySamples samples(2 * n);
  measure_latency(state, n, samples, [&] {
    for (std::size_t i = 0; i < n; ++i) {
      while (lows_posted - lows_done.load(std::memory_order_relaxed) < backlog) {
        if (prioritized) {
          ex.post(low, LowTask{&lows_done});
        } else {
          ex.post(LowTask{&lows_done});
        }
        ++lows_posted;
      }
      const std::int64_t t0 = now_ns();
      auto probe = prioritized ? ex.submit(high, [] { return now_ns(); }) : ex.submit([] { return now_ns(); });
      const std::int64_t started = probe.result();
      samples.record(started - t0);
    }
  });
  samples.report(state);
  state.counters["backlog"] = static_cast<double>(backlog);
  state.counters["low_task_us"] = static_cast<double>(kLowTaskUs);
  label_pool<TpxPool>(state, pool, threads, n, n,
                      prioritized ? "high-priority probes over a low-priority backlog"
                                  : "no priorities: probes behind the backlog in one queue");
}

}  // namespace

TPX_BENCH_REGISTER(priority_tpx) {
  // One worker fewer than the allowed CPUs (at least one): the submitter
  // needs a CPU of its own. With every CPU busy with low tasks, the
  // submitter, woken when each probe completes, waits for the OS to preempt
  // a worker (about 1.4 ms per probe on 2 CPUs, either mode), and a worker it
  // preempts can be the one that would have started the probe: the samples
  // would then measure the OS's scheduler rather than the pool's pick.
  const int workers = std::max(1, static_cast<int>(config().allowed_cpus) - 1);
  auto* b = register_wall("priority", TpxPool::kName, bm_priority);
  b->ArgNames({"threads", "prioritized"});
  for (int prioritized : {0, 1}) b->Args({workers, prioritized});
}

}  // namespace tpx::bench
