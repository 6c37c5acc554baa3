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
  // On a worker of this executor: takes `state` (a submit() from this thread,
  // holding one queue reference) back off the worker's own deque when it is
  // the newest element there; the caller then owns that reference.
  virtual bool unqueue_if_newest(const StateBase* state) noexcept = 0;
  // On a worker of this executor: the BrokenExecutor error once an initializer
  // threw (a task claimed from now on must fail with it, not run), else null.
  virtual const std::exception_ptr* broken_error() noexcept = 0;
  // True when any thread waiting on a still-queued task of this executor may run it itself.
  virtual bool caller_runs() const noexcept = 0;

 protected:
  ~Helper() = default;
};

// The Helper of the calling thread: its executor when it is a worker, else null.
Helper* current_helper() noexcept;
void set_current_helper(Helper* helper) noexcept;

}  // namespace tpx::detail
