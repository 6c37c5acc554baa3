// tpx/options.hpp — construction, map and bulk options, and the default worker count.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace tpx {

// How workers are bound to the machine (hwloc).
enum class Pinning {
  none,   // the OS places workers
  cores,  // worker i -> the i-th core this process may run on (wrapping)
  pus,    // worker i -> the i-th processing unit (hardware thread) this process may run on
};

// What submit/post/map/bulk do when Options::max_queued tasks are queued.
enum class WhenFull {
  block,        // wait for room (a thread that is not a worker of the pool)
  reject,       // throw tpx::QueueFull
  caller_runs,  // run the task on the submitting thread (Java's CallerRunsPolicy)
};

// Which queued task a worker takes first, when it has a choice.
enum class Priority { low, normal, high };

// When tpx::wait returns.
enum class ReturnWhen { first_completed, first_exception, all_completed };

// The number of cores (or CPUs, where hwloc sees no cores) in this process's
// affinity mask and cgroup cpuset: under `taskset -c 0` it is 1. Never 0.
std::size_t default_max_workers();

// Field order is part of the contract: users write designated initializers.
struct Options {
  std::optional<std::size_t> max_workers;  // nullopt: default_max_workers(); 0: std::invalid_argument
  std::string thread_name_prefix;          // kernel thread names "<prefix>_<i>", cut to 15 chars; empty: "tpx"
  Pinning pinning = Pinning::cores;        // worker i -> i-th allowed core (wraps when more workers)
  std::function<void()> initializer;       // run once in each worker before any task
  // How long an idle worker keeps looking for work before it parks on a futex.
  // Spinning buys latency (a parked worker costs a futex wake, ~20 us on a VM;
  // a spinning one ~0.5 us) at the price of CPU while idle. The spin yields the
  // core (pause, then sched_yield), so a producer sharing the core is not starved.
  std::chrono::nanoseconds idle_spin{std::chrono::microseconds(50)};
  // How long one worker, the first whose idle_spin runs out, stays awake
  // after the last task before it parks too (the others park after
  // idle_spin). A request that comes within it finds that worker awake: no
  // futex wake, no cross-CPU wake-up of a halted core (tens of µs on a VM;
  // BENCHMARKS.md, roundtrip cold:1). The price is CPU: up to idle_linger of
  // one core after every burst (it yields the core while it waits, so a
  // busy producer is not starved), nothing once it parked. 0 (or not more
  // than idle_spin): no worker lingers. libuv's thread pool does the same.
  std::chrono::nanoseconds idle_linger{std::chrono::milliseconds(2)};
  // Off by default. When on, result()/exception() (and tpx::wait with
  // all_completed, which waits for each future in turn) called by any thread on a
  // task of this executor that no worker has started yet (or iterating a map
  // range to a chunk no worker has started) claims it and runs it on the
  // calling thread (oneTBB's task_group::wait does this): the
  // round trip then costs no hand-off at all, but the task runs outside the
  // pool (not pinned, without the initializer). Workers of the pool always do
  // this for their own pool's tasks, with or without the option.
  // A thread outside the pool does not consult the pool (a future may outlive
  // it), so two things hold only for tasks run by workers: a task claimed by
  // an outside thread after an initializer threw still runs (instead of
  // failing with BrokenExecutor), and shutdown(wait = true) does not wait for
  // a task an outside thread is running inline (that thread is blocked in
  // result() until it finishes).
  bool caller_runs = false;
  // Tasks queued and not started, at most (nullopt: unbounded; 0:
  // std::invalid_argument). Counts what waits in the pool's queues: a
  // submit/post is one, a map is its chunks, a bulk its runner tasks (at
  // most one per worker); a worker's own deque (nested submits, at most 256
  // per worker) is not counted. A submission made by a worker of this pool
  // never blocks and is never rejected (it would deadlock the pool); it still
  // counts.
  std::optional<std::size_t> max_queued;
  WhenFull when_full = WhenFull::block;
  // Record each queued task's submit -> start wait for stats().schedule_latency:
  // one clock read at submit and one at start (BENCHMARKS.md: its cost on `empty`).
  bool record_latency = false;
};

// Per-task scheduling (submit and post take it first, as map takes MapOptions).
struct TaskOptions {
  // A worker that has a choice takes high before normal before low; every
  // fourth pick among queued prioritized tasks goes to a lower class first,
  // so under a stream of high-priority tasks a queued normal or low one
  // still starts (see README, "Priority and deadline").
  Priority priority = Priority::normal;
  // A task not started by then does not run: its future fails with
  // tpx::DeadlineExceeded. Already past at submit: fails at once, unqueued.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

struct BulkOptions {
  std::size_t grain = 0;  // items per chunk; 0: automatic (about 4 chunks per participant)
};

struct MapOptions {
  std::optional<std::chrono::nanoseconds> timeout;  // measured from the call to map()
  std::size_t chunksize = 1;                        // 0: std::invalid_argument
};

}  // namespace tpx
