// tpx-demo: a 10-second look at tpx — submit, map, as_completed, side by side
// with a plain mutex+condition_variable pool on a million empty tasks.
#include <tpx/tpx.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <functional>
#include <future>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

namespace {

class MutexPool {
 public:
  explicit MutexPool(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this] { loop(); });
  }
  ~MutexPool() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }
  std::future<void> submit(std::function<void()> fn) {
    auto task = std::make_shared<std::packaged_task<void()>>(std::move(fn));
    auto f = task->get_future();
    {
      std::lock_guard lock(mu_);
      q_.push([task] { (*task)(); });
    }
    cv_.notify_one();
    return f;
  }

 private:
  void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !q_.empty(); });
        if (q_.empty()) return;
        job = std::move(q_.front());
        q_.pop();
      }
      job();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::queue<std::function<void()>> q_;
  std::vector<std::thread> threads_;
  bool stop_ = false;
};

template <class F>
double seconds(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t tasks = 1'000'000;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::puts("usage: tpx-demo [--tasks N]\n  submits N empty tasks (default 1000000) to tpx and to a naive "
                "mutex pool, waits for all, and prints tasks/s for each");
      return 0;
    }
    if (!std::strcmp(argv[i], "--tasks") && i + 1 < argc) {
      tasks = std::strtoull(argv[++i], nullptr, 10);
      continue;
    }
    std::fprintf(stderr, "tpx-demo: unknown argument '%s' (try --help)\n", argv[i]);
    return 2;
  }
  const std::size_t workers = tpx::default_max_workers();
  std::printf("tpx demo: %zu workers, %zu empty tasks with futures\n", workers, tasks);

  tpx::ThreadPoolExecutor ex(workers);
  std::printf("  submit/result: 6*7 = %d\n", ex.submit([](int a, int b) { return a * b; }, 6, 7).result());
  int sum = 0;
  for (int sq : ex.map([](int x) { return x * x; }, std::vector<int>{1, 2, 3, 4})) sum += sq;
  std::printf("  map: sum of squares 1..4 = %d\n", sum);

  const double t_tpx = seconds([&] {
    std::vector<tpx::Future<void>> fs;
    fs.reserve(tasks);
    for (std::size_t i = 0; i < tasks; ++i) fs.push_back(ex.submit([] {}));
    for (auto& f : fs) f.result();
  });
  double t_mutex = 0;
  {
    MutexPool pool(workers);
    t_mutex = seconds([&] {
      std::vector<std::future<void>> fs;
      fs.reserve(tasks);
      for (std::size_t i = 0; i < tasks; ++i) fs.push_back(pool.submit([] {}));
      for (auto& f : fs) f.get();
    });
  }
  std::printf("  tpx:        %10.0f tasks/s\n", static_cast<double>(tasks) / t_tpx);
  std::printf("  mutex_pool: %10.0f tasks/s\n", static_cast<double>(tasks) / t_mutex);
  std::printf("  ratio:      %10.1fx\n", t_mutex / t_tpx);
  return 0;
}
