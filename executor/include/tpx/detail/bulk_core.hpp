// tpx/detail/bulk_core.hpp — the machinery of ThreadPoolExecutor::bulk and bulk_async.
//
// [0, n) is cut into `chunks` contiguous pieces. A bulk queues one runner task
// per worker it can use (not one task per chunk); every participant (the
// runners, and bulk()'s caller) claims chunks with one fetch_add on `next_`
// until none is left, so the load balances itself and a chunk costs one
// uncontended-in-the-common-case RMW. The bulk is its own future's state
// (one allocation): the participant that completes the last chunk completes
// it, with the first exception thrown by a chunk.
//
// Invariants:
//   - Every chunk index below `chunks` is claimed exactly once (fetch_add) and
//     counted in `done_` exactly once, run or skipped; the state completes
//     when `done_` reaches `chunks`, so after every claimed chunk finished.
//   - A participant leaves only when `next_` >= chunks, unless it was
//     abandoned (its runner dropped by shutdown(cancel_futures) or a broken
//     pool): the last participant to leave claims and skips what is left, so
//     the state completes even when no runner ever ran (bulk_async).
// Memory ordering: a chunk's effects, and the first error, are written before
// that participant's done_ RMW (acq_rel); the completer's RMW acquires every
// earlier one, and finish() releases them to whoever sees the future done.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <type_traits>
#include <utility>

#include "tpx/detail/shared_state.hpp"
#include "tpx/errors.hpp"

namespace tpx::detail {

// How a bulk of `n` items is cut: `chunks` pieces of `chunk_size` (the last shorter).
struct BulkPlan {
  std::size_t n = 0;
  std::size_t chunk_size = 1;
  std::uint32_t chunks = 0;
};

// grain 0: about 4 chunks per participant (enough to balance uneven bodies,
// few enough that claiming is noise); else chunks of `grain` items. Capped so
// the chunk count fits 32 bits.
inline BulkPlan plan_bulk(std::size_t n, std::size_t grain, std::size_t participants) noexcept {
  BulkPlan plan;
  plan.n = n;
  if (n == 0) return plan;
  std::size_t size = grain;
  if (size == 0) {
    const std::size_t target = 4 * std::max<std::size_t>(participants, 1);
    size = (n + target - 1) / target;
  }
  constexpr std::size_t kMaxChunks = std::size_t{1} << 31;
  size = std::max(size, (n + kMaxChunks - 1) / kMaxChunks);
  plan.chunk_size = size;
  plan.chunks = static_cast<std::uint32_t>((n + size - 1) / size);
  return plan;
}

template <class Fn>
concept BulkRangeBody = std::is_invocable_v<Fn&, std::size_t, std::size_t>;
template <class Fn>
concept BulkIndexBody = std::is_invocable_v<Fn&, std::size_t>;

// Fn: the body (a reference for bulk(), whose caller outlives every chunk; a
// decayed copy for bulk_async()).
template <class Fn>
class BulkCore final : public SharedState<void> {
 public:
  template <class F>
  BulkCore(F&& fn, BulkPlan plan) : fn_(std::forward<F>(fn)), plan_(plan) {
    this->try_start();  // running from the start: a bulk cannot be cancelled, as a running task
    if (plan_.chunks == 0) this->finish();
  }

  // Before any participant can run: how many there are (runners + the caller).
  void set_participants(std::uint32_t count) noexcept {
    participants_.store(count, std::memory_order_relaxed);  // relaxed: published with the runners' enqueue
  }

  // bulk()'s caller, once done: takes the error out of the state, so that the
  // exception is destroyed on the caller's thread, not by whichever runner
  // drops the last reference later (a runner may start after bulk() returned).
  std::exception_ptr take_error() noexcept {
    std::exception_ptr error = this->error();
    this->set_error(nullptr);
    return error;
  }

  // Claims and runs chunks until none is left, then leaves.
  void participate() noexcept {
    for (;;) {
      // Relaxed: the claim needs only atomicity; the body and plan were
      // published to this thread before it could run (queue or caller).
      const std::uint64_t c = next_.fetch_add(1, std::memory_order_relaxed);
      if (c >= plan_.chunks) break;
      // Relaxed: skipping after a failure is best effort ("not started by then").
      if (!failed_.load(std::memory_order_relaxed)) run_chunk(static_cast<std::uint32_t>(c));
      chunk_done();
    }
    leave(nullptr);
  }

  // A runner dropped by the pool (shutdown(cancel_futures): null reason;
  // broken pool: the BrokenExecutor error) leaves without claiming.
  void abandon_participant(const std::exception_ptr& reason) noexcept { leave(&reason); }

 private:
  void run_chunk(std::uint32_t c) noexcept {
    const std::size_t begin = std::size_t{c} * plan_.chunk_size;
    const std::size_t end = std::min(plan_.n, begin + plan_.chunk_size);
    try {
      if constexpr (BulkRangeBody<Fn>) {
        fn_(begin, end);
      } else {
        for (std::size_t i = begin; i < end; ++i) fn_(i);
      }
    } catch (...) {
      record_failure(std::current_exception());
    }
  }

  void record_failure(std::exception_ptr error) noexcept {
    // Acq_rel: one winner writes error_; it is read after done_ reaches chunks.
    if (!failed_.exchange(true, std::memory_order_acq_rel)) error_ = std::move(error);
  }

  void chunk_done() noexcept {
    // Acq_rel: releases this chunk's effects; the last one acquires them all.
    if (done_.fetch_add(1, std::memory_order_acq_rel) + 1 != plan_.chunks) return;
    // Relaxed: ordered by done_. Moved, not copied: the state holds the only reference.
    if (failed_.load(std::memory_order_relaxed)) this->set_error(std::move(error_));
    this->finish();
  }

  void leave(const std::exception_ptr* abandoned) noexcept {
    // Acq_rel: the last participant sees every other's claims before it looks at next_.
    if (participants_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    // The last participant. Chunks are left only when every runner was dropped.
    if (abandoned == nullptr) return;
    bool recorded = false;
    for (;;) {
      const std::uint64_t c = next_.fetch_add(1, std::memory_order_relaxed);  // relaxed: as in participate()
      if (c >= plan_.chunks) break;
      if (!recorded) {
        record_failure(*abandoned ? *abandoned
                                  : std::make_exception_ptr(CancelledError(
                                        "tpx::CancelledError: the executor was shut down with cancel_futures "
                                        "before this bulk's chunks could run")));
        recorded = true;
      }
      chunk_done();
    }
  }

  Fn fn_;
  const BulkPlan plan_;
  std::atomic<std::uint64_t> next_{0};  // next chunk to claim (may run past chunks)
  std::atomic<std::uint32_t> done_{0};  // chunks run or skipped
  std::atomic<std::uint32_t> participants_{0};
  std::atomic<bool> failed_{false};
  std::exception_ptr error_;  // the first failure; moved into the state by the completer
};

// What the queue holds for a bulk: one participant, owning one reference.
template <class Core>
class BulkRunner {
 public:
  explicit BulkRunner(Core* core) noexcept : core_(core) { core_->add_ref(); }
  BulkRunner(BulkRunner&& other) noexcept : core_(std::exchange(other.core_, nullptr)) {}
  BulkRunner& operator=(BulkRunner&&) = delete;
  ~BulkRunner() {
    if (core_) core_->release();
  }
  void operator()() noexcept { core_->participate(); }
  void abandon(const std::exception_ptr& reason) noexcept { core_->abandon_participant(reason); }

 private:
  Core* core_;
};

}  // namespace tpx::detail
