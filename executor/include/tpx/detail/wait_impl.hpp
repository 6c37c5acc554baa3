// tpx/detail/wait_impl.hpp — the machinery behind tpx::wait and tpx::as_completed
// (tpx/wait.hpp): collecting distinct futures, claiming still-queued ones on a
// worker, and wait()'s loop over a MultiWaiter.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ranges>
#include <type_traits>
#include <utility>
#include <vector>

#include "tpx/detail/deadline.hpp"
#include "tpx/detail/helper.hpp"
#include "tpx/detail/multi_waiter.hpp"
#include "tpx/future.hpp"
#include "tpx/options.hpp"

namespace tpx {

template <class T>
struct WaitResult;

namespace detail {

template <class R>
using range_future_t = std::remove_cvref_t<std::ranges::range_reference_t<R>>;
template <class R>
concept FutureRange = std::ranges::input_range<R> && requires { typename range_future_t<R>::value_type; } &&
                      std::is_same_v<range_future_t<R>, Future<typename range_future_t<R>::value_type>>;

// Distinct valid futures of the range, in input order (states are compared).
std::vector<std::size_t> distinct_indexes(const std::vector<const StateBase*>& states);

template <class T, class R>
std::vector<Future<T>> distinct_futures(R&& range) {
  std::vector<Future<T>> all;
  if constexpr (std::ranges::sized_range<R>) all.reserve(std::ranges::size(range));
  for (const Future<T>& f : range) {
    if (!f.valid()) throw_no_state("as_completed/wait (a future in the range)");
    all.push_back(f);
  }
  std::vector<const StateBase*> states;
  states.reserve(all.size());
  for (const auto& f : all) states.push_back(state_of(f));
  std::vector<Future<T>> distinct;
  const auto keep = distinct_indexes(states);
  if (keep.size() == all.size()) return all;
  distinct.reserve(keep.size());
  for (std::size_t i : keep) distinct.push_back(std::move(all[i]));
  return distinct;
}

// On a worker thread, runs the first still-queued task of its own executor among
// futures[cursor..] inline and returns true. The cursor only moves forward: a
// future passed over is running or done and never becomes pending again, so a
// whole as_completed/wait scans each future once.
// Nothing is started once `deadline` has passed.
template <class T>
bool run_one_inline(const std::vector<Future<T>>& futures, std::size_t& cursor, Clock::time_point deadline) noexcept {
  if (current_helper() == nullptr) return false;
  if (deadline != kNoDeadline && Clock::now() >= deadline) return false;
  while (cursor < futures.size())
    if (state_of(futures[cursor++])->try_run_inline()) return true;
  return false;
}

[[noreturn]] void throw_as_completed_timeout(std::size_t unfinished, std::size_t total, std::chrono::nanoseconds timeout);

template <class T>
bool failed(const Future<T>& f) noexcept {
  return f.done() && !f.cancelled() && state_of(f)->error() != nullptr;
}

template <class T>
WaitResult<T> partition_done(std::vector<Future<T>>& futures) {
  WaitResult<T> result;
  for (auto& f : futures) (f.done() ? result.done : result.not_done).push_back(std::move(f));
  return result;
}

template <class T>
WaitResult<T> wait_impl(std::vector<Future<T>> futures, Clock::time_point deadline, ReturnWhen when) {
  if (when == ReturnWhen::all_completed) {
    // Every future must finish, so wait for each in turn: no waiter node per
    // future, at most one park per unfinished one, and a worker still runs
    // its own queued tasks inline (wait_until).
    for (const auto& f : futures)
      if (!state_of(f)->wait_until(deadline)) return partition_done(futures);  // timed out
    // Every one is done: the vector is the result as it stands (no second
    // pass over states that, for a large wait, have left the cache).
    WaitResult<T> result;
    result.done = std::move(futures);
    return result;
  }
  auto satisfied = [&](std::size_t done_count, bool any_failed) {
    if (when == ReturnWhen::first_completed) return done_count > 0 || futures.empty();
    return any_failed || done_count == futures.size();  // first_exception
  };
  std::size_t done_count = 0;
  bool any_failed = false;
  for (const auto& f : futures) {
    if (f.done()) ++done_count, any_failed = any_failed || failed(f);
  }
  if (satisfied(done_count, any_failed)) return partition_done(futures);
  // The waiter's nodes come off every future on the way out, however it ends.
  struct WaiterScope {
    MultiWaiter* waiter = MultiWaiter::create();
    ~WaiterScope() {
      waiter->detach();
      waiter->release();
    }
  } scope;
  MultiWaiter* const waiter = scope.waiter;
  waiter->reserve(futures.size());
  done_count = 0;
  any_failed = false;
  std::vector<std::uint32_t> ready;
  ready.reserve(futures.size());  // take_ready never allocates (see multi_waiter.hpp)
  for (std::uint32_t i = 0; i < futures.size(); ++i) waiter->watch(*state_of(futures[i]), i);
  std::size_t claim_cursor = 0;
  for (;;) {
    ready.clear();
    if (waiter->take_ready(ready)) {
      for (auto i : ready) ++done_count, any_failed = any_failed || failed(futures[i]);
      if (satisfied(done_count, any_failed)) break;
    } else if (run_one_inline(futures, claim_cursor, deadline)) {
      continue;  // a worker ran one of the awaited tasks itself; its completion is now ready
    } else if (!waiter->wait_until(deadline)) {
      break;
    }
  }
  return partition_done(futures);
}

}  // namespace detail
}  // namespace tpx
