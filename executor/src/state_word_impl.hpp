// state_word_impl.hpp (internal) — BasicStateWord's waiting members: the one
// waiting loop (wait_on_word.hpp) with the waiter bit as the announcement.
// Compiled for std::atomic in state_word.cpp; include this for another Atom.
#pragma once

#include <climits>
#include <optional>

#include "tpx/detail/helper.hpp"
#include "tpx/detail/state_word.hpp"
#include "wait_on_word.hpp"

namespace tpx::detail {

template <template <class> class Atom>
void BasicStateWord<Atom>::wake_if(std::uint32_t old_word) noexcept {
  if (old_word & kWaiters) futex_wake(word_, INT_MAX);
}

template <template <class> class Atom>
bool BasicStateWord<Atom>::wait_until(Clock::time_point deadline) noexcept {
  struct Waiting {
    BasicStateWord& self;
    bool ready() const noexcept { return self.done(); }
    // No lost wake-up (see the header): the waiter bit goes into the word with
    // a CAS that succeeds only while the phase is not done, and the thread
    // sleeps only while the word still holds that value; the completer's
    // exchange, later in the word's modification order, sees the bit and wakes.
    std::optional<std::uint32_t> arm() noexcept {
      std::uint32_t cur = self.word_.load(std::memory_order_acquire);  // acquire: see the value if done
      if ((cur & kPhaseMask) >= kFinished) return std::nullopt;
      if (cur & kWaiters) return cur;
      // Relaxed: the bit only has to be in the word's modification order before
      // the completer's exchange; the value is read after waking, with acquire.
      if (!self.word_.compare_exchange_weak(cur, cur | kWaiters, std::memory_order_relaxed,
                                            std::memory_order_relaxed))
        return std::nullopt;
      return cur | kWaiters;
    }
    Atom<std::uint32_t>& word() noexcept { return self.word_; }
  } waiting{*this};
  return wait_on_word(waiting, deadline, current_helper());
}

}  // namespace tpx::detail
