// Holding a worker: a Gate a task blocks on without helping, and HeldPool,
// an executor whose only worker is held so that what is submitted stays queued.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <latch>
#include <mutex>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/support.hpp"

namespace tpx_test {

// A one-shot gate a task can block on *without* helping: a worker waiting on a
// tpx future runs queued tasks meanwhile, which would defeat "hold the worker".
// wait() is bounded by kHang (false then), so a failing test cannot hang a
// worker forever.
class Gate {
 public:
  void open() {
    // Notified under the lock: a waiter that returns may destroy the Gate.
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }
  bool wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, kHang, [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

// An executor whose first worker is held inside a task (not helping) until
// release() or destruction: with one worker, what is submitted meanwhile
// stays queued. The constructor returns once the worker runs the blocker.
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

// Waits, up to kHang each, until every future is done, without running any of
// them: tpx::wait with first_completed never claims a task, even with
// Options::caller_runs (all_completed would). For a thread that must act only
// after something else completed or cancelled the futures.
template <class T>
void wait_each_done(const std::vector<tpx::Future<T>>& futures) {
  for (const auto& f : futures) (void)tpx::wait(std::vector<tpx::Future<T>>{f}, kHang, tpx::ReturnWhen::first_completed);
}

}  // namespace tpx_test
