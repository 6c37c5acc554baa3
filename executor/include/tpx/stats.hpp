// tpx/stats.hpp — what a running pool is doing: ThreadPoolExecutor::stats().
//
// Counters are kept per worker, each on the worker's own cache line and
// written by that worker alone (no shared read-modify-write per task), and
// summed on read; events on other threads (a task run by the submitter under
// WhenFull::caller_runs, tasks dropped by shutdown, rejections) go to shared
// counters on those rare paths. A snapshot taken while the pool runs is
// approximate (each field is read once, never torn, never negative); once the
// pool is quiescent (nothing queued or running) the counters are exact:
// submitted == completed + failed + cancelled + expired.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace tpx {

// Percentiles of a latency distribution, from a log-bucketed histogram
// (relative error under 1 %; max is exact). All zero when count is 0.
struct LatencySummary {
  std::uint64_t count = 0;
  std::chrono::nanoseconds p50{0}, p90{0}, p99{0}, p999{0}, max{0};
};

struct ExecutorStats {
  // Counters since construction. A queued task is one: a submit or post, a
  // map chunk, a bulk runner (one per worker a bulk uses).
  std::uint64_t submitted = 0;  // accepted: queued, or run by the submitter (WhenFull::caller_runs)
  std::uint64_t completed = 0;  // ran and returned
  std::uint64_t failed = 0;     // ran and threw (or dropped by a broken pool)
  std::uint64_t cancelled = 0;  // cancelled while queued, or dropped by shutdown(cancel_futures)
  std::uint64_t rejected = 0;   // QueueFull thrown, or try_submit returned nullopt
  std::uint64_t expired = 0;    // not run: TaskOptions::deadline passed (at submit, or before it started)
  std::uint64_t stolen = 0;     // taken from another worker's deque
  std::uint64_t helped = 0;     // run by a thread while it waited for a future (a worker, or caller_runs)
  // Gauges, now.
  std::size_t queued = 0;          // waiting in the queues and the workers' deques
  std::size_t running = 0;         // workers running a task
  std::size_t parked_workers = 0;  // workers asleep on the futex
  // Submit -> start wait of tasks that went through the queues (not a
  // worker's own deque, whose nested submits run in LIFO order on purpose);
  // empty unless Options::record_latency.
  LatencySummary schedule_latency;
};

}  // namespace tpx
