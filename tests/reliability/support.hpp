// tests/reliability/support.hpp — budgets, sanitizer scaling, thread counting,
// and the allocation-failure switch shared by the reliability tests.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>

#include <dirent.h>

namespace rel {

// Iteration counts are divided by this under sanitizers (TPX_SANITIZED=thread|address).
inline std::size_t sanitizer_divisor() {
  const char* s = std::getenv("TPX_SANITIZED");
  if (!s) return 1;
  const std::string v(s);
  if (v == "thread") return 10;
  if (v == "address") return 4;
  return 1;
}

inline std::size_t scaled(std::size_t n) {
  const std::size_t d = sanitizer_divisor();
  return n / d ? n / d : 1;
}

// Seconds one stress test may run: TPX_STRESS_SECONDS, default 12 (about a
// minute and a half for the whole [stress] tier in a normal build).
inline double stress_seconds() {
  if (const char* s = std::getenv("TPX_STRESS_SECONDS")) {
    const double v = std::atof(s);
    if (v > 0) return v;
  }
  return 12.0;
}

// A stress loop is bounded by iterations AND time: next() is false once either
// is spent. With TPX_STRESS_SECONDS set, the iteration cap is lifted so that a
// longer budget really runs longer. At least one round always runs.
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

// Threads of this process: the entries of /proc/self/task.
inline std::size_t thread_count() {
  std::size_t n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (const dirent* e = readdir(d))
      if (e->d_name[0] != '.') ++n;
    closedir(d);
  }
  return n;
}

// A joined thread can linger in /proc/self/task for a moment after join()
// returns (the kernel reaps it just after it clears its tid). Waits, bounded,
// until the count is back to `expected`; returns the last count seen.
inline std::size_t settle_thread_count(std::size_t expected) {
  std::size_t n = thread_count();
  for (int i = 0; i < 5000 && n > expected; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    n = thread_count();
  }
  return n;
}

// How long a test waits for a future before it declares a hang (a failure).
inline constexpr auto kHang = std::chrono::seconds(30);

}  // namespace rel

// Allocation failure injection (alloc_hook.cpp): the test executable replaces
// the global operator new (and, in builds without a sanitizer, malloc) with
// versions that can be armed, per thread, to fail.
namespace rel::alloc {

// On the calling thread: let `skip` allocations succeed, then fail the next `count`.
void arm(unsigned skip, unsigned count) noexcept;
void disarm() noexcept;
// Allocations failed on purpose on the calling thread since the last arm().
unsigned injected() noexcept;
// True when malloc itself is hooked (no sanitizer), so allocations made with
// malloc (moodycamel's queue blocks and producers) fail too.
bool hooks_malloc() noexcept;

class Armed {
 public:
  Armed(unsigned skip, unsigned count) noexcept { arm(skip, count); }
  ~Armed() { disarm(); }
  Armed(const Armed&) = delete;
  Armed& operator=(const Armed&) = delete;
};

}  // namespace rel::alloc
