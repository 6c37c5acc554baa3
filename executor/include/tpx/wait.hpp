// tpx/wait.hpp — tpx::as_completed and tpx::wait over any range of futures.
//
// Both accept any range of Future<T> (std::vector, const or rvalue, std::span,
// a named std::initializer_list), from any executors or Promises. Duplicates
// count once. Neither polls: the waiting thread parks on a futex until one of
// the futures completes (a worker thread runs queued tasks of its executor
// meanwhile; with a timeout it starts no such task after the deadline, so it
// overruns it by at most the one task it was running). Cancelled futures count
// as completed. A wait that returns takes its waiter off every future it
// watched: polling with a zero timeout leaves nothing behind.
//
// Memory ordering: a future yielded by as_completed, or in WaitResult::done,
// is done, with the guarantees of Future::done().
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <ranges>
#include <type_traits>
#include <utility>
#include <vector>

#include "tpx/detail/deadline.hpp"
#include "tpx/detail/helper.hpp"
#include "tpx/detail/lazy_iterator.hpp"
#include "tpx/detail/multi_waiter.hpp"
#include "tpx/future.hpp"
#include "tpx/options.hpp"

namespace tpx {

template <class T>
struct WaitResult {
  std::vector<Future<T>> done;
  std::vector<Future<T>> not_done;
};

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

}  // namespace detail

// The input range returned by as_completed(): first the futures already done
// at the call (in input order), then the others as they complete.
template <class T>
class AsCompleted {
 public:
  using iterator = detail::LazyInputIterator<AsCompleted, Future<T>>;

  AsCompleted(std::vector<Future<T>> futures, detail::Clock::time_point deadline,
              std::chrono::nanoseconds timeout)
      : futures_(std::move(futures)), deadline_(deadline), timeout_(timeout) {
    pending_ = futures_.size();
    // Every index lands in order_ once: with this room, taking completions
    // never allocates (so none is lost to a failed allocation).
    order_.reserve(futures_.size());
    try {
      // Done ones first, in input order; the rest get a waiter node each.
      for (std::uint32_t i = 0; i < futures_.size(); ++i) {
        if (futures_[i].done()) {
          order_.push_back(i);
        } else {
          if (!waiter_) waiter_ = detail::MultiWaiter::create();
          waiter_->watch(*detail::state_of(futures_[i]), i);
        }
      }
    } catch (...) {
      drop_waiter();  // no destructor runs for a constructor that throws
      throw;
    }
  }
  AsCompleted(AsCompleted&& other) noexcept
      : futures_(std::move(other.futures_)),
        order_(std::move(other.order_)),
        head_(other.head_),
        pending_(other.pending_),
        claim_cursor_(other.claim_cursor_),
        deadline_(other.deadline_),
        timeout_(other.timeout_),
        waiter_(std::exchange(other.waiter_, nullptr)) {}
  AsCompleted& operator=(AsCompleted&&) = delete;
  ~AsCompleted() { drop_waiter(); }

  iterator begin() noexcept { return iterator(this); }
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  friend iterator;
  bool at_end() const noexcept { return pending_ == 0 && head_ >= order_.size(); }
  // Takes the waiter's nodes off the futures still pending, then lets it go.
  void drop_waiter() noexcept {
    if (!waiter_) return;
    waiter_->detach();
    std::exchange(waiter_, nullptr)->release();
  }
  // The next future: waits for one to complete when none is ready.
  const Future<T>& current() {
    while (head_ >= order_.size()) {
      if (waiter_->take_ready(order_)) break;
      if (detail::run_one_inline(futures_, claim_cursor_, deadline_)) continue;  // its completion is now ready
      if (!waiter_->wait_until(deadline_)) {
        if (waiter_->take_ready(order_)) break;
        detail::throw_as_completed_timeout(pending_, futures_.size(), timeout_);
      }
    }
    return futures_[order_[head_]];
  }
  void advance() {
    current();
    ++head_;
    --pending_;
  }

  std::vector<Future<T>> futures_;
  std::vector<std::uint32_t> order_;  // indexes into futures_, in the order to yield
  std::size_t head_ = 0;              // next index of order_ to yield
  std::size_t pending_ = 0;           // futures not yet yielded
  std::size_t claim_cursor_ = 0;      // next future a helping worker may run inline
  detail::Clock::time_point deadline_;
  std::chrono::nanoseconds timeout_;
  detail::MultiWaiter* waiter_ = nullptr;
};

// Yields each distinct future once: those already done first, then the rest as
// they complete.
template <detail::FutureRange Futures>
auto as_completed(Futures&& fs) {
  using T = typename detail::range_future_t<Futures>::value_type;
  return AsCompleted<T>(detail::distinct_futures<T>(fs), detail::kNoDeadline, std::chrono::nanoseconds::max());
}
// As above; iterating throws TimeoutError once `timeout` (measured from this
// call) has passed with futures still unfinished.
template <detail::FutureRange Futures, class Rep, class Period>
auto as_completed(Futures&& fs, std::chrono::duration<Rep, Period> timeout) {
  using T = typename detail::range_future_t<Futures>::value_type;
  const auto deadline = detail::deadline_after(timeout);
  return AsCompleted<T>(detail::distinct_futures<T>(fs), deadline,
                        std::chrono::duration_cast<std::chrono::nanoseconds>(timeout));
}
template <class T>
auto as_completed(std::initializer_list<Future<T>> fs) {
  return AsCompleted<T>(detail::distinct_futures<T>(fs), detail::kNoDeadline, std::chrono::nanoseconds::max());
}
template <class T, class Rep, class Period>
auto as_completed(std::initializer_list<Future<T>> fs, std::chrono::duration<Rep, Period> timeout) {
  const auto deadline = detail::deadline_after(timeout);
  return AsCompleted<T>(detail::distinct_futures<T>(fs), deadline,
                        std::chrono::duration_cast<std::chrono::nanoseconds>(timeout));
}

namespace detail {

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
      if (!state_of(f)->wait_until(deadline)) break;  // timed out: the rest go to not_done
    return partition_done(futures);
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

// Waits until `return_when` holds: all_completed (default), first_completed, or
// first_exception (any future finished with an exception — cancelled is not
// one — else all completed). Returns at once when the condition already holds.
template <detail::FutureRange Futures>
auto wait(Futures&& fs, ReturnWhen return_when = ReturnWhen::all_completed) {
  using T = typename detail::range_future_t<Futures>::value_type;
  return detail::wait_impl<T>(detail::distinct_futures<T>(fs), detail::kNoDeadline, return_when);
}
// As above, bounded by `timeout`; on timeout it returns (does not throw) with
// the unfinished futures in not_done.
template <detail::FutureRange Futures, class Rep, class Period>
auto wait(Futures&& fs, std::chrono::duration<Rep, Period> timeout,
          ReturnWhen return_when = ReturnWhen::all_completed) {
  using T = typename detail::range_future_t<Futures>::value_type;
  const auto deadline = detail::deadline_after(timeout);
  return detail::wait_impl<T>(detail::distinct_futures<T>(fs), deadline, return_when);
}
template <class T>
auto wait(std::initializer_list<Future<T>> fs, ReturnWhen return_when = ReturnWhen::all_completed) {
  return detail::wait_impl<T>(detail::distinct_futures<T>(fs), detail::kNoDeadline, return_when);
}

}  // namespace tpx
