// fanout_fib: recursive submit-and-wait Fibonacci, fib(config().fib_n).
// Every call below the spawn depth submits fib(n-1) to the pool, computes
// fib(n-2) itself, then waits for the future. A task that blocks in that wait
// holds its worker, so a pool whose wait does not run other tasks deadlocks
// once every worker waits; such contenders get the cut-off they need:
// spawn only at depths < D with 2^D - 1 <= workers (at most `workers`
// spawned tasks, so every spawned task has a worker of its own), below which
// calls run serially. Contenders whose get() from a worker runs queued tasks
// (kHelpsWhileWaiting: tpx's result()) and onetbb (its own body in
// fanout_fib/onetbb.cpp: task_group::wait does too) spawn at every call. The
// label says which; the `spawned_tasks` counter says how much scheduling each
// row did, and rows with different cut-offs measure different things (see
// BENCHMARKS.md).
#pragma once

#include <bit>
#include <cstdint>
#include <string>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"
#include "contenders/contender.hpp"

namespace tpx::bench {

inline std::int64_t fib_serial(int n) { return n < 2 ? n : fib_serial(n - 1) + fib_serial(n - 2); }

inline std::int64_t fib_reference(int n) {
  std::int64_t a = 0, b = 1;
  for (int i = 0; i < n; ++i) {
    const std::int64_t c = a + b;
    a = b;
    b = c;
  }
  return a;
}

constexpr int kNoCutoff = 1 << 20;

// Deepest spawn depth that cannot deadlock a non-helping pool of `workers`.
inline int safe_spawn_depth(int workers) {
  return std::bit_width(static_cast<unsigned>(workers) + 1U) - 1;  // floor(log2(workers + 1))
}

// Spawned tasks for fib(n) with spawn depth d (for the counter).
inline std::int64_t fib_spawns(int n, int depth, int spawn_depth) {
  if (n < 2 || depth >= spawn_depth) return 0;
  return 1 + fib_spawns(n - 1, depth + 1, spawn_depth) + fib_spawns(n - 2, depth + 1, spawn_depth);
}

template <Contender Pool>
std::int64_t fib_submit(Pool& pool, int n, int depth, int spawn_depth) {
  if (n < 2) return n;
  if (depth >= spawn_depth) return fib_serial(n);
  auto left = pool.submit([&pool, n, depth, spawn_depth] { return fib_submit(pool, n - 1, depth + 1, spawn_depth); });
  const std::int64_t right = fib_submit(pool, n - 2, depth + 1, spawn_depth);
  return Pool::get(left) + right;
}

// `compute(pool, n)` returns fib(n); `spawn_depth` is kNoCutoff when none.
template <Contender Pool, class Compute>
void run_fib(benchmark::State& state, int spawn_depth, const std::string& cutoff_note, Compute compute) {
  const int threads = static_cast<int>(state.range(0));
  const int n = config().fib_n;
  Pool pool(static_cast<std::size_t>(threads));
  const std::int64_t expect = fib_reference(n);
  bool wrong = false;
  const double spawned = static_cast<double>(fib_spawns(n, 0, spawn_depth));
  // One iteration = one fib(n); per-task counters divide by spawned tasks.
  measure(state, 1, [&] { wrong |= compute(pool, n) != expect; }, spawned > 0 ? spawned : 1.0);
  if (wrong) state.SkipWithError("wrong fib result");
  // Wall time per spawned task (a time counter: compared in ns with real_time).
  const auto fibs_per_s = state.counters.find("tasks_per_s");
  if (spawned > 0 && fibs_per_s != state.counters.end() && fibs_per_s->second.value > 0)
    state.counters["spawn_ns"] = 1e9 / (fibs_per_s->second.value * spawned);
  state.counters["spawned_tasks"] = spawned;
  state.counters["cutoff_depth"] = spawn_depth == kNoCutoff ? 0 : spawn_depth;
  state.counters["fib_n"] = n;
  label_pool<Pool>(state, pool, threads, 1, 1, cutoff_note);
}

template <Contender Pool>
void bm_fanout_fib_cutoff(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  // std::async never deadlocks, but a thread per call would start fib(n)
  // threads; it gets the same small tree as a pool of 2^10 - 1 workers.
  const int depth = Pool::kThreadPerTask ? 10 : safe_spawn_depth(threads);
  const std::string note = std::string("cut-off: spawn depth ") + std::to_string(depth) +
                           (Pool::kThreadPerTask ? " (thread per task)" : " (would deadlock without)");
  run_fib<Pool>(state, depth, note, [depth](Pool& pool, int n) { return fib_submit(pool, n, 0, depth); });
}

template <Contender Pool>
void bm_fanout_fib_full(benchmark::State& state) {
  run_fib<Pool>(state, kNoCutoff, "no cut-off",
                [](Pool& pool, int n) { return fib_submit(pool, n, 0, kNoCutoff); });
}

// `fn` is the body: a contender with an idiom of its own for the recursion
// (fanout_fib/onetbb.cpp) registers it here.
template <Contender Pool, class Fn>
void register_fanout_fib_with(Fn fn) {
  args_1(register_wall("fanout_fib", Pool::kName, fn), "threads", config().cpu_threads);
}

// Every other contender: no cut-off when its get() runs queued tasks while it
// waits (kHelpsWhileWaiting), the cut-off otherwise.
template <Contender Pool>
void register_fanout_fib() {
  if constexpr (Pool::kHelpsWhileWaiting) {
    register_fanout_fib_with<Pool>(bm_fanout_fib_full<Pool>);
  } else {
    register_fanout_fib_with<Pool>(bm_fanout_fib_cutoff<Pool>);
  }
}

}  // namespace tpx::bench
