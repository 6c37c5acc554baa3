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
#include <initializer_list>
#include <iterator>
#include <utility>
#include <vector>

#include "tpx/detail/deadline.hpp"
#include "tpx/detail/lazy_iterator.hpp"
#include "tpx/detail/multi_waiter.hpp"
#include "tpx/detail/wait_impl.hpp"
#include "tpx/future.hpp"
#include "tpx/options.hpp"

namespace tpx {

template <class T>
struct WaitResult {
  std::vector<Future<T>> done;
  std::vector<Future<T>> not_done;
};


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
