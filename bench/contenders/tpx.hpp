// tpx: the project's executor with default options (pinned to cores), worker
// threads named tpx_<i> so the context block can report where they run.
#pragma once

#include <tpx/tpx.hpp>

#include <cstddef>
#include <utility>
#include <vector>

#include "contenders/contender.hpp"

namespace tpx::bench {

class TpxPool {
 public:
  static constexpr const char* kName = "tpx";
  static constexpr bool kThreadPerTask = false;
  static constexpr bool kHelpsWhileWaiting = true;  // result() on a worker runs queued tasks

  explicit TpxPool(std::size_t workers)
      : ex_(tpx::Options{.max_workers = workers, .thread_name_prefix = "tpx"}) {}

  template <class F>
  auto submit(F&& fn) {
    return ex_.submit(std::forward<F>(fn));
  }

  template <class F>
  void post(F&& fn) {
    ex_.post(std::forward<F>(fn));
  }

  template <class Fut>
  static auto get(Fut& f) {
    return f.result();  // copies T out of the shared state; void stays void
  }
  template <class Fut>
  static void wait_all(std::vector<Fut>& fs) {
    tpx::wait(fs);
  }

  tpx::ThreadPoolExecutor& executor() noexcept { return ex_; }

 private:
  tpx::ThreadPoolExecutor ex_;
};

static_assert(PostContender<TpxPool>);

}  // namespace tpx::bench
