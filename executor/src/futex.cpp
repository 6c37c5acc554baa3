// The futex wrapper: raw futex(2) on Linux, std::atomic::wait elsewhere or when forced.
#include "futex.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <thread>

#if defined(__linux__) && !defined(TPX_FORCE_ATOMIC_WAIT)
#define TPX_USE_FUTEX 1
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#else
#define TPX_USE_FUTEX 0
#endif

namespace tpx::detail {
namespace {

std::atomic<std::uint64_t> g_futex_syscalls{0};

void count_syscall() noexcept {
  g_futex_syscalls.fetch_add(1, std::memory_order_relaxed);  // relaxed: a statistic
}

#if TPX_USE_FUTEX
long futex(std::atomic<std::uint32_t>& word, int op, std::uint32_t value, const timespec* timeout) noexcept {
  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t) &&
                    std::atomic<std::uint32_t>::is_always_lock_free,
                "a futex word must be a plain lock-free 32-bit word");
  count_syscall();
  return ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), op, value, timeout, nullptr, 0);
}

ParkResult wait_result(long rc) noexcept {
  if (rc == 0) return ParkResult::woken;
  switch (errno) {
    case EAGAIN: return ParkResult::changed;     // the word differed from `expected`: no sleep
    case ETIMEDOUT: return ParkResult::timed_out;
    case EINTR: return ParkResult::woken;        // a signal: callers re-check, like a spurious wake
    default: return ParkResult::woken;           // EFAULT/EINVAL cannot happen for a valid word; re-check
  }
}
#endif

}  // namespace

ParkResult futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected) noexcept {
#if TPX_USE_FUTEX
  return wait_result(futex(word, FUTEX_WAIT_PRIVATE, expected, nullptr));
#else
  count_syscall();
  word.wait(expected, std::memory_order_relaxed);  // relaxed: callers re-load with their own order
  return ParkResult::woken;
#endif
}

ParkResult futex_wait_for(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                          std::chrono::nanoseconds timeout) noexcept {
  if (timeout <= std::chrono::nanoseconds::zero()) return ParkResult::timed_out;
#if TPX_USE_FUTEX
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(std::min<std::chrono::seconds::rep>(secs.count(), INT_MAX));
  ts.tv_nsec = static_cast<long>((timeout - secs).count());
  // FUTEX_WAIT's timeout is relative (CLOCK_MONOTONIC).
  const ParkResult r = wait_result(futex(word, FUTEX_WAIT_PRIVATE, expected, &ts));
  return r;
#else
  // std::atomic::wait has no timeout: poll with a bounded back-off instead.
  count_syscall();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto nap = std::chrono::microseconds(20);
  while (word.load(std::memory_order_relaxed) == expected) {  // relaxed: callers re-load with their own order
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return ParkResult::timed_out;
    std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(nap, deadline - now));
    nap = std::min(nap * 2, std::chrono::microseconds(1000));
  }
  return ParkResult::changed;
#endif
}

void futex_wake(std::atomic<std::uint32_t>& word, int count) noexcept {
#if TPX_USE_FUTEX
  futex(word, FUTEX_WAKE_PRIVATE, static_cast<std::uint32_t>(count), nullptr);
#else
  count_syscall();
  if (count == 1)
    word.notify_one();
  else
    word.notify_all();
#endif
}

std::uint64_t futex_syscalls() noexcept {
  return g_futex_syscalls.load(std::memory_order_relaxed);  // relaxed: a statistic
}

}  // namespace tpx::detail
