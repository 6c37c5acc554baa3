// spin.hpp (internal) — polite busy-waiting.
#pragma once

#include <cstdint>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace tpx::detail {

// One pause instruction: tells the core we spin (saves power, frees the sibling
// hyper-thread, avoids the memory-order mis-speculation flush on loop exit).
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

// Back-off for spin loops: pauses first, then yields the core. On a 2-core box
// a spinning worker shares its core with the producer; yielding early keeps it
// from starving the very thread that would give it work.
class Backoff {
 public:
  void pause() noexcept {
    if (step_ < kPauseSteps) {
      for (std::uint32_t i = 0; i < (1u << step_); ++i) cpu_relax();
      ++step_;
    } else {
      std::this_thread::yield();
    }
  }

 private:
  static constexpr std::uint32_t kPauseSteps = 6;  // 1+2+...+32 pauses, ~1 us, then sched_yield
  std::uint32_t step_ = 0;
};

}  // namespace tpx::detail
