// What every tpx test shares: how much slower this run is (sanitized(),
// scaled(), the stress Budget), the one hang guard (kHang), and the small
// Options the tests build by hand.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <tpx/tpx.hpp>

namespace tpx_test {

enum class Sanitizer { none, address, thread };

// The sanitizer this run is under: the one the test binary was compiled with,
// else the one TPX_SANITIZED names (tools/run exports thread, address or 0; a
// plain build with TPX_SANITIZED=thread rehearses the scaled-down counts).
inline Sanitizer sanitizer() {
#if defined(__SANITIZE_THREAD__)
  return Sanitizer::thread;
#elif defined(__SANITIZE_ADDRESS__)
  return Sanitizer::address;
#else
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
  return Sanitizer::thread;
#elif __has_feature(address_sanitizer)
  return Sanitizer::address;
#endif
#endif
  const char* env = std::getenv("TPX_SANITIZED");
  const std::string_view v = env != nullptr ? env : "";
  if (v == "thread") return Sanitizer::thread;
  if (v == "address") return Sanitizer::address;
  return Sanitizer::none;
#endif
}

inline bool sanitized() { return sanitizer() != Sanitizer::none; }

// The one rule for iteration counts: `full` in a plain build, ÷10 under
// ThreadSanitizer, ÷4 under AddressSanitizer (+UBSan), never below 1. The
// divisors are each sanitizer's usual slowdown on this code (TSAN 5-15x,
// ASAN 2-3x), so a scaled test takes about as long as it does unsanitized.
inline std::size_t scaled(std::size_t full) {
  std::size_t divisor = 1;
  switch (sanitizer()) {
    case Sanitizer::thread:
      divisor = 10;
      break;
    case Sanitizer::address:
      divisor = 4;
      break;
    case Sanitizer::none:
      break;
  }
  const std::size_t n = full / divisor;
  return n == 0 ? 1 : n;
}

// The hang guard: how long any test waits for something that only a bug could
// keep from happening. Hitting it fails the test instead of hanging the suite.
inline constexpr std::chrono::seconds kHang{30};

// A timeout used only to let a *pending* future time out.
inline constexpr std::chrono::milliseconds kShort{20};

// Seconds one [stress] test may run: TPX_STRESS_SECONDS, default 12 (about a
// minute and a half for the reliability binary's [stress] tests in a plain build).
inline double stress_seconds() {
  if (const char* s = std::getenv("TPX_STRESS_SECONDS")) {
    const double v = std::atof(s);
    if (v > 0) return v;
  }
  return 12.0;
}

// A stress loop is bounded by iterations (scaled()) AND time: next() is false
// once either is spent. With TPX_STRESS_SECONDS set, the iteration cap is
// lifted so that a longer budget really runs longer. At least one round runs.
class Budget {
 public:
  explicit Budget(std::size_t max_rounds)
      : max_rounds_(std::getenv("TPX_STRESS_SECONDS") ? SIZE_MAX : scaled(max_rounds)),
        deadline_(std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(stress_seconds()))) {}
  bool next() {
    if (rounds_ == 0) return ++rounds_, true;
    if (rounds_ >= max_rounds_ || std::chrono::steady_clock::now() >= deadline_) return false;
    ++rounds_;
    return true;
  }
  std::size_t rounds() const { return rounds_; }

 private:
  std::size_t max_rounds_;
  std::chrono::steady_clock::time_point deadline_;
  std::size_t rounds_ = 0;
};

// An executor of `workers` workers that is not pinned: the CI machines are
// small and shared, pinning adds nothing to the tests that use it.
inline tpx::Options unpinned(std::size_t workers) {
  return tpx::Options{.max_workers = workers, .pinning = tpx::Pinning::none};
}

}  // namespace tpx_test
