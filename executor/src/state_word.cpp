// Waiting on a StateWord: spin briefly, help if on a worker, then park.
#include "tpx/detail/state_word.hpp"

#include <algorithm>
#include <climits>

#include "tpx/detail/futex.hpp"
#include "tpx/detail/helper.hpp"
#include "tpx/detail/spin.hpp"

namespace tpx::detail {

namespace {
// How long a non-worker thread spins on a pending future before parking:
// about the cost of one cross-CPU futex wake on the 2-vCPU VM we measure on.
constexpr auto kWaiterSpin = std::chrono::microseconds(50);
}  // namespace

void StateWord::wake_if(std::uint32_t old_word) noexcept {
  if (old_word & kWaiters) futex_wake(word_, INT_MAX);
}

bool StateWord::wait_until(Clock::time_point deadline) noexcept {
  // A short spin first: a task that is about to finish costs less than a park.
  for (int i = 0; i < 64; ++i) {
    if (done()) return true;
    cpu_relax();
  }
  Helper* const helper = current_helper();
  if (helper == nullptr) {
    // A thread that cannot help (not a worker) spins longer, politely
    // (pause, then sched_yield), before it parks: a completion seen while
    // spinning costs the completer no FUTEX_WAKE and this thread no wake-up,
    // which on a VM, across CPUs, is tens of µs (BENCHMARKS.md, roundtrip_cold).
    // Bounded by kWaiterSpin per wait, negligible beside a wait that parks.
    const auto spin_until = std::min(deadline, Clock::now() + kWaiterSpin);
    Backoff backoff;
    while (Clock::now() < spin_until) {
      if (done()) return true;
      backoff.pause();
    }
  }
  // A helping worker parks only briefly, then looks at its queue again: a task
  // queued meanwhile may be the one the awaited future depends on.
  auto nap = std::chrono::nanoseconds(std::chrono::microseconds(50));
  constexpr auto kMaxNap = std::chrono::nanoseconds(std::chrono::milliseconds(1));
  for (;;) {
    std::uint32_t cur = word_.load(std::memory_order_acquire);  // acquire: see the value if done
    if ((cur & kPhaseMask) >= kFinished) return true;
    if (helper && helper->run_one_queued(deadline)) {
      nap = std::chrono::microseconds(50);
      continue;
    }
    if (deadline != kNoDeadline && Clock::now() >= deadline) return false;
    if (!(cur & kWaiters)) {
      // Relaxed: the waiter bit only has to be in the word's modification order
      // before the completer's exchange; the value is read after wake with acquire.
      if (!word_.compare_exchange_weak(cur, cur | kWaiters, std::memory_order_relaxed, std::memory_order_relaxed))
        continue;
      cur |= kWaiters;
    }
    if (helper) {
      auto budget = nap;
      if (deadline != kNoDeadline) budget = std::min<std::chrono::nanoseconds>(budget, deadline - Clock::now());
      futex_wait_for(word_, cur, budget);
      nap = std::min(nap * 2, kMaxNap);
    } else if (deadline == kNoDeadline) {
      futex_wait(word_, cur);
    } else {
      futex_wait_for(word_, cur, deadline - Clock::now());
    }
  }
}

}  // namespace tpx::detail
