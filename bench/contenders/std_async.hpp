// std_async: std::async(std::launch::async, fn) — a new thread per task in
// libstdc++. No pool, so the worker-count argument does not apply, and there
// is no fire-and-forget (the future's destructor joins).
#pragma once

#include <cstddef>
#include <future>
#include <utility>
#include <vector>

#include "contenders/contender.hpp"

namespace tpx::bench {

class StdAsync {
 public:
  static constexpr const char* kName = "std_async";
  static constexpr bool kThreadPerTask = true;
  static constexpr bool kHelpsWhileWaiting = false;

  explicit StdAsync(std::size_t /*workers: not applicable*/) {}

  template <class F>
  auto submit(F&& fn) {
    return std::async(std::launch::async, std::forward<F>(fn));
  }

  template <class Fut>
  static auto get(Fut& f) {
    return f.get();
  }
  template <class Fut>
  static void wait_all(std::vector<Fut>& fs) {
    for (auto& f : fs) f.wait();
  }
};

static_assert(Contender<StdAsync> && !PostContender<StdAsync>);

}  // namespace tpx::bench
