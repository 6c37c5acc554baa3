// tpx/future.hpp — tpx::Future<T>: the result of a submitted task or of a Promise.
//
// A Future is a copyable handle to a shared state (a recycled block, reference
// counted); Future<void> and Future<T&> work too. Semantics follow Python's
// concurrent.futures.Future: cancel() succeeds only while pending; result()
// rethrows the task's exception, throws CancelledError when cancelled and
// TimeoutError when a timeout elapses.
//
// Memory ordering: everything the task (or the Promise's owner) did before it
// returned (set the value) is visible to any thread that sees done() == true,
// returns from result()/exception(), or runs a done callback of this future.
//
// Waiting: result() spins briefly, then parks on a futex; the completing thread
// makes a wake syscall only when a waiter registered. Called on a worker thread
// of an executor, result() runs that executor's queued tasks while it waits.
// Timeouts: a timed wait never starts a helped task after its deadline, so it
// returns at most one task late (the one it was already running when the
// deadline passed); this holds for result, exception, tpx::wait,
// tpx::as_completed and map's timeout alike.
//
// Done callbacks run in the order they were added, on the thread that completes
// the future (a worker, the Promise's owner, the caller of cancel()), or at once
// on the caller of add_done_callback() when the future is already done. An
// exception from a callback goes to the error reporter (see error_reporter.hpp).
#pragma once

#include <chrono>
#include <exception>
#include <type_traits>
#include <utility>

#include "tpx/detail/deadline.hpp"
#include "tpx/detail/shared_state.hpp"
#include "tpx/error_reporter.hpp"
#include "tpx/errors.hpp"

namespace tpx {

template <class T>
class Future;
template <class T>
class Promise;
class ThreadPoolExecutor;

namespace detail {
[[noreturn]] void throw_no_state(const char* operation);
[[noreturn]] void throw_future_timeout(std::chrono::nanoseconds timeout);
template <class T>
Future<T> make_future(SharedState<T>* state) noexcept;
template <class T>
SharedState<T>* state_of(const Future<T>& f) noexcept;
}  // namespace detail

template <class T>
class Future {
 public:
  using value_type = T;
  using result_type = std::conditional_t<std::is_void_v<T>, void, std::add_lvalue_reference_t<const T>>;

  Future() noexcept = default;
  Future(const Future& other) noexcept : state_(other.state_) {
    if (state_) state_->add_ref();
  }
  Future(Future&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
  Future& operator=(const Future& other) noexcept {
    Future(other).swap(*this);
    return *this;
  }
  Future& operator=(Future&& other) noexcept {
    Future(std::move(other)).swap(*this);
    return *this;
  }
  ~Future() {
    if (state_) state_->release();
  }
  void swap(Future& other) noexcept { std::swap(state_, other.state_); }

  // Blocks until done; returns the value, rethrows the task's exception, or
  // throws CancelledError.
  result_type result() const {
    checked("result").wait_until(detail::kNoDeadline);
    return get();
  }
  template <class Rep, class Period>
  result_type result(std::chrono::duration<Rep, Period> timeout) const {
    if (!checked("result").wait_until(detail::deadline_after(timeout)))
      detail::throw_future_timeout(std::chrono::duration_cast<std::chrono::nanoseconds>(timeout));
    return get();
  }

  // Blocks until done; the task's exception, or nullptr when it returned
  // normally. Throws CancelledError when cancelled.
  std::exception_ptr exception() const {
    checked("exception").wait_until(detail::kNoDeadline);
    return get_exception();
  }
  template <class Rep, class Period>
  std::exception_ptr exception(std::chrono::duration<Rep, Period> timeout) const {
    if (!checked("exception").wait_until(detail::deadline_after(timeout)))
      detail::throw_future_timeout(std::chrono::duration_cast<std::chrono::nanoseconds>(timeout));
    return get_exception();
  }

  // True if the future was pending (it is now cancelled) or already cancelled;
  // false once it is running or finished.
  bool cancel() { return checked("cancel").cancel(); }
  bool cancelled() const noexcept { return state_ && state_->cancelled(); }
  bool running() const noexcept { return state_ && state_->running(); }
  // Finished (with a value or an exception) or cancelled.
  bool done() const noexcept { return state_ && state_->done(); }
  bool valid() const noexcept { return state_ != nullptr; }

  // fn(const Future<T>&) runs once when the future is done — now, on this
  // thread, if it already is. fn is decay-copied.
  template <class F>
  void add_done_callback(F&& fn);

  friend bool operator==(const Future& a, const Future& b) noexcept { return a.state_ == b.state_; }

 private:
  template <class U>
  friend Future<U> detail::make_future(detail::SharedState<U>*) noexcept;
  template <class U>
  friend detail::SharedState<U>* detail::state_of(const Future<U>&) noexcept;

  explicit Future(detail::SharedState<T>* adopted) noexcept : state_(adopted) {}

  detail::SharedState<T>& checked(const char* operation) const {
    if (!state_) detail::throw_no_state(operation);
    return *state_;
  }
  result_type get() const {
    if (state_->cancelled()) throw CancelledError();
    if (state_->error()) std::rethrow_exception(state_->error());
    return state_->value();
  }
  std::exception_ptr get_exception() const {
    if (state_->cancelled()) throw CancelledError();
    return state_->error();
  }

  detail::SharedState<T>* state_ = nullptr;
};

namespace detail {

// Adopts one reference.
template <class T>
Future<T> make_future(SharedState<T>* state) noexcept {
  return Future<T>(state);
}
template <class T>
SharedState<T>* state_of(const Future<T>& f) noexcept {
  return f.state_;
}

template <class T, class F>
class DoneCallback final : public CallbackNode {
 public:
  explicit DoneCallback(F&& fn) : fn_(std::move(fn)) {}
  explicit DoneCallback(const F& fn) : fn_(fn) {}

  void fire(StateBase& state) noexcept override {
    auto& typed = static_cast<SharedState<T>&>(state);
    typed.add_ref();
    const Future<T> future = make_future(&typed);
    try {
      fn_(future);
    } catch (...) {
      report_error(std::current_exception(), "tpx::Future done callback");
    }
    delete this;
  }
  void discard() noexcept override { delete this; }

 private:
  F fn_;
};

}  // namespace detail

template <class T>
template <class F>
void Future<T>::add_done_callback(F&& fn) {
  static_assert(std::is_invocable_v<std::decay_t<F>&, const Future<T>&>,
                "add_done_callback: fn must be callable as fn(const tpx::Future<T>&)");
  auto& state = checked("add_done_callback");
  state.add_callback(new detail::DoneCallback<T, std::decay_t<F>>(std::forward<F>(fn)));
}

}  // namespace tpx
