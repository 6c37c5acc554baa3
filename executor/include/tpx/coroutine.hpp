// tpx/coroutine.hpp — C++20 coroutines: co_await a Future, co_await ex.schedule().
//
//   tpx::Future<int> f = ex.submit(work);
//   const int& v = co_await f;   // suspends until f is done; rethrows its exception
//   co_await ex.schedule();      // continues on a worker of ex
//
// A coroutine may itself return tpx::Future<T> (no separate task type): it
// starts at once, runs until its first suspension on the calling thread, and
// its future completes with its co_return value or its exception. So it can
// be awaited or waited for (result(), tpx::wait, as_completed) like any
// future; cancel() on it returns false (it is running, even while suspended).
//
// co_await on a Future<T> suspends the coroutine without blocking a thread
// and resumes it on the thread that completed the future (a worker, a
// Promise's owner, the caller of cancel()); a future already done does not
// suspend at all, so a long chain of awaits of done futures runs in constant
// stack. It yields result(): a const T& into the future's state (for an
// rvalue future, valid until the end of the full expression: copy the value
// out), std::exception's of the task rethrown, CancelledError if cancelled.
//
// co_await ex.schedule(TaskOptions = {}) queues the rest of the coroutine as a
// task of ex (with its priority and deadline, counted in stats() like any
// other) and resumes it on the worker that runs that task. It throws at the
// co_await: ShutdownError / BrokenExecutor when ex takes no work,
// DeadlineExceeded when the deadline passed first, ShutdownError when
// shutdown(cancel_futures) dropped it (the coroutine is then resumed on the
// thread that shut the pool down, so that nothing leaks); under
// WhenFull::caller_runs a full pool resumes it on the awaiting thread.
//
// No lost wake-up between "not done yet" and "suspended": the awaiter hangs a
// node on the future's callback list; the node's fire() and the awaiter's
// return from await_suspend both exchange one flag, and only the second of the
// two resumes (if the future completed first, await_suspend returns false and
// the coroutine goes on without suspending).
#pragma once

#include <atomic>
#include <chrono>
#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "tpx/detail/pool_entry.hpp"
#include "tpx/detail/shared_state.hpp"
#include "tpx/detail/task.hpp"
#include "tpx/detail/task_state.hpp"
#include "tpx/errors.hpp"
#include "tpx/future.hpp"
#include "tpx/options.hpp"

namespace tpx {
namespace detail {

std::exception_ptr schedule_dropped_error(const std::exception_ptr& reason) noexcept;

template <class T>
class FutureAwaiter {
 public:
  explicit FutureAwaiter(Future<T> future) noexcept : future_(std::move(future)) {}
  FutureAwaiter(const FutureAwaiter&) = delete;
  FutureAwaiter& operator=(const FutureAwaiter&) = delete;
  ~FutureAwaiter() {
    // Destroyed while suspended (the coroutine's owner destroyed the
    // coroutine before the future completed): take the node back off the
    // future. Acquire: pairs with fire()'s release.
    if (hung_ && !node_.fired.load(std::memory_order_acquire)) state_of(future_)->remove_callback(&node_);
  }

  // An empty future is "ready": await_resume then throws InvalidStateError.
  bool await_ready() const noexcept { return !future_.valid() || future_.done(); }

  bool await_suspend(std::coroutine_handle<> handle) noexcept {
    node_.handle = handle;
    hung_ = true;
    state_of(future_)->add_callback(&node_);  // fires at once, here, if it completed meanwhile
    // Acq_rel: the second of fire() and this exchange resumes (see the header comment).
    return !node_.arrived.exchange(true, std::memory_order_acq_rel);
  }

  decltype(auto) await_resume() const { return future_.result(); }

 private:
  struct ResumeNode final : CallbackNode {
    std::coroutine_handle<> handle;
    std::atomic<bool> arrived{false};  // the handshake: the second to set it resumes
    std::atomic<bool> fired{false};    // fire() ran: the node is off the future's list
    void fire(StateBase&) noexcept override {
      fired.store(true, std::memory_order_release);  // release: read by the awaiter's destructor
      // Acq_rel: as in await_suspend. Resuming is the last thing: the
      // coroutine may destroy this node (its awaiter) as soon as it runs.
      if (arrived.exchange(true, std::memory_order_acq_rel)) handle.resume();
    }
    void discard() noexcept override {}  // cannot happen: future_ keeps the state alive
  };

  Future<T> future_;
  ResumeNode node_;
  bool hung_ = false;
};

// co_await ex.schedule(): see the header comment.
class ScheduleAwaiter {
 public:
  ScheduleAwaiter(Pool& pool, const TaskOptions& opts) noexcept : pool_(&pool), opts_(opts) {}

  bool await_ready() const noexcept { return false; }

  bool await_suspend(std::coroutine_handle<> handle) {
    if (opts_.deadline && std::chrono::steady_clock::now() >= *opts_.deadline) {
      count_expired_at_submit(*pool_);
      error_ = deadline_exceeded_error(*opts_.deadline);
      return false;  // nothing queued: go on here, and await_resume throws
    }
    // May throw (ShutdownError, BrokenExecutor, QueueFull): the coroutine is
    // then resumed and the exception rethrown at the co_await. Once queued,
    // a worker may resume the coroutine before this returns: nothing here
    // touches the awaiter afterwards.
    enqueue_task(*pool_, Task(Resume{handle, this}), opts_.priority);
    return true;
  }

  void await_resume() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  struct Resume {
    std::coroutine_handle<> handle;
    ScheduleAwaiter* self;
    void operator()() noexcept {
      if (self->opts_.deadline && std::chrono::steady_clock::now() >= *self->opts_.deadline)
        self->error_ = deadline_exceeded_at_start(*self->opts_.deadline);
      handle.resume();
    }
    // Dropped by shutdown(cancel_futures) or a broken pool: resume with the error.
    void abandon(const std::exception_ptr& reason) noexcept {
      self->error_ = schedule_dropped_error(reason);
      handle.resume();
    }
  };

  Pool* pool_;
  TaskOptions opts_;
  std::exception_ptr error_;
};

}  // namespace detail

namespace detail {

// The promise of a coroutine that returns tpx::Future<T>. The coroutine owns
// its future's state as a running task owns it: claimed (kPending ->
// kRunning) from the start, so cancel() on its future returns false (a
// suspended coroutine is running, not queued), and completed by co_return,
// an escaping exception, or BrokenPromise if the frame is destroyed first.
template <class T>
class FuturePromiseBase {
 public:
  FuturePromiseBase() : state_(new SharedState<T>()) { state_->try_start(); }
  ~FuturePromiseBase() {
    if (!completed_) {
      state_->set_error(std::make_exception_ptr(
          BrokenPromise("tpx::BrokenPromise: a coroutine returning tpx::Future was destroyed before it finished")));
      state_->finish();
    }
    state_->release();  // the coroutine's reference; the futures hold their own
  }
  FuturePromiseBase(const FuturePromiseBase&) = delete;
  FuturePromiseBase& operator=(const FuturePromiseBase&) = delete;

  Future<T> get_return_object() {
    state_->add_ref();
    return make_future<T>(state_);
  }
  std::suspend_never initial_suspend() const noexcept { return {}; }  // eager: runs at once
  std::suspend_never final_suspend() const noexcept { return {}; }    // the frame goes at the end
  void unhandled_exception() noexcept {
    state_->set_error(std::current_exception());
    complete();
  }

 protected:
  void complete() noexcept {
    completed_ = true;
    state_->finish();  // wakes waiters, runs callbacks (and resumes coroutines awaiting this one)
  }
  SharedState<T>* state_;
  bool completed_ = false;
};

template <class T>
class FuturePromise : public FuturePromiseBase<T> {
 public:
  template <class U = T>
  void return_value(U&& value) {
    this->state_->emplace_value(std::forward<U>(value));  // a throwing copy goes to unhandled_exception
    this->complete();
  }
};

template <>
class FuturePromise<void> : public FuturePromiseBase<void> {
 public:
  void return_void() noexcept { this->complete(); }
};

}  // namespace detail

template <class T>
detail::FutureAwaiter<T> operator co_await(const Future<T>& future) noexcept {
  return detail::FutureAwaiter<T>(future);
}
template <class T>
detail::FutureAwaiter<T> operator co_await(Future<T>&& future) noexcept {
  return detail::FutureAwaiter<T>(std::move(future));
}

}  // namespace tpx

// A coroutine returning tpx::Future<T> (see the header comment).
template <class T, class... Args>
struct std::coroutine_traits<tpx::Future<T>, Args...> {
  static_assert(!std::is_reference_v<T>, "a coroutine returning tpx::Future<T&> is not supported: return a value");
  using promise_type = tpx::detail::FuturePromise<T>;
};
