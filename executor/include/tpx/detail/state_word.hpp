// tpx/detail/state_word.hpp — the one-word lifecycle of a future (or a map chunk).
//
//   bits 0-1  phase: kPending -> kRunning -> kFinished, or kPending -> kCancelled
//   bit  2    kWaiters: some thread parked (or is about to park) on this word
//
// Completing (kRunning -> kFinished, kPending -> kCancelled) is one exchange
// that also clears kWaiters; it makes a FUTEX_WAKE only when kWaiters was set.
//
// No lost wake-up: a waiter sets kWaiters with a CAS that succeeds only while
// the phase is not done, then parks on the word expecting exactly that value.
// Every update of the word is a read-modify-write, so all updates are totally
// ordered: if the completer's exchange comes after the waiter's CAS, it sees
// kWaiters and wakes; if it comes before, the CAS fails (the waiter re-reads
// and sees done), or the kernel finds the word changed and does not sleep.
//
// Memory ordering: the completer writes the value/error, then exchanges with
// release; whoever observes a done phase with acquire reads them.
//
// Atom: the atomics seam (as in WorkDeque): a deterministic scheduler or model
// checker can replace std::atomic. wait_until and wake_if are compiled in the
// library for std::atomic (state_word.cpp); another Atom instantiates them
// from executor/src/state_word_impl.hpp, with futex functions of its own
// (see executor/src/wait_on_word.hpp).
#pragma once

#include <atomic>
#include <cstdint>

#include "tpx/detail/deadline.hpp"

namespace tpx::detail {

template <template <class> class Atom = std::atomic>
class BasicStateWord {
 public:
  static constexpr std::uint32_t kPending = 0;
  static constexpr std::uint32_t kRunning = 1;
  static constexpr std::uint32_t kFinished = 2;
  static constexpr std::uint32_t kCancelled = 3;
  static constexpr std::uint32_t kPhaseMask = 3;
  static constexpr std::uint32_t kWaiters = 4;
  static_assert((kPhaseMask & kWaiters) == 0, "the waiter bit must not overlap the phase");
  static_assert(kFinished < kCancelled && kRunning < kFinished, "done() relies on phase >= kFinished");

  std::uint32_t phase() const noexcept {
    // Acquire: a caller that sees a done phase then reads the value or error.
    return word_.load(std::memory_order_acquire) & kPhaseMask;
  }
  bool done() const noexcept { return phase() >= kFinished; }

  // kPending -> kRunning: the caller now owns the right to complete.
  // The waiter bit is kept: a thread may already be parked on a pending future.
  bool try_start() noexcept {
    std::uint32_t cur = word_.load(std::memory_order_relaxed);  // relaxed: only a first guess for the CAS
    while ((cur & kPhaseMask) == kPending) {
      // Acquire on success: the task body is ordered after the claim. Relaxed on
      // failure: the loser reads nothing the winner wrote.
      if (word_.compare_exchange_weak(cur, cur | kRunning, std::memory_order_acquire, std::memory_order_relaxed))
        return true;
    }
    return false;
  }

  // kPending -> kCancelled, without waking (the caller then calls wake_if()).
  // Returns the phase seen: kPending when this call cancelled.
  std::uint32_t try_cancel(std::uint32_t& old_word) noexcept {
    std::uint32_t cur = word_.load(std::memory_order_relaxed);  // relaxed: only a first guess for the CAS
    while ((cur & kPhaseMask) == kPending) {
      // Acq_rel: release publishes nothing new, but keeps the exchange protocol
      // uniform; acquire orders the callbacks that follow after the transition.
      if (word_.compare_exchange_weak(cur, kCancelled, std::memory_order_acq_rel, std::memory_order_relaxed)) {
        old_word = cur;
        return kPending;
      }
    }
    old_word = cur;
    return cur & kPhaseMask;
  }

  // Sets a done phase (kFinished from kRunning). Returns the previous word.
  std::uint32_t complete(std::uint32_t done_phase) noexcept {
    // Release: the value/error written before is visible to whoever sees done.
    // Acquire: keeps the wake (and callbacks) after everything the word saw.
    return word_.exchange(done_phase, std::memory_order_acq_rel);
  }

  // Wakes every parked waiter when `old_word` (returned by complete/try_cancel) had kWaiters.
  void wake_if(std::uint32_t old_word) noexcept;

  // Blocks until done or `deadline`; true when done. On a worker thread it runs
  // queued tasks of its executor while it waits (help-while-waiting).
  bool wait_until(Clock::time_point deadline) noexcept;

 private:
  Atom<std::uint32_t> word_{kPending};
};

using StateWord = BasicStateWord<>;
extern template void BasicStateWord<std::atomic>::wake_if(std::uint32_t) noexcept;
extern template bool BasicStateWord<std::atomic>::wait_until(Clock::time_point) noexcept;

}  // namespace tpx::detail
