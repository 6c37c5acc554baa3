// onetbb: a task_arena with `workers` worker slots (none reserved for the
// submitting thread), tasks enqueued fire-and-forget with arena.enqueue;
// futures from std::packaged_task. global_control lifts TBB's process-wide
// worker limit (hardware concurrency by default) so that an arena of 64 or
// 256 slots for sleeping tasks really gets 64 or 256 threads, as the other
// pools do. Workloads with a TBB idiom (task_group for fan-out, parallel_for
// for map) use it through arena().
#pragma once

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <cstddef>
#include <future>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "contenders/contender.hpp"

namespace tpx::bench {

class OneTbb {
 public:
  static constexpr const char* kName = "onetbb";
  static constexpr bool kThreadPerTask = false;
  static constexpr bool kHelpsWhileWaiting = false;  // std::future (task_group::wait helps: fanout_fib/onetbb.cpp)

  explicit OneTbb(std::size_t workers)
      : limit_(tbb::global_control::max_allowed_parallelism, workers + 1),
        arena_(static_cast<int>(workers), 0) {
    arena_.initialize();
  }

  template <class F>
  auto submit(F&& fn) {
    using R = std::invoke_result_t<std::decay_t<F>&>;
    // enqueue stores its functor as const: the task is held by shared_ptr.
    auto task = std::make_shared<std::packaged_task<R()>>(std::forward<F>(fn));
    auto future = task->get_future();
    arena_.enqueue([task] { (*task)(); });
    return future;
  }

  template <class F>
  void post(F&& fn) {
    arena_.enqueue(std::forward<F>(fn));
  }

  template <class Fut>
  static auto get(Fut& f) {
    return f.get();
  }
  template <class Fut>
  static void wait_all(std::vector<Fut>& fs) {
    for (auto& f : fs) f.wait();
  }

  tbb::task_arena& arena() noexcept { return arena_; }

 private:
  tbb::global_control limit_;
  tbb::task_arena arena_;
};

static_assert(PostContender<OneTbb>);

}  // namespace tpx::bench
