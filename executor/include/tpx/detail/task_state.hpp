// tpx/detail/task_state.hpp — a submitted task and its future's state in one allocation.
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

#include "tpx/detail/shared_state.hpp"
#include "tpx/error_reporter.hpp"

namespace tpx::detail {
void report_posted_task_error(std::exception_ptr error) noexcept;
}

namespace tpx::detail {

// The callable (with its decay-copied arguments) lives inside the future's
// state until it has run or been dropped; then it is destroyed at once, so the
// executor holds nothing of a task that has run.
template <class T, class Fn>
class TaskState final : public SharedState<T> {
 public:
  template <class F>
  explicit TaskState(F&& fn) : fn_(std::in_place, std::forward<F>(fn)) {}

  // Runs the task unless it was cancelled; completes the future either way it ends.
  RunOutcome run_queued() noexcept override {
    // Not pending: cancelled while queued (on_dropped() freed fn_), or run inline already.
    if (!run_inline_if_pending()) return RunOutcome::not_pending;
    return this->error() ? RunOutcome::failed : RunOutcome::completed;  // still ours: the queue's reference
  }

  bool run_inline_if_pending() noexcept override {
    if (!this->try_start()) return false;
    try {
      if constexpr (std::is_void_v<T>) {
        std::invoke(std::move(*fn_));
      } else {
        this->emplace_value(std::invoke(std::move(*fn_)));
      }
    } catch (...) {
      this->set_error(std::current_exception());
    }
    fn_.reset();  // before finish(): a waiter that sees done sees the arguments gone
    this->finish();
    return true;
  }

  // The pool drops the task: cancelled (null reason) or failed with `reason`.
  void abandon_queued(const std::exception_ptr& reason) noexcept override {
    if (reason)
      this->fail_if_pending(reason);
    else
      this->cancel();
  }

 private:
  void on_dropped() noexcept override { fn_.reset(); }

  std::optional<Fn> fn_;
};

// The DeadlineExceeded error of a task whose deadline passed before it started.
std::exception_ptr deadline_exceeded_error(std::chrono::steady_clock::time_point deadline) noexcept;
// The same, for a task found expired as a thread was about to start it (the
// pool counts it as expired rather than failed).
std::exception_ptr deadline_exceeded_at_start(std::chrono::steady_clock::time_point deadline) noexcept;

// A task with a deadline: checked when a thread is about to start it (the
// callable is then dropped unrun and the future fails with DeadlineExceeded).
template <class R, class Fn>
struct DeadlineBound {
  std::chrono::steady_clock::time_point deadline;
  Fn fn;
  R operator()() {
    if (std::chrono::steady_clock::now() >= deadline) std::rethrow_exception(deadline_exceeded_at_start(deadline));
    return std::invoke(std::move(fn));
  }
};

// Binds a callable and its arguments, decay-copied at submit time; invoked once, as rvalues.
template <class F, class... Args>
auto bind_task(F&& fn, Args&&... args) {
  return [fn = std::forward<F>(fn), ... args = std::forward<Args>(args)]() mutable -> decltype(auto) {
    return std::invoke(std::move(fn), std::move(args)...);
  };
}

}  // namespace tpx::detail

namespace tpx::detail {

// What the queue holds for a post(): the callable itself.
template <class Fn>
class PostedTask {
 public:
  template <class F>
  explicit PostedTask(F&& fn) : fn_(std::forward<F>(fn)) {}
  PostedTask(PostedTask&&) = default;
  void operator()() noexcept {
    try {
      std::invoke(std::move(fn_));
    } catch (...) {
      report_posted_task_error(std::current_exception());
    }
  }

 private:
  Fn fn_;
};

}  // namespace tpx::detail
