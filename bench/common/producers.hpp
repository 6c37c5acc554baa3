// Producer threads for the *_producers workloads: started before the
// measured region, released together once per batch, so that thread creation
// is never timed and every producer submits at the same time.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <barrier>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

#include "common/config.hpp"

namespace tpx::bench {

// run() is one batch: every producer calls body(index) once, all released by
// one barrier phase, and run() returns when all of them have returned (a
// second phase). Between batches the producers block in the barrier.
class Producers {
 public:
  Producers(int count, std::function<void(int)> body)
      : body_(std::move(body)), start_(count + 1), end_(count + 1) {
    threads_.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) threads_.emplace_back([this, i] { loop(i); });
  }
  Producers(const Producers&) = delete;
  Producers& operator=(const Producers&) = delete;
  ~Producers() {
    stop_ = true;  // published to the producers by the barrier phase below
    start_.arrive_and_wait();
    for (auto& t : threads_) t.join();
  }

  void run() {
    start_.arrive_and_wait();
    end_.arrive_and_wait();
  }

 private:
  void loop(int index) {
    for (;;) {
      start_.arrive_and_wait();  // completes after run() or ~Producers() wrote what this batch reads
      if (stop_) return;
      body_(index);
      end_.arrive_and_wait();
    }
  }

  std::function<void(int)> body_;
  std::barrier<> start_;
  std::barrier<> end_;
  bool stop_ = false;  // written before a start_ phase, read after it: the barrier orders the two
  std::vector<std::thread> threads_;
};

// The pool size of the *_producers rows: the largest CPU-bound pool size, so
// that the producers contend for the queues of one full-size pool.
inline int producers_pool_threads() {
  const auto& t = config().cpu_threads;
  return t.empty() ? 1 : *std::max_element(t.begin(), t.end());
}

// Arguments threads:<producers_pool_threads()>/producers:<each of config().producers>.
inline void producers_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"threads", "producers"});
  for (int p : config().producers) b->Args({producers_pool_threads(), p});
}

}  // namespace tpx::bench
