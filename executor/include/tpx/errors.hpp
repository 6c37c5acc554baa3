// tpx/errors.hpp — the exceptions tpx throws. All derive from tpx::Error.
#pragma once

#include <stdexcept>
#include <string>

namespace tpx {

// Base of every tpx error (itself a std::runtime_error).
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// result()/exception() of a cancelled future.
struct CancelledError : Error {
  CancelledError() : Error("tpx::CancelledError: the future was cancelled") {}
  using Error::Error;
};

// A timeout elapsed (result, exception, as_completed, map).
struct TimeoutError : Error {
  using Error::Error;
};

// The executor's initializer threw: pending futures fail with it, submit throws it.
struct BrokenExecutor : Error {
  using Error::Error;
};

// submit/post/map after shutdown().
struct ShutdownError : Error {
  using Error::Error;
};

// A Promise completed twice, or after cancel(); an operation on an empty Future.
struct InvalidStateError : Error {
  using Error::Error;
};

// A task whose TaskOptions::deadline passed before a worker could start it: its
// future fails with this (a post()ed task reports it to the error reporter).
struct DeadlineExceeded : TimeoutError {
  using TimeoutError::TimeoutError;
};

// Options::when_full == WhenFull::reject and Options::max_queued tasks are queued.
struct QueueFull : Error {
  using Error::Error;
};

// A Promise destroyed without a value.
struct BrokenPromise : Error {
  BrokenPromise() : Error("tpx::BrokenPromise: the Promise was destroyed before it set a value or an exception") {}
  using Error::Error;
};

}  // namespace tpx
