// tpx/promise.hpp — tpx::Promise<T>: completes a Future from outside any executor.
//
// Memory ordering: everything the setting thread did before set_value() /
// set_exception() is visible to whoever sees the future done.
#pragma once

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "tpx/future.hpp"

namespace tpx {

namespace detail {
[[noreturn]] void throw_promise_state(const char* operation, std::uint32_t phase);
}

template <class T>
class Promise {
 public:
  Promise() : state_(new detail::SharedState<T>) {}
  Promise(Promise&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
  Promise& operator=(Promise&& other) noexcept {
    if (this != &other) {
      abandon();
      state_ = std::exchange(other.state_, nullptr);
    }
    return *this;
  }
  Promise(const Promise&) = delete;
  Promise& operator=(const Promise&) = delete;
  // A promise destroyed before it set anything completes its future with
  // tpx::BrokenPromise: a waiter never hangs.
  ~Promise() { abandon(); }

  // Another handle to the promised future (may be called any number of times).
  Future<T> get_future() const {
    if (!state_) detail::throw_no_state("get_future");
    state_->add_ref();
    return detail::make_future(state_);
  }

  // InvalidStateError when the future is already finished or cancelled.
  template <class U = T>
    requires(!std::is_void_v<U>)
  void set_value(std::type_identity_t<U> value) {
    const Completing state = claim("set_value");
    try {
      if constexpr (std::is_reference_v<T>)
        state->emplace_value(value);
      else
        state->emplace_value(std::move(value));
    } catch (...) {  // the value's move threw: the future carries that instead of hanging
      state->set_error(std::current_exception());
      state->finish();
      throw;
    }
    state->finish();
  }
  template <class U = T>
    requires std::is_void_v<U>
  void set_value() {
    claim("set_value")->finish();
  }

  void set_exception(std::exception_ptr error) {
    if (!error) throw std::invalid_argument("tpx::Promise::set_exception: the exception_ptr is null");
    const Completing state = claim("set_exception");
    state->set_error(std::move(error));
    state->finish();
  }

 private:
  // A reference held for the duration of a completion: a thread that sees the
  // future done may destroy this Promise (and drop the future) while finish()
  // still wakes waiters and runs callbacks on the state.
  class Completing {
   public:
    explicit Completing(detail::SharedState<T>* s) noexcept : s_(s) { s_->add_ref(); }
    ~Completing() { s_->release(); }
    Completing(const Completing&) = delete;
    Completing& operator=(const Completing&) = delete;
    detail::SharedState<T>* operator->() const noexcept { return s_; }

   private:
    detail::SharedState<T>* s_;
  };

  Completing claim(const char* operation) {
    if (!state_) detail::throw_no_state(operation);
    if (!state_->try_start()) detail::throw_promise_state(operation, state_->phase());
    return Completing(state_);
  }
  void abandon() noexcept {
    if (!state_) return;
    if (!state_->done()) state_->fail_if_pending(std::make_exception_ptr(BrokenPromise()));
    std::exchange(state_, nullptr)->release();
  }

  detail::SharedState<T>* state_;
};

}  // namespace tpx
