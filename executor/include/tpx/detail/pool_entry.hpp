// tpx/detail/pool_entry.hpp — the pool's entry points: the wall between the
// public templates and the pool.
//
// ThreadPoolExecutor's templates (submit, post, map) type-erase their work
// here, in the user's translation unit, and hand it to these few non-template
// functions; the pool itself (executor/src/pool.hpp: the moodycamel queue,
// the workers' deques, the gate, parking, hwloc) is compiled once, in the
// library, and no public header includes it. What crossing the wall costs: one
// out-of-line call per submit, post or map (BENCHMARKS.md, empty and post_empty).
#pragma once

#include <cstddef>

#include "tpx/options.hpp"

namespace tpx::detail {

class Helper;
class Pool;
class StateBase;
class Task;

// submit(): queues `state`, which holds one reference for the queue. On a
// worker of `pool` it goes onto that worker's own deque (or the queue when the
// deque is full); elsewhere onto the queue. Throws ShutdownError after
// shutdown, BrokenExecutor once an initializer threw, std::bad_alloc; on a
// throw the queue's reference has been released and nothing was queued.
void enqueue_state(Pool& pool, StateBase* state);
// The same with a priority (high and low never go to a worker's deque). In a
// bounded pool (Options::max_queued) both may block, throw QueueFull, or run
// the task on the calling thread, per Options::when_full.
void enqueue_state(Pool& pool, StateBase* state, Priority priority);
// try_submit(): as enqueue_state, but false instead of waiting or running it
// here when a bounded pool is full (the queue's reference is then released).
bool try_enqueue_state(Pool& pool, StateBase* state);

// post(): queues a task; throws as enqueue_state (the task is then destroyed).
void enqueue_task(Pool& pool, Task&& task);
void enqueue_task(Pool& pool, Task&& task, Priority priority);

// map(): all or nothing: every task is queued, or none is and this throws.
void enqueue_tasks(Pool& pool, Task* tasks, std::size_t count);

// stats(): a task whose deadline had passed at submit (never queued).
void count_expired_at_submit(Pool& pool) noexcept;

// The pool as its workers' Helper (what a state's owner is compared with).
Helper* helper_of(Pool& pool) noexcept;

}  // namespace tpx::detail
