// asio: boost::asio::thread_pool with boost::asio::post; futures from
// std::packaged_task (Asio has no future of its own for plain posts).
#pragma once

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstddef>
#include <future>
#include <type_traits>
#include <utility>
#include <vector>

#include "contenders/contender.hpp"

namespace tpx::bench {

class AsioPool {
 public:
  static constexpr const char* kName = "asio";
  static constexpr bool kThreadPerTask = false;
  static constexpr bool kHelpsWhileWaiting = false;

  explicit AsioPool(std::size_t workers) : pool_(workers) {}
  ~AsioPool() { pool_.join(); }  // waits for outstanding work

  template <class F>
  auto submit(F&& fn) {
    using R = std::invoke_result_t<std::decay_t<F>&>;
    std::packaged_task<R()> task(std::forward<F>(fn));
    auto future = task.get_future();
    boost::asio::post(pool_, [t = std::move(task)]() mutable { t(); });
    return future;
  }

  template <class F>
  void post(F&& fn) {
    boost::asio::post(pool_, std::forward<F>(fn));
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
  boost::asio::thread_pool pool_;
};

static_assert(PostContender<AsioPool>);

}  // namespace tpx::bench
