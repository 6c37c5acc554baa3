// wait_on_word.hpp (internal) — tpx's one waiting loop.
//
// Every blocking wait in tpx waits here: a future's result (StateWord), wait()
// and as_completed() on many futures (MultiWaiter), and shutdown's join
// (Pool::join_workers). Four phases, each with its named bound:
//   poll  kPolls checks of the condition with a pause between: a task about
//         to finish costs less than a park.
//   spin  a thread that cannot help spins politely (pause, then sched_yield)
//         for up to kOutsiderSpin: a completion seen here costs the completer
//         no FUTEX_WAKE and this thread no wake-up, which on a VM, across
//         CPUs, is tens of µs (BENCHMARKS.md, roundtrip cold:1).
//   help  a worker runs one queued task of its executor, then looks again:
//         the awaited task may depend on one queued behind it.
//   park  announce, then sleep on the futex word while it holds the announced
//         value: a helping worker for a nap (kFirstNap, doubling to kMaxNap;
//         then it looks at its queue again, where a task queued meanwhile may
//         be the one it waits for), any other thread until woken or deadline.
//
// No lost wake-up is the Waitable's part, argued beside each arm(): arm()
// announces the thread to whoever will make the condition true (a bit in the
// word itself, or a flag ordered against the condition by seq_cst) and
// returns the value the word must still hold for the thread to sleep. The
// kernel compares and sleeps atomically, so a waker that comes after arm()
// either changed the word (the futex returns at once) or sees the
// announcement and wakes the sleeper.
//
// The futex calls are unqualified: a Waitable whose word is not a std::atomic
// (the Atom seam, for a deterministic scheduler or model checker) brings its
// own futex_wait / futex_wait_for, found by argument-dependent lookup.
#pragma once

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>

#include "futex.hpp"
#include "spin.hpp"
#include "tpx/detail/deadline.hpp"
#include "tpx/detail/helper.hpp"

namespace tpx::detail {

// Polls of the condition before anything else.
inline constexpr int kPolls = 64;
// How long a thread that cannot help spins before it parks: about the cost of
// one cross-CPU futex wake on the 2-vCPU VM we measure on. Bounded per wait,
// negligible beside a wait that parks.
inline constexpr std::chrono::nanoseconds kOutsiderSpin = std::chrono::microseconds(50);
// A helping worker's naps: the first, and the longest after doubling.
inline constexpr std::chrono::nanoseconds kFirstNap = std::chrono::microseconds(50);
inline constexpr std::chrono::nanoseconds kMaxNap = std::chrono::milliseconds(1);

template <class W>
concept Waitable = requires(W& w) {
  // The condition; true from then on. Acquire: what it publishes is readable.
  { w.ready() } -> std::same_as<bool>;
  // Announces the caller as about to sleep; the value the word must still
  // hold for it to sleep, or nullopt to look again (the condition became
  // true, or the announcement lost a race and must be retried).
  { w.arm() } -> std::same_as<std::optional<std::uint32_t>>;
  w.word();  // the futex word arm()'s value is compared with
};

// Waits until w.ready() or `deadline`; true when ready. `helper`: the
// calling thread's executor when it is a worker (it helps), else null.
// A timed wait never starts a helped task after its deadline (run_one_queued
// checks), so it overruns the deadline by at most the one task it runs.
template <Waitable W>
bool wait_on_word(W& w, Clock::time_point deadline, Helper* helper) {
  for (int i = 0; i < kPolls; ++i) {
    if (w.ready()) return true;
    cpu_relax();
  }
  if (helper == nullptr) {
    const auto spin_until = std::min(deadline, Clock::now() + kOutsiderSpin);
    Backoff backoff;
    while (Clock::now() < spin_until) {
      if (w.ready()) return true;
      backoff.pause();
    }
  }
  std::chrono::nanoseconds nap = kFirstNap;
  for (;;) {
    if (w.ready()) return true;
    if (helper != nullptr && helper->run_one_queued(deadline)) {
      nap = kFirstNap;
      continue;
    }
    // The clock is read only for a timed wait (an untimed one never needs it).
    const auto now = deadline == kNoDeadline ? Clock::time_point{} : Clock::now();
    if (deadline != kNoDeadline && now >= deadline) return false;
    const std::optional<std::uint32_t> expected = w.arm();
    if (!expected) continue;
    if (helper != nullptr) {
      futex_wait_for(w.word(), *expected,
                     deadline == kNoDeadline ? nap : std::min<std::chrono::nanoseconds>(nap, deadline - now));
      nap = std::min(nap * 2, kMaxNap);
    } else if (deadline == kNoDeadline) {
      futex_wait(w.word(), *expected);
    } else {
      futex_wait_for(w.word(), *expected, deadline - now);
    }
  }
}

}  // namespace tpx::detail
