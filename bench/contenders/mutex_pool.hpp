// mutex_pool: the pool every user writes first. One std::queue of
// std::function, one mutex, one condition variable, std::packaged_task for
// futures (held by shared_ptr because std::function must be copyable).
// Written plainly: notify_one per task, no batching, no spinning.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <type_traits>
#include <vector>

#include "contenders/contender.hpp"

namespace tpx::bench {

class MutexPool {
 public:
  static constexpr const char* kName = "mutex_pool";
  static constexpr bool kThreadPerTask = false;
  static constexpr bool kHelpsWhileWaiting = false;

  explicit MutexPool(std::size_t workers) {
    threads_.reserve(workers);
    for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { run(); });
  }
  MutexPool(const MutexPool&) = delete;
  MutexPool& operator=(const MutexPool&) = delete;
  ~MutexPool() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }

  template <class F>
  auto submit(F&& fn) {
    using R = std::invoke_result_t<std::decay_t<F>&>;
    auto task = std::make_shared<std::packaged_task<R()>>(std::forward<F>(fn));
    auto future = task->get_future();
    push([task] { (*task)(); });
    return future;
  }

  template <class F>
  void post(F&& fn) {
    push(std::function<void()>(std::forward<F>(fn)));
  }

  template <class Fut>
  static auto get(Fut& f) {
    return f.get();
  }
  template <class Fut>
  static void wait_all(std::vector<Fut>& fs) {
    for (auto& f : fs) f.wait();
  }

 private:
  void push(std::function<void()> job) {
    {
      std::lock_guard lock(mutex_);
      queue_.push(std::move(job));
    }
    cv_.notify_one();
  }

  void run() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stop_ and drained
        job = std::move(queue_.front());
        queue_.pop();
      }
      job();
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::queue<std::function<void()>> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

static_assert(PostContender<MutexPool>);

}  // namespace tpx::bench
