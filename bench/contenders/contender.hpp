// The contender protocol: everything a workload may ask of a pool adapter.
// An adapter (contenders/<name>.hpp, listed in bench/suite.json) is a class
//
//   static constexpr const char* kName;         its benchmark-name segment,
//                                               the suite entry's "name"
//   static constexpr bool kThreadPerTask;       no pool: a thread per task
//                                               (task counts are capped, see
//                                               Config::thread_per_task_cap)
//   static constexpr bool kHelpsWhileWaiting;   get() called from one of its
//                                               workers runs queued tasks, so
//                                               nested submit-and-wait cannot
//                                               deadlock (fanout_fib spawns
//                                               at every call)
//   explicit Adapter(std::size_t workers);
//   auto submit(F&&);                           returns a future of F's result
//   static auto get(Future&);                   the result, waiting for it
//   static void wait_all(std::vector<Future>&);
//
// and, optionally, `void post(F&&)`: fire-and-forget, no future. Whether it
// has one is PostContender, not a flag that could disagree with the code;
// the suite entry's "post" says the same for the tools and is checked
// against it at compile time.
//
// Also optional, `void report(benchmark::State&) const`: counters the pool
// keeps about itself (tpx: its stats()), added to every row over it at the
// end of the measurement by label_pool (common/measure.hpp). The suite
// entry's "counters" lists them for the smoke test.
//
// Members a workload uses only in a contender's own body (TpxPool::executor,
// OneTbb::arena) are outside the protocol.
#pragma once

#include <benchmark/benchmark.h>

#include <concepts>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace tpx::bench {
namespace detail {

// Stand-ins for the tasks workloads submit: one returning a value (the
// latency and work workloads read it through get), one returning nothing.
struct ValueTask {
  long operator()() const { return 1; }
};
struct VoidTask {
  void operator()() const {}
};

template <class P>
using FutureOf = decltype(std::declval<P&>().submit(ValueTask{}));

// Well-formed only for a constant expression: the flag really is constexpr.
template <auto V>
struct Constant {};

}  // namespace detail

template <class P>
concept Contender =
    std::constructible_from<P, std::size_t> &&
    requires {
      { P::kName } -> std::convertible_to<std::string_view>;
      typename detail::Constant<P::kThreadPerTask>;
      typename detail::Constant<P::kHelpsWhileWaiting>;
      requires std::same_as<std::remove_cv_t<decltype(P::kThreadPerTask)>, bool>;
      requires std::same_as<std::remove_cv_t<decltype(P::kHelpsWhileWaiting)>, bool>;
    } &&
    requires(P& pool, detail::ValueTask task, detail::FutureOf<P>& future,
             std::vector<detail::FutureOf<P>>& futures) {
      pool.submit(task);
      { P::get(future) } -> std::convertible_to<long>;
      P::wait_all(futures);
    };

template <class P>
concept PostContender = Contender<P> && requires(P& pool, detail::VoidTask task) { pool.post(task); };

template <class P>
concept ReportingContender = Contender<P> && requires(const P& pool, benchmark::State& state) { pool.report(state); };

}  // namespace tpx::bench
