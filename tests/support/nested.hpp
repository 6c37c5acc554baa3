// Help-while-waiting tests: an executor that a deadlocked test can leak
// instead of joining, and the bounded wait for the outer task.
#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/support.hpp"

namespace tpx_test {

using ExecutorPtr = std::unique_ptr<tpx::ThreadPoolExecutor>;

inline ExecutorPtr make_pool(const tpx::Options& options) { return std::make_unique<tpx::ThreadPoolExecutor>(options); }
inline ExecutorPtr make_pool(std::size_t workers) { return make_pool(unpinned(workers)); }

// The outer result, bounded: if the pool deadlocked (the bug these tests look
// for), the executor is leaked instead of joined, so the test fails instead of
// hanging in the executor's destructor.
// wait(first_completed) first: it never runs the task on this thread, as
// result() (and wait(all_completed)) would with caller_runs, so the outer task
// runs on a worker, which is what these tests are about.
template <class T>
T outer_result(ExecutorPtr& ex, const tpx::Future<T>& f) {
  try {
    (void)tpx::wait(std::vector<tpx::Future<T>>{f}, kHang, tpx::ReturnWhen::first_completed);
    if constexpr (std::is_void_v<T>)
      f.result(kHang);
    else
      return f.result(kHang);
  } catch (const tpx::TimeoutError&) {
    (void)ex.release();  // deadlocked workers cannot be joined
    throw;
  }
}

}  // namespace tpx_test
