// Helpers shared by the issue-3 suites (as_completed, wait, map, nested waits).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdlib>
#include <latch>
#include <mutex>
#include <string_view>

#include <tpx/tpx.hpp>

namespace issue3 {

// True when the suite runs under a sanitizer (CI sets TPX_SANITIZED=thread|address).
inline bool sanitized() {
  const char* s = std::getenv("TPX_SANITIZED");
  if (s == nullptr) return false;
  const std::string_view v(s);
  return v == "thread" || v == "address";
}

// `full` normally, `full / divisor` (at least 1) under a sanitizer.
inline std::size_t scaled(std::size_t full, std::size_t divisor = 10) {
  if (!sanitized()) return full;
  const std::size_t n = full / divisor;
  return n == 0 ? 1 : n;
}

// The guard used wherever a bug would otherwise hang a test forever.
inline constexpr std::chrono::seconds kGuard{30};

// A timeout used only to let a *pending* future time out.
inline constexpr std::chrono::milliseconds kShort{20};

// A 1-worker (or n-worker) executor that is not pinned: the CI machines are
// small and shared, pinning adds nothing to these tests.
inline tpx::Options unpinned(std::size_t workers) {
  return tpx::Options{.max_workers = workers, .pinning = tpx::Pinning::none};
}

// A gate a task can block on *without* helping: a worker waiting on a tpx
// future runs queued tasks meanwhile, which would defeat "hold the worker".
// wait() is bounded by kGuard, so a failing test cannot hang a worker forever.
class Gate {
 public:
  void open() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    cv_.notify_all();
  }
  bool wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, kGuard, [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

// An executor whose first worker is held inside a task (not helping) until
// release() or destruction: with one worker, what is submitted meanwhile stays queued.
struct HeldPool {
  Gate gate;              // outlives the executor
  std::latch started{1};  // outlives the executor: count_down() may still touch it
  tpx::ThreadPoolExecutor ex;
  tpx::Future<void> blocker;

  explicit HeldPool(std::size_t workers = 1) : HeldPool(unpinned(workers)) {}
  // An option set's pool: pass options with max_workers = 1 for "stays queued".
  // With caller_runs, result() or map iteration on a non-worker thread still
  // runs a queued task at once (wait() and as_completed() do not): tests that
  // rely on "stays queued" check the set's caller_runs.
  explicit HeldPool(const tpx::Options& options) : ex(options) {
    blocker = ex.submit([this] {
      started.count_down();
      gate.wait();
    });
    started.wait();
  }
  void release() { gate.open(); }
  ~HeldPool() { gate.open(); }  // runs before the members: the executor joins an unblocked worker
  HeldPool(const HeldPool&) = delete;
  HeldPool& operator=(const HeldPool&) = delete;
};

}  // namespace issue3
