// futex.hpp (internal) — the one place tpx parks and wakes threads.
//
// Linux: FUTEX_WAIT_PRIVATE / FUTEX_WAKE_PRIVATE on a 32-bit atomic word.
// Elsewhere, or with TPX_FORCE_ATOMIC_WAIT (a build option, so the tests cover
// both paths on Linux): std::atomic::wait / notify. The portable path has no
// timed wait, so timed waits there poll with a bounded back-off (<= 1 ms).
//
// Both park only while `word == expected`: the kernel (or the library) compares
// and sleeps atomically, which is what every caller's no-lost-wake-up argument
// rests on.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace tpx::detail {

enum class ParkResult {
  woken,      // woken by a wake call, or spuriously: the caller re-checks its condition
  changed,    // the word no longer held `expected` (EAGAIN): re-check
  timed_out,  // the relative timeout elapsed
};

// Parks while word == expected, at most `timeout` (negative or zero: do not sleep).
ParkResult futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected) noexcept;
ParkResult futex_wait_for(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                          std::chrono::nanoseconds timeout) noexcept;

// Wakes up to `count` threads parked on `word` (INT_MAX: all).
void futex_wake(std::atomic<std::uint32_t>& word, int count) noexcept;

// Counts futex syscalls made by this process (waits and wakes), for benchmarks
// that check the hot path makes none. Relaxed: a statistic, not a synchronizer.
std::uint64_t futex_syscalls() noexcept;

}  // namespace tpx::detail
