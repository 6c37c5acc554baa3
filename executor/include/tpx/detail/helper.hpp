// tpx/detail/helper.hpp — lets a thread that waits run queued work instead.
//
// A worker thread registers its executor as its Helper. When code on that
// thread waits for a future that is still pending (result(), exception(),
// wait, as_completed, map iteration), it runs queued tasks of its own executor
// while it waits, so nested submit-and-wait cannot deadlock the pool.
#pragma once

#include <exception>

#include "tpx/detail/deadline.hpp"

namespace tpx::detail {

class StateBase;

class Helper {
 public:
  // Runs one queued task of this thread's executor; false when none was found
  // or `deadline` has passed (a timed wait never starts a helped task late,
  // so it overruns its deadline by at most the one task it is running).
  virtual bool run_one_queued(Clock::time_point deadline) = 0;
  // On a worker of this executor, waiting for `state` (a task of this
  // executor): claims it and runs it here (or fails it with BrokenExecutor
  // once an initializer threw), first taking it back off the worker's own
  // deque when it is the newest there, so no claimed husk stays queued. True
  // only when this call completed the state.
  virtual bool run_inline(StateBase& state) noexcept = 0;
  // True when any thread waiting on a still-queued task of this executor may run it itself.
  virtual bool caller_runs() const noexcept = 0;

 protected:
  ~Helper() = default;
};

// The Helper of the calling thread: its executor when it is a worker, else null.
Helper* current_helper() noexcept;
void set_current_helper(Helper* helper) noexcept;

}  // namespace tpx::detail
