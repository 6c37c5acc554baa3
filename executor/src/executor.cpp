// ThreadPoolExecutor's non-template members.
#include "tpx/executor.hpp"

#include "pool.hpp"

namespace tpx {

ThreadPoolExecutor::ThreadPoolExecutor() : ThreadPoolExecutor(Options{}) {}

ThreadPoolExecutor::ThreadPoolExecutor(std::size_t max_workers)
    : ThreadPoolExecutor(Options{.max_workers = max_workers}) {}

ThreadPoolExecutor::ThreadPoolExecutor(Options options)
    : pool_(detail::Pool::create(std::move(options))), helper_(detail::helper_of(*pool_)) {}

ThreadPoolExecutor::~ThreadPoolExecutor() { pool_->shutdown(/*wait=*/true, /*cancel_futures=*/false); }

void ThreadPoolExecutor::shutdown(bool wait, bool cancel_futures) { pool_->shutdown(wait, cancel_futures); }

std::size_t ThreadPoolExecutor::max_workers() const noexcept { return pool_->max_workers(); }

ExecutorStats ThreadPoolExecutor::stats() const { return pool_->stats(); }

}  // namespace tpx
