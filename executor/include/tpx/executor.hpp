// tpx/executor.hpp — tpx::ThreadPoolExecutor.
//
// Python's concurrent.futures.ThreadPoolExecutor, with these deliberate
// differences: workers start eagerly and are pinned (Options::pinning); a
// worker that waits on a pending future runs queued tasks meanwhile, so nested
// submit-and-wait never deadlocks; post() is a fire-and-forget submit.
//
// Memory ordering: everything a thread did before submit()/post()/map()
// happens-before the task runs; everything the task did happens-before any
// thread sees its future done. shutdown(wait = true) returns after every
// worker has exited, so everything every task did happens-before it returns.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "tpx/coroutine.hpp"
#include "tpx/detail/bulk_core.hpp"
#include "tpx/detail/pool_entry.hpp"
#include "tpx/detail/task.hpp"
#include "tpx/detail/task_state.hpp"
#include "tpx/future.hpp"
#include "tpx/map.hpp"
#include "tpx/options.hpp"
#include "tpx/stats.hpp"

namespace tpx {

class ThreadPoolExecutor {
 public:
  // default_max_workers() workers, pinned to cores.
  ThreadPoolExecutor();
  // std::invalid_argument when max_workers == 0.
  explicit ThreadPoolExecutor(std::size_t max_workers);
  explicit ThreadPoolExecutor(Options options);
  // shutdown(wait = true).
  ~ThreadPoolExecutor();

  ThreadPoolExecutor(const ThreadPoolExecutor&) = delete;
  ThreadPoolExecutor& operator=(const ThreadPoolExecutor&) = delete;

  // Schedules fn(args...) and returns its Future. Arguments are decay-copied now
  // (std::ref passes a reference); move-only callables and arguments work.
  // Throws ShutdownError after shutdown(), BrokenExecutor once an initializer threw.
  // The future's state, which also holds the callable, lives in a block
  // recycled per thread (tpx/detail/state_block.hpp): no allocation in steady
  // state for states of up to 512 bytes (a callable of up to ~48 bytes and a small result).
  // In a bounded pool (Options::max_queued) a thread that is not a worker of
  // this pool may wait for room, get QueueFull, or run fn itself (when_full).
  template <class F, class... Args>
  auto submit(F&& fn, Args&&... args) -> Future<std::invoke_result_t<F, Args...>> {
    using R = std::invoke_result_t<F, Args...>;
    auto* state = make_state<R>(detail::bind_task(std::forward<F>(fn), std::forward<Args>(args)...));
    Future<R> future = detail::make_future<R>(state);
    try {
      detail::enqueue_state(*pool_, state);
    } catch (...) {
      state->abandon_queued(nullptr);  // the queue's reference is already released
      throw;
    }
    return future;
  }

  // submit with a priority and/or a deadline (TaskOptions). A task whose
  // deadline has passed when a thread would start it does not run: its future
  // fails with DeadlineExceeded; already past now, it fails at once, unqueued.
  template <class F, class... Args>
  auto submit(TaskOptions topts, F&& fn, Args&&... args) -> Future<std::invoke_result_t<F, Args...>> {
    using R = std::invoke_result_t<F, Args...>;
    if (!topts.deadline) {
      if (topts.priority == Priority::normal) return submit(std::forward<F>(fn), std::forward<Args>(args)...);
      return submit_with(topts, detail::bind_task(std::forward<F>(fn), std::forward<Args>(args)...));
    }
    return submit_with(topts, detail::DeadlineBound<R, decltype(detail::bind_task(std::forward<F>(fn),
                                                                                   std::forward<Args>(args)...))>{
                                  *topts.deadline, detail::bind_task(std::forward<F>(fn), std::forward<Args>(args)...)});
  }

  // submit that never waits and never runs fn here: nullopt when a bounded
  // pool is full (whatever Options::when_full says). Throws ShutdownError /
  // BrokenExecutor as submit. Unbounded pools always queue.
  template <class F, class... Args>
  auto try_submit(F&& fn, Args&&... args) -> std::optional<Future<std::invoke_result_t<F, Args...>>> {
    using R = std::invoke_result_t<F, Args...>;
    auto* state = make_state<R>(detail::bind_task(std::forward<F>(fn), std::forward<Args>(args)...));
    Future<R> future = detail::make_future<R>(state);
    bool queued = false;
    try {
      queued = detail::try_enqueue_state(*pool_, state);
    } catch (...) {
      state->abandon_queued(nullptr);  // the queue's reference is already released
      throw;
    }
    if (!queued) return std::nullopt;  // never queued: the future goes with the state
    return future;
  }

  // Fire and forget: no Future; a callable of up to 48 bytes is stored inline
  // (no allocation). An exception escaping fn goes to the error reporter.
  template <class F>
  void post(F&& fn) {
    static_assert(std::is_invocable_v<std::decay_t<F>&&>, "post: fn must be callable with no arguments");
    detail::enqueue_task(*pool_, detail::Task(detail::PostedTask<std::decay_t<F>>(std::forward<F>(fn))));
  }

  // post with a priority and/or a deadline: a task not started by its
  // deadline reports DeadlineExceeded to the error reporter instead of running.
  template <class F>
  void post(TaskOptions topts, F&& fn) {
    static_assert(std::is_invocable_v<std::decay_t<F>&&>, "post: fn must be callable with no arguments");
    if (!topts.deadline) {
      detail::enqueue_task(*pool_, detail::Task(detail::PostedTask<std::decay_t<F>>(std::forward<F>(fn))),
                           topts.priority);
      return;
    }
    if (detail::Clock::now() >= *topts.deadline) {
      detail::count_expired_at_submit(*pool_);
      detail::report_posted_task_error(detail::deadline_exceeded_error(*topts.deadline));
      return;
    }
    using Bound = detail::DeadlineBound<void, std::decay_t<F>>;
    detail::enqueue_task(*pool_, detail::Task(detail::PostedTask<Bound>(Bound{*topts.deadline, std::forward<F>(fn)})),
                         topts.priority);
  }

  // Python's Executor.map: every call fn(a[i], b[i], ...) is submitted now
  // (zip-shortest over the ranges); the result range yields in input order,
  // rethrowing a call's exception when iteration reaches it. Destroying the
  // range before it is consumed cancels the calls that have not started.
  template <class F, class... Ranges>
  auto map(F&& fn, Ranges&&... ranges) {
    return map(MapOptions{}, std::forward<F>(fn), std::forward<Ranges>(ranges)...);
  }
  template <class F, class... Ranges>
  auto map(MapOptions opts, F&& fn, Ranges&&... ranges) {
    static_assert(sizeof...(Ranges) > 0, "map: give at least one range of arguments");
    detail::check_map_options(opts);
    auto core = detail::make_map_core(opts, std::forward<F>(fn), std::forward<Ranges>(ranges)...);
    using Core = typename decltype(core)::element_type;
    core->set_owner(helper_);
    std::vector<detail::Task> tasks;
    tasks.reserve(core->chunk_count());
    for (std::size_t c = 0; c < core->chunk_count(); ++c) tasks.emplace_back(detail::MapChunkTask<Core>(core, c));
    detail::enqueue_tasks(*pool_, tasks.data(), tasks.size());
    return MapResults<typename Core::result_type>(std::move(core));
  }

  // A parallel loop: runs fn(i) for every i in [0, n), or fn(begin, end) for
  // contiguous sub-ranges when fn is callable that way (a body the compiler
  // can vectorise), and returns when all ran. The calling thread takes part;
  // called from a worker it helps and never deadlocks. The first exception
  // thrown by fn is rethrown after every started chunk has finished; chunks
  // not started by then are skipped. fn is called concurrently from several
  // threads, by reference (never copied). Throws ShutdownError /
  // BrokenExecutor, with nothing run, when the pool takes no work.
  template <class F>
  void bulk(std::size_t n, F&& fn, BulkOptions opts = {}) {
    check_bulk_body<F>();
    if (n == 0) return;
    using Core = detail::BulkCore<std::remove_reference_t<F>&>;
    const std::size_t workers = max_workers();
    const detail::BulkPlan plan = detail::plan_bulk(n, opts.grain, workers + 1);
    auto* core = new Core(fn, plan);
    const Future<void> done = detail::make_future<void>(core);  // the caller's reference
    // The caller is one participant; one runner per worker it can use besides.
    start_bulk(*core, std::min<std::size_t>(workers, plan.chunks - 1), /*caller_participates=*/true);
    core->participate();
    core->wait_until(detail::kNoDeadline);  // a worker helps while it waits
    if (std::exception_ptr error = core->take_error()) std::rethrow_exception(std::move(error));
  }

  // bulk without blocking: fn is decay-copied into the bulk, which runs on
  // the workers; the Future completes when every chunk ran (with the first
  // exception, if any). It cannot be cancelled (it is running from the
  // call); shutdown(cancel_futures) before any of it ran fails it with
  // CancelledError.
  template <class F>
  Future<void> bulk_async(std::size_t n, F&& fn, BulkOptions opts = {}) {
    check_bulk_body<F>();
    using Core = detail::BulkCore<std::decay_t<F>>;
    const std::size_t workers = max_workers();
    const detail::BulkPlan plan = detail::plan_bulk(n, opts.grain, workers);
    auto* core = new Core(std::forward<F>(fn), plan);
    Future<void> done = detail::make_future<void>(core);
    if (plan.chunks != 0) start_bulk(*core, std::min<std::size_t>(workers, plan.chunks), /*caller_participates=*/false);
    return done;
  }

  // No new work; queued work still runs unless cancel_futures (then every
  // queued-but-not-started future is cancelled); wait joins the workers. Safe
  // to call twice, from several threads at once, or from a worker (which then
  // returns without joining its own thread).
  void shutdown(bool wait = true, bool cancel_futures = false);

  std::size_t max_workers() const noexcept;

  // co_await ex.schedule(): continue the coroutine on a worker of this
  // executor, as a task with `opts` (tpx/coroutine.hpp).
  detail::ScheduleAwaiter schedule(TaskOptions opts = {}) noexcept { return detail::ScheduleAwaiter(*pool_, opts); }

  // A snapshot of what the pool has done and is doing (tpx/stats.hpp):
  // approximate while it runs, exact once it is quiescent.
  ExecutorStats stats() const;

 private:
  // A task's state, with one reference for the queue besides the creator's.
  template <class R, class Bound>
  detail::TaskState<R, Bound>* make_state(Bound&& bound) {
    auto* state = new detail::TaskState<R, std::remove_cvref_t<Bound>>(std::forward<Bound>(bound));
    state->set_owner(helper_);
    state->set_initial_refs(2);  // the creator's and the queue's
    return state;
  }

  template <class Bound>
  auto submit_with(const TaskOptions& topts, Bound&& bound) {
    using R = std::invoke_result_t<std::remove_cvref_t<Bound>&&>;
    auto* state = make_state<R>(std::forward<Bound>(bound));
    Future<R> future = detail::make_future<R>(state);
    if (topts.deadline && detail::Clock::now() >= *topts.deadline) {
      detail::count_expired_at_submit(*pool_);
      state->release();  // never queued: the queue's reference goes now
      state->abandon_queued(detail::deadline_exceeded_error(*topts.deadline));
      return future;
    }
    try {
      detail::enqueue_state(*pool_, state, topts.priority);
    } catch (...) {
      state->abandon_queued(nullptr);  // the queue's reference is already released
      throw;
    }
    return future;
  }

  template <class F>
  static constexpr void check_bulk_body() {
    static_assert(detail::BulkRangeBody<std::decay_t<F>> || detail::BulkIndexBody<std::decay_t<F>>,
                  "bulk: fn must be callable as fn(std::size_t i) or fn(std::size_t begin, std::size_t end)");
  }
  // Queues `runners` participants of `core` (all or none; throws as submit).
  template <class Core>
  void start_bulk(Core& core, std::size_t runners, bool caller_participates) {
    core.set_participants(static_cast<std::uint32_t>(runners + (caller_participates ? 1 : 0)));
    if (runners == 0) return;
    std::vector<detail::Task> tasks;
    tasks.reserve(runners);
    for (std::size_t r = 0; r < runners; ++r) tasks.emplace_back(detail::BulkRunner<Core>(&core));
    detail::enqueue_tasks(*pool_, tasks.data(), tasks.size());
  }

  std::shared_ptr<detail::Pool> pool_;  // the pool lives behind detail/pool_entry.hpp
  detail::Helper* helper_;               // pool_ as its workers' Helper: the owner of its tasks
};

}  // namespace tpx
