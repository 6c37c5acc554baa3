// The worker pool: worker loop, parking, admission, shutdown, broken pools.
// The protocols are described in pool.hpp.
#include "pool.hpp"

#include <chrono>
#include <climits>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>

#include "futex.hpp"
#include "spin.hpp"
#include "topology.hpp"
#include "wait_on_word.hpp"
#include "tpx/error_reporter.hpp"
#include "tpx/errors.hpp"

namespace tpx::detail {
namespace {

// What a worker thread knows about itself: its pool, its index, its deque and its queue tokens.
struct WorkerThread {
  Pool* pool = nullptr;
  std::size_t index = 0;
  WorkDeque<StateBase>* deque = nullptr;
  moodycamel::ProducerToken* producer = nullptr;
  moodycamel::ConsumerToken* consumer = nullptr;
  std::atomic<std::uint32_t>* pushing = nullptr;  // this worker's Worker::pushing
};
thread_local WorkerThread t_worker;
thread_local Helper* t_helper = nullptr;

// How many queued tasks a waiting worker may nest on its stack. Waiting on a
// task of its own pool claims that very task first (StateBase::wait_until), so
// recursion needs no helping; this cap only bounds helping with unrelated work
// (as_completed, wait, futures already running elsewhere), which past the cap
// parks and re-checks instead.
constexpr int kMaxHelpDepth = 64;
thread_local int t_help_depth = 0;
// Picks this thread made while prioritized tasks were queued (take_prioritized).
thread_local std::uint32_t t_picks = 0;
thread_local RunNote t_run_note;

std::int64_t now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}


void report_unpinned_once(const std::string& why) {
  static std::atomic<bool> reported{false};
  // Relaxed: only decides who prints; nothing else is published through it.
  if (!reported.exchange(true, std::memory_order_relaxed)) {
    const std::string line = "tpx: could not pin worker threads (" + why + "); they run unpinned\n";
    std::fputs(line.c_str(), stderr);
  }
}

}  // namespace

Helper* current_helper() noexcept { return t_helper; }
RunNote& run_note() noexcept { return t_run_note; }

// Runs `run` with a fresh RunNote for this thread and returns what it noted,
// restoring the outer note: a nested run (a task that waits and helps) keeps
// the note of the task around it intact.
template <class Run>
RunNote Pool::noted(Run&& run) {
  const RunNote outer = std::exchange(t_run_note, RunNote{});
  run();
  return std::exchange(t_run_note, outer);
}
void set_current_helper(Helper* helper) noexcept { t_helper = helper; }

std::shared_ptr<Pool> Pool::create(Options options) {
  if (options.max_workers && *options.max_workers == 0)
    throw std::invalid_argument("tpx::ThreadPoolExecutor: max_workers must be at least 1 (got 0)");
  if (options.max_queued && *options.max_queued == 0)
    throw std::invalid_argument(
        "tpx::ThreadPoolExecutor: max_queued must be at least 1 (got 0); leave it unset for an unbounded queue");
  std::shared_ptr<Pool> pool(new Pool(std::move(options)));
  pool->start_workers();
  return pool;
}

Pool::Pool(Options options) : options_(std::move(options)), max_queued_(options_.max_queued.value_or(0)) {
  const std::size_t n = options_.max_workers.value_or(0) ? *options_.max_workers : default_max_workers();
  if (options_.thread_name_prefix.empty()) options_.thread_name_prefix = "tpx";
  workers_ = std::vector<Worker>(n);
  deques_ = std::make_unique<Deque[]>(n);
  for (std::size_t i = 0; i < n; ++i) {
    workers_[i].name = options_.thread_name_prefix + "_" + std::to_string(i);
    if (options_.record_latency) workers_[i].latency = std::make_unique<LatencyHistogram>();
  }
  if (options_.pinning != Pinning::none) {
    const auto places = options_.pinning == Pinning::cores ? allowed_cores() : allowed_pus();
    for (std::size_t i = 0; i < n; ++i) workers_[i].cpus = places[i % places.size()];
  }
}

void Pool::start_workers() {
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    try {
      workers_[i].thread = std::thread([self = shared_from_this(), i] { self->worker_main(i); });
    } catch (...) {
      // Stop and join the ones already started, so nothing leaks, then say which failed.
      stopping_.store(true, std::memory_order_release);  // release: pairs with the workers' acquire
      wake_all();
      for (std::size_t j = 0; j < i; ++j) workers_[j].thread.join();
      try {
        throw;
      } catch (const std::system_error& e) {
        throw std::system_error(e.code(), "tpx::ThreadPoolExecutor: could not start worker " + std::to_string(i) +
                                              " of " + std::to_string(workers_.size()));
      }
    }
  }
}

Pool::~Pool() {
  // Normally every worker was joined by shutdown(wait = true). When the pool
  // dies on one of its own workers (the executor was destroyed inside a task),
  // that thread cannot join itself.
  for (auto& w : workers_) {
    if (!w.thread.joinable()) continue;
    if (w.thread.get_id() == std::this_thread::get_id())
      w.thread.detach();
    else
      w.thread.join();
  }
  // Workers leave only with the queue and every deque empty; this cancels
  // nothing in practice and keeps a future from hanging if that ever changes.
  drain_queue(nullptr);
  // Threads that submitted keep tokens of queue_: destroy them while it exists.
  producer_tokens_->close();
}

bool Pool::enqueue_one(Task&& task, Priority priority) {
  stamp(task);
  if (priority == Priority::normal) {
    if (moodycamel::ProducerToken* token = producer_token()) {
      if (queue_.enqueue(*token, std::move(task))) return true;
    } else if (queue_.enqueue(std::move(task))) {
      return true;
    }
    return enqueue_fallback(std::move(task), priority);
  }
  // Counted before the enqueue, inside the gate: the gate's release publishes
  // it to a parking worker (pool.hpp, "Priorities"). Relaxed: likewise.
  prioritized_.fetch_add(1, std::memory_order_relaxed);
  if (queue_for(priority).enqueue(std::move(task)) || enqueue_fallback(std::move(task), priority)) return true;
  prioritized_.fetch_sub(1, std::memory_order_relaxed);  // relaxed: nothing was enqueued
  return false;
}

moodycamel::ProducerToken* Pool::producer_token() noexcept {
  if (t_worker.pool == this && t_worker.producer) return t_worker.producer;
  return t_thread_producers.get(id_, producer_tokens_);
}

// The cold path after the queue failed to allocate. A moodycamel implicit
// producer whose first allocation failed stays unusable for its thread, so
// retrying there would fail forever: go through one explicit producer owned by
// the pool instead, under a mutex (this path runs only after an allocation failure).
bool Pool::enqueue_fallback(Task&& task, Priority priority) {
  std::lock_guard lock(fallback_mutex_);
  moodycamel::ProducerToken* token = fallback_token_locked(priority);
  return token && queue_for(priority).enqueue(*token, std::move(task));
}

moodycamel::ProducerToken* Pool::fallback_token_locked(Priority priority) {
  auto& producer = fallback_producer_[static_cast<std::size_t>(priority)];
  if (!producer) {
    auto token = std::make_unique<moodycamel::ProducerToken>(queue_for(priority));
    if (!token->valid()) return nullptr;
    producer = std::move(token);
  }
  return producer.get();
}

bool Pool::submit_state(StateBase* state, Priority priority, Admit admit) {
  // On a worker of this pool a normal task goes to that worker's own deque.
  if (priority == Priority::normal && push_local(state)) return true;
  Task task{QueuedState(state)};  // from here the queue's reference is the Task's
  if (max_queued_ == 0) {
    submit(std::move(task), priority);
    return true;
  }
  return submit_bounded(std::move(task), priority, admit);
}

bool Pool::submit_bounded(Task&& task, Priority priority, Admit admit) {
  switch (reserve(1, admit)) {
    case Room::full:
      return false;  // Admit::try_only only; the task (and its reference) is dropped by the caller
    case Room::run_here: {
      // WhenFull::caller_runs: on the submitting thread, now (counted as any run).
      count_run(noted([&] { task.run(); }));
      return true;
    }
    case Room::reserved:
      break;
  }
  struct Reservation {
    Pool& pool;
    bool held = true;
    ~Reservation() {
      if (held) pool.release_room(1);
    }
  } reservation{*this};
  Gate gate(*this);
  if (!enqueue_one(std::move(task), priority)) throw std::bad_alloc();
  reservation.held = false;  // the dequeuing worker releases it
  return true;
}

// ---- Bounded admission (pool.hpp) ------------------------------------------------

Pool::Room Pool::reserve(std::size_t count, Admit admit) {
  if (max_queued_ == 0) return Room::reserved;
  if (t_worker.pool == this) {
    // A worker never waits on its own pool (it would deadlock it); it still counts.
    queued_.fetch_add(static_cast<std::int64_t>(count), std::memory_order_relaxed);  // relaxed: a count
    return Room::reserved;
  }
  if (try_reserve(count)) return Room::reserved;
  // No room: a closed pool says so rather than QueueFull (or running the task).
  // Acquire: broken_error_ is readable if kBroken is seen.
  if (const std::uint64_t g = gate_.load(std::memory_order_acquire); g & (kClosed | kBroken)) throw_not_accepting(g);
  if (admit == Admit::try_only) {
    rejected_.fetch_add(1, std::memory_order_relaxed);  // relaxed: a count
    return Room::full;
  }
  switch (options_.when_full) {
    case WhenFull::reject:
      throw_queue_full();
    case WhenFull::caller_runs:
      return Room::run_here;
    case WhenFull::block:
      break;
  }
  wait_for_room(count);
  return Room::reserved;
}

bool Pool::try_reserve(std::size_t count) noexcept {
  const auto n = static_cast<std::int64_t>(count);
  const auto limit = static_cast<std::int64_t>(max_queued_);
  // A CAS loop, never an increment undone on failure: an overshoot turns
  // other submitters away, and an undo must then wake them to retry (the
  // first version did, behind a cheap pre-check; admission.pml shows that
  // add-then-undo alone has blocked submitters wake each other in a loop
  // while the queue stays full: BROKEN_UNDO). The CAS never overshoots.
  std::int64_t seen = queued_.load(std::memory_order_seq_cst);  // seq_cst: the room Dekker pair (pool.hpp)
  do {
    // An empty queue admits a batch larger than the bound (map's chunks), else it never could.
    if (seen != 0 && seen + n > limit) return false;
    // Seq_cst (success and failure): the submitter's side of the room Dekker pair.
  } while (!queued_.compare_exchange_weak(seen, seen + n, std::memory_order_seq_cst, std::memory_order_seq_cst));
  return true;
}

void Pool::release_room(std::size_t count) noexcept {
  // Seq_cst: the releaser's side of the room Dekker pair (pool.hpp).
  queued_.fetch_sub(static_cast<std::int64_t>(count), std::memory_order_seq_cst);
  if (blocked_.load(std::memory_order_seq_cst) != 0) {
    room_.fetch_add(1, std::memory_order_release);  // release: as wake_one's epoch
    futex_wake(room_, 1);
  }
}

void Pool::wake_blocked_submitters() noexcept {
  // After the gate was closed (seq_cst): a blocked submitter either reads the
  // new room_ before it re-checks the gate, or its futex_wait sees room_ changed.
  room_.fetch_add(1, std::memory_order_release);  // release: as wake_one's epoch
  futex_wake(room_, INT_MAX);
}

void Pool::wait_for_room(std::size_t count) {
  struct RoomWait {
    Pool& pool;
    std::size_t count;
    bool reserved = false;
    bool announced = false;
    bool closed() const noexcept {
      return (pool.gate_.load(std::memory_order_seq_cst) & (kClosed | kBroken)) != 0;  // seq_cst: see wake_blocked_submitters
    }
    bool ready() noexcept {
      if (!reserved) reserved = pool.try_reserve(count);
      return reserved || closed();
    }
    std::optional<std::uint32_t> arm() noexcept {
      if (!announced) {
        pool.blocked_.fetch_add(1, std::memory_order_seq_cst);  // seq_cst: the Dekker pair in pool.hpp
        announced = true;
      }
      const std::uint32_t seen = pool.room_.load(std::memory_order_acquire);  // acquire: pairs with the bump
      if (ready()) return std::nullopt;
      return seen;
    }
    std::atomic<std::uint32_t>& word() noexcept { return pool.room_; }
  } room{*this, count};
  wait_on_word(room, kNoDeadline, /*helper=*/nullptr);  // a worker never gets here
  if (room.announced) blocked_.fetch_sub(1, std::memory_order_relaxed);  // relaxed: a count of sleepers
  if (!room.reserved) {
    // Acquire: broken_error_ is readable if kBroken is seen.
    throw_not_accepting(gate_.load(std::memory_order_acquire));
  }
}

void Pool::throw_queue_full() {
  rejected_.fetch_add(1, std::memory_order_relaxed);  // relaxed: a count
  throw QueueFull("tpx::QueueFull: " + std::to_string(max_queued_) +
                  " tasks are already queued (Options::max_queued, with when_full = WhenFull::reject); "
                  "retry later, raise max_queued, or use WhenFull::block or try_submit");
}

void Pool::submit_bulk(Task* tasks, std::size_t count) {
  if (count == 0) return;
  if (max_queued_ != 0 && reserve(count, Admit::per_policy) == Room::run_here) {
    for (std::size_t i = 0; i < count; ++i) {  // WhenFull::caller_runs
      count_run(noted([&] { tasks[i].run(); }));
    }
    return;
  }
  stamp(tasks, count);
  struct Reservation {
    Pool& pool;
    std::size_t count;
    ~Reservation() {
      if (count != 0) pool.release_room(count);
    }
  } reservation{*this, max_queued_ != 0 ? count : 0};
  Gate gate(*this);
  moodycamel::ProducerToken* token = producer_token();
  bool ok = token ? queue_.enqueue_bulk(*token, std::make_move_iterator(tasks), count)
                  : queue_.enqueue_bulk(std::make_move_iterator(tasks), count);
  if (!ok) {  // the cold path, as in enqueue_one
    std::lock_guard lock(fallback_mutex_);
    moodycamel::ProducerToken* fallback = fallback_token_locked(Priority::normal);
    ok = fallback && queue_.enqueue_bulk(*fallback, std::make_move_iterator(tasks), count);
  }
  if (!ok) throw std::bad_alloc();
  reservation.count = 0;  // the dequeuing workers release it
}

bool Pool::push_local(StateBase* state) noexcept {
  // A worker's deque exists for it only once its initializer has returned.
  if (t_worker.pool != this || t_worker.deque == nullptr) return false;
  // Seq_cst store and load: one half of a Dekker pair with shutdown()'s
  // seq_cst gate RMW and its seq_cst loads of `pushing` (pool.hpp, "A push
  // onto a worker's own deque"): either shutdown sees us pushing and waits,
  // or we see the gate closed and push nothing.
  t_worker.pushing->store(1, std::memory_order_seq_cst);
  if (gate_.load(std::memory_order_seq_cst) & (kClosed | kBroken)) {
    t_worker.pushing->store(0, std::memory_order_relaxed);  // relaxed: nothing was pushed
    return false;  // submit() then says why
  }
  const bool pushed = t_worker.deque->push(state);
  // Release: shutdown(), and a parking or handing-off worker that reads
  // `pushing` (any_local_push_in_flight), acquire it and then see the push.
  t_worker.pushing->store(0, std::memory_order_release);
  if (!pushed) return false;
  // Seq_cst loads, after the seq_cst store of pushing = 1: the pusher's half
  // of the pair with a parking worker (pool.hpp, "A push onto a worker's own
  // deque"): it sees the worker counted as asleep, or the worker sees the
  // push or `pushing` set. No fence of our own.
  wake_if_nobody_searches(std::memory_order_seq_cst);
  return true;
}

bool Pool::any_local_push_in_flight() const noexcept {
  // Acquire: a 0 written after a push makes that push visible to our re-check.
  for (const Worker& w : workers_)
    if (w.pushing.load(std::memory_order_acquire) != 0) return true;
  return false;
}

void Pool::wait_for_local_pushes() noexcept {
  // Called after the gate was closed with a seq_cst RMW: a worker that saw it
  // open has `pushing` set (seq_cst, so we see it) until its push is visible.
  Backoff backoff;
  for (auto& w : workers_)
    while (w.pushing.load(std::memory_order_seq_cst) != 0) backoff.pause();  // seq_cst: the Dekker pair above; acquires the push
}

bool Pool::run_inline(StateBase& state) noexcept {
  // The common case: a worker waits for what it just submitted, the newest
  // element of its own deque. Taken back, no husk stays queued, so the run is
  // counted here; otherwise whoever drops the queue entry counts it (count_husk).
  const bool unqueued = t_worker.pool == this && t_worker.deque->pop_if_newest(&state);
  bool completed = false;
  if (broken_seen()) {
    completed = state.fail_if_pending(broken_error_);
    if (unqueued && completed) count(TaskEvent::failed);
  } else {
    const RunNote mine = noted([&] { completed = state.run_inline_if_pending(); });
    if (unqueued && completed) {
      count(TaskEvent::helped);
      count(mine.expired ? TaskEvent::expired : state.error() ? TaskEvent::failed : TaskEvent::completed);
    }
  }
  if (unqueued) {
    if (!completed) count_husk(state);  // cancelled while queued
    state.release();  // the deque's reference, now ours; the waiter's keeps the state alive
  }
  return completed;
}

bool Pool::try_take(Task& task) {
  // A worker's consumer token exists once its initializer has returned; a
  // worker whose initializer threw drains the queues without one (break_pool).
  const bool taken = t_worker.pool == this && t_worker.consumer != nullptr ? queue_.try_dequeue(*t_worker.consumer, task)
                                                                           : queue_.try_dequeue(task);
  if (taken && max_queued_ != 0) release_room(1);
  return taken;
}

bool Pool::take_from(moodycamel::ConcurrentQueue<Task>& queue, Task& task) {
  if (!queue.try_dequeue(task)) return false;
  prioritized_.fetch_sub(1, std::memory_order_relaxed);  // relaxed: see pool.hpp, "Priorities"
  if (max_queued_ != 0) release_room(1);
  return true;
}

bool Pool::take_prioritized(Task& task) {
  // Every fourth pick tries the normal queue first, every fourth (another)
  // the low queue: a bound on how long either waits behind high ones.
  const std::uint32_t pick = t_picks++ % 4;
  if (pick == 1 && try_take(task)) return true;
  if (pick == 3 && take_from(low_queue_, task)) return true;
  return take_from(high_queue_, task);
}

StateBase* Pool::steal_any() noexcept {
  const std::size_t n = workers_.size();
  // Start after our own index, so that thieves spread over the victims.
  const std::size_t start = t_worker.pool == this ? t_worker.index + 1 : 0;
  for (std::size_t k = 0; k < n; ++k) {
    Deque& victim = deques_[(start + k) % n];
    if (!victim.maybe_nonempty()) continue;
    if (StateBase* state = victim.steal()) return state;
  }
  return nullptr;
}

bool Pool::deques_look_nonempty() const noexcept {
  for (std::size_t i = 0; i < workers_.size(); ++i)
    if (deques_[i].maybe_nonempty()) return true;
  return false;
}

bool Pool::find_work(Found& found) {
  // Relaxed: a hint; exact after a gate RMW (the parking re-check).
  const bool prioritized = prioritized_.load(std::memory_order_relaxed) != 0;
  if (prioritized && take_prioritized(found.task)) return true;
  // The emptiness peek skips pop()'s fence when idle; a stale top_ only makes
  // our own deque look fuller, never emptier (only thieves move top_, upwards).
  if (t_worker.pool == this && t_worker.deque->maybe_nonempty() && (found.state = t_worker.deque->pop())) return true;
  if (try_take(found.task)) return true;
  if ((found.state = steal_any()) != nullptr) {
    count(TaskEvent::stolen);
    return true;
  }
  return prioritized && take_from(low_queue_, found.task);
}

bool Pool::broken_seen() noexcept {
  // Seq_cst: an initializer's failure (broken_once_'s exchange) and this load
  // are totally ordered: a task taken after the failure is never run.
  if (!broken_once_.load(std::memory_order_seq_cst)) return false;
  // The failing worker publishes broken_error_ right after its exchange;
  // wait for it (a few allocations) so the task fails with that error.
  Backoff backoff;
  while (!broken_.load(std::memory_order_acquire)) backoff.pause();  // acquire: broken_error_ is readable
  return true;
}

void Pool::run_found(Found& found) {
  // Only workers of this pool get here (worker_main, run_one_queued).
  Worker& self = workers_[t_worker.index];
  const bool broken = broken_seen();
  // Relaxed: a gauge for stats(), written by this worker only; nested (a
  // waiting task helping) it stays 1 until the outer task ends.
  const std::uint32_t was_running = self.running.load(std::memory_order_relaxed);
  self.running.store(1, std::memory_order_relaxed);
  if (StateBase* state = std::exchange(found.state, nullptr)) {
    if (broken) {
      state->abandon_queued(broken_error_);
      count(TaskEvent::failed);
    } else {
      count_run(noted([&] { QueuedState::run_and_note(*state); }));
    }
    state->release();  // the deque's reference
  } else if (broken) {
    found.task.abandon(broken_error_);
    count(TaskEvent::failed);
  } else {
    if (self.latency && found.task.stamp() != 0)
      self.latency->record(static_cast<std::uint64_t>(std::max<std::int64_t>(0, now_ns() - found.task.stamp())));
    // The task sets this thread's note while it runs (run_note.hpp).
    count_run(noted([&] { found.task.run(); }));
  }
  self.running.store(was_running, std::memory_order_relaxed);
}

// ---- Statistics (tpx/stats.hpp) -------------------------------------------------------

void Pool::count(TaskEvent event) noexcept {
  if (t_worker.pool == this)
    workers_[t_worker.index].counters.bump_owned(event);
  else
    outside_counters_.bump_shared(event);
}

void Pool::count_run(const RunNote& note) noexcept {
  if (note.cancelled) return count(TaskEvent::cancelled);
  if (note.helped) count(TaskEvent::helped);
  count(note.expired ? TaskEvent::expired : note.failed ? TaskEvent::failed : TaskEvent::completed);
}

void Pool::count_husk(const StateBase& state) noexcept {
  // An entry whose task was not pending (QueuedState::run_and_note says how it is read).
  count_run(noted([&] { QueuedState::note_not_pending(state); }));
}

void Pool::count_abandoned(const std::exception_ptr& reason) noexcept {
  count(reason ? TaskEvent::failed : TaskEvent::cancelled);
}

void Pool::stamp(Task& task) const noexcept {
  if (options_.record_latency) task.set_stamp(now_ns());
}

void Pool::stamp(Task* tasks, std::size_t count) const noexcept {
  if (!options_.record_latency) return;
  const std::int64_t now = now_ns();
  for (std::size_t i = 0; i < count; ++i) tasks[i].set_stamp(now);
}

ExecutorStats Pool::stats() const {
  ExecutorStats s;
  std::uint64_t events[static_cast<std::size_t>(TaskEvent::kCount)] = {};
  auto add = [&events](const TaskCounters& c) {
    for (std::size_t e = 0; e < static_cast<std::size_t>(TaskEvent::kCount); ++e)
      events[e] += c.read(static_cast<TaskEvent>(e));
  };
  add(outside_counters_);
  std::unique_ptr<std::array<std::uint64_t, LatencyHistogram::kBuckets>> merged;
  std::uint64_t max_latency = 0;
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    const Worker& w = workers_[i];
    add(w.counters);
    s.running += w.running.load(std::memory_order_relaxed);  // relaxed: a gauge
    if (w.latency) {
      if (!merged) merged = std::make_unique<std::array<std::uint64_t, LatencyHistogram::kBuckets>>();
      w.latency->add_to(*merged, max_latency);
    }
    // A deque's size: bottom - top, read without synchronization (a gauge).
    s.queued += deques_[i].size_hint();
  }
  auto ev = [&events](TaskEvent e) { return events[static_cast<std::size_t>(e)]; };
  s.completed = ev(TaskEvent::completed);
  s.failed = ev(TaskEvent::failed);
  s.cancelled = ev(TaskEvent::cancelled);
  s.expired = ev(TaskEvent::expired);
  s.stolen = ev(TaskEvent::stolen);
  s.helped = ev(TaskEvent::helped);
  s.rejected = rejected_.load(std::memory_order_relaxed);  // relaxed: a snapshot
  s.queued += queue_.size_approx() + high_queue_.size_approx() + low_queue_.size_approx();
  s.parked_workers = sleepers_.load(std::memory_order_relaxed);  // relaxed: a gauge
  s.submitted = s.completed + s.failed + s.cancelled + s.expired + s.queued + s.running;
  if (merged) s.schedule_latency = LatencyHistogram::summarize(*merged, max_latency);
  return s;
}

bool Pool::run_one_queued(Clock::time_point deadline) {
  if (t_help_depth >= kMaxHelpDepth) return false;
  if (deadline != kNoDeadline && Clock::now() >= deadline) return false;
  Found found;
  if (!find_work(found)) return false;
  ++t_help_depth;
  run_found(found);
  --t_help_depth;
  return true;
}

void Pool::wake_one() noexcept {
  // Release: a worker that sees the new epoch sees everything enqueued before.
  epoch_.fetch_add(1, std::memory_order_release);
  futex_wake(epoch_, 1);
}

void Pool::wake_if_more_work() noexcept {
  // Relaxed: ordered by the caller's gate RMW and fence (see worker_main). A
  // local push in flight counts as work: it may land after our look.
  // `pushing` is read before the deques: a 0 written after a push
  // (acquire) makes the push visible to the look that follows.
  if (sleepers_.load(std::memory_order_relaxed) != 0 &&
      (any_local_push_in_flight() || queue_holds_tasks() || deques_look_nonempty()))
    wake_one();
}

bool Pool::queue_holds_tasks() noexcept {
  // Relaxed: read after the caller's gate RMW, which publishes the count.
  return queue_.size_approx() != 0 || prioritized_.load(std::memory_order_relaxed) != 0;
}

void Pool::wake_all() noexcept {
  epoch_.fetch_add(1, std::memory_order_release);  // release: as in wake_one
  futex_wake(epoch_, INT_MAX);
}

bool Pool::spin_for_work(Found& task, std::chrono::nanoseconds how_long) {
  // Stay awake, so that work that comes meanwhile costs no wake-up.
  const auto until = Clock::now() + how_long;
  Backoff backoff;
  // Acquire on stopping_: once seen, no new task can be enqueued.
  while (!stopping_.load(std::memory_order_acquire) && Clock::now() < until) {
    if (find_work(task)) return true;
    backoff.pause();
  }
  return false;
}

void Pool::worker_main(std::size_t index) {
  name_current_thread(workers_[index].name);
  if (!workers_[index].cpus.empty()) {
    try {
      std::string why;
      if (!bind_current_thread(workers_[index].cpus, why)) report_unpinned_once(why);
    } catch (const std::bad_alloc&) {
      // Out of memory while binding: the worker runs unpinned, which is always correct.
    }
  }
  // A producer token allocates; when that fails the token is invalid and this
  // worker's own submissions take the queue's implicit path instead.
  moodycamel::ProducerToken producer(queue_);
  moodycamel::ConsumerToken consumer(queue_);
  // While the initializer runs, the thread is known as this pool's worker (a
  // shutdown(wait) it makes does not join itself) but it neither helps nor
  // owns a deque: "before any task" holds even when the initializer waits on
  // a future or submits (its submissions go to the queue).
  t_worker = {this, index, nullptr, nullptr, nullptr, nullptr};
  if (options_.initializer) {
    try {
      options_.initializer();
    } catch (...) {
      break_pool(std::current_exception());
    }
  }
  t_worker = {this, index, &deques_[index], producer.valid() ? &producer : nullptr, &consumer,
              &workers_[index].pushing};
  set_current_helper(this);

  // A worker starts (and wakes up) searching: counted in searching_, so that
  // submitters need wake nobody, and responsible for waking a sleeper when it
  // finds work while more is queued. Once it runs tasks back to back it is
  // busy and touches no shared counter until the queue looks empty.
  searching_.fetch_add(1, std::memory_order_relaxed);  // relaxed: a hint, see pool.hpp
  bool searching = true;
  Found task;
  for (;;) {
    if (!searching) {
      if (find_work(task)) {
        run_found(task);
        continue;
      }
      searching_.fetch_add(1, std::memory_order_relaxed);  // relaxed: a hint, see pool.hpp
      searching = true;
    }

    bool found = find_work(task);
    if (!found && options_.idle_spin.count() > 0) found = spin_for_work(task, options_.idle_spin);
    // One worker at a time lingers on (Options::idle_linger): while it
    // searches, submitters wake nobody (it is counted in searching_).
    // Acquire: pairs with the release of the previous lingerer, for tidiness
    // only (the flag guards nothing but the number of lingerers).
    if (!found && options_.idle_linger > options_.idle_spin && !lingering_.exchange(true, std::memory_order_acquire)) {
      found = spin_for_work(task, options_.idle_linger - options_.idle_spin);
      lingering_.store(false, std::memory_order_release);  // release: see the exchange
    }

    if (found) {
      // Stop searching to run it. The last searcher to find work wakes a
      // sleeper when more is queued, so a burst spreads over the pool.
      // The hand-off is a store-buffering pattern (we write searching_ and
      // read sleepers_ and the queue; a submitter writes the queue and reads
      // searching_; a parker writes sleepers_ and reads the queue), so it is
      // paired as the parking protocol is: the gate RMW orders us against
      // submitters and parkers (one total order on gate_), the fence against
      // local pushes (pool.hpp).
      searching = false;
      // Relaxed: ordered by the gate RMW that follows.
      if (searching_.fetch_sub(1, std::memory_order_relaxed) == 1) {
        gate_.fetch_add(0, std::memory_order_acq_rel);  // acq_rel: see the argument above
        std::atomic_thread_fence(std::memory_order_seq_cst);
        wake_if_more_work();
      }
      run_found(task);
      continue;
    }

    // Park (the protocol in pool.hpp).
    const std::uint32_t epoch = epoch_.load(std::memory_order_acquire);  // acquire: pairs with wake_*'s release
    sleepers_.fetch_add(1, std::memory_order_relaxed);   // relaxed: published by the gate RMW below
    searching_.fetch_sub(1, std::memory_order_relaxed);  // relaxed: likewise
    gate_.fetch_add(0, std::memory_order_acq_rel);       // the worker's half of the Dekker pair
    std::atomic_thread_fence(std::memory_order_seq_cst);   // and of the fence pair with local pushes
    // stopping_ is read *before* the re-check: it is set only after the gate
    // drained, so if we see it, every task ever enqueued is visible to the
    // re-check. Read after, a task enqueued between the two would be stranded
    // when every worker exits (found by the spin model).
    const bool stopping = stopping_.load(std::memory_order_acquire);
    // Local pushes in flight, read *before* the re-check: a 0 written after
    // a push (acquire) makes the push visible to it (pool.hpp).
    const bool push_in_flight = any_local_push_in_flight();
    found = find_work(task);
    // moodycamel's try_dequeue is only eventually consistent: a consumer that
    // lost a race for an element can briefly hide another one from us. The
    // queue's size (tail - head per producer, head moved only by a successful
    // dequeue) is exact for what our gate RMW made visible: when it says a
    // task is queued, we search again instead of parking or exiting.
    // Likewise a worker between `pushing = 1` and `pushing = 0`: its push may
    // land after our re-check, and it may have read us as not yet asleep.
    const bool hidden = !found && (queue_holds_tasks() || push_in_flight);
    if (!found && !stopping && !hidden) futex_wait(epoch_, epoch);
    sleepers_.fetch_sub(1, std::memory_order_relaxed);  // relaxed: a hint, see pool.hpp
    if (found) {
      searching = false;
      if (searching_.load(std::memory_order_relaxed) == 0) wake_if_more_work();  // relaxed: a hint
      run_found(task);
      continue;
    }
    if (stopping && !hidden) break;  // the queue is empty and nothing can be enqueued any more
    // Woken (or spuriously): search again.
    searching_.fetch_add(1, std::memory_order_relaxed);  // relaxed: a hint, see pool.hpp
  }
  // The only way out is the park above, which already left searching_.

  set_current_helper(nullptr);
  t_worker = {};
}

void Pool::throw_not_accepting(std::uint64_t gate) const {
  if (gate & kBroken) std::rethrow_exception(broken_error_);
  throw ShutdownError("tpx::ShutdownError: cannot schedule new work after shutdown()");
}

void Pool::close_and_drain_gate(std::uint64_t flag) noexcept {
  // Acq_rel: later submitters see the flag; we see the count of those inside.
  // Seq_cst: also one half of the Dekker pair with local pushes (push_local).
  gate_.fetch_or(flag, std::memory_order_seq_cst);
  Backoff backoff;
  // Acquire: their enqueues are visible once they have left.
  while ((gate_.load(std::memory_order_acquire) & kCountMask) != 0) backoff.pause();
}

void Pool::drain_queue(const std::exception_ptr& reason) noexcept {
  Task task;
  while (try_take(task) || take_from(high_queue_, task) || take_from(low_queue_, task)) {
    task.abandon(reason);
    count_abandoned(reason);
  }
  // Tasks in the workers' deques too: their owners are running tasks, so the
  // steals race only with them (and a push after this is run, not dropped).
  for (std::size_t i = 0; i < workers_.size(); ++i)
    while (StateBase* state = deques_[i].steal()) {
      state->abandon_queued(reason);
      count_abandoned(reason);
      state->release();
    }
}

void Pool::break_pool(std::exception_ptr cause) noexcept {
  // Seq_cst: one total order with broken_seen()'s loads (a task taken after
  // this never runs); the first failing initializer writes the error, the
  // others leave at once (their own broken_seen() then waits for it).
  if (broken_once_.exchange(true, std::memory_order_seq_cst)) return;
  try {
    broken_error_ = std::make_exception_ptr(
        BrokenExecutor("tpx::BrokenExecutor: a worker's initializer threw: " + describe_exception(cause)));
  } catch (...) {
    broken_error_ = std::current_exception();  // out of memory building the message: that is the error
  }
  broken_.store(true, std::memory_order_release);  // release: broken_error_ is readable by workers
  close_and_drain_gate(kBroken);                   // its release publishes broken_error_ to submitters
  wake_blocked_submitters();                       // they see the gate closed and throw
  wait_for_local_pushes();                         // as in shutdown(): local pushes are seen or refused
  drain_queue(broken_error_);
  stopping_.store(true, std::memory_order_release);  // release: pairs with the workers' acquire
  wake_all();
}

void Pool::shutdown(bool wait, bool cancel_futures) {
  close_and_drain_gate(kClosed);
  wake_blocked_submitters();  // they see the gate closed and throw ShutdownError
  // The other half of the local-push Dekker pair (push_local): a worker either
  // saw kClosed and pushed nothing, or set `pushing` first and we wait until
  // its push is visible, so the drain below sees it.
  wait_for_local_pushes();
  if (cancel_futures) drain_queue(nullptr);
  stopping_.store(true, std::memory_order_release);  // release: pairs with the workers' acquire
  wake_all();
  if (wait) join_workers();
}

void Pool::join_workers() {
  // A worker never joins: not itself, and not its peers, which may be waiting
  // for it. Its pool's destructor (or a later shutdown from outside) joins.
  if (t_worker.pool == this) return;
  std::uint32_t state = kNobodyJoins;
  // Acq_rel: one joiner wins; acquire on failure reads the winner's progress.
  if (join_state_.compare_exchange_strong(state, kJoining, std::memory_order_acq_rel, std::memory_order_acquire)) {
    for (auto& w : workers_)
      if (w.thread.joinable()) w.thread.join();
    join_state_.store(kJoined, std::memory_order_release);  // release: the joins happen-before other waiters return
    futex_wake(join_state_, INT_MAX);
    return;
  }
  // Another thread joins: wait until it is done, so that this call too returns
  // only when every task has finished. No lost wake-up: the joiner stores
  // kJoined before its FUTEX_WAKE, and we sleep only while the word is kJoining.
  struct Joined {
    std::atomic<std::uint32_t>& state;
    bool ready() const noexcept {
      return state.load(std::memory_order_acquire) == kJoined;  // acquire: the joins happen-before
    }
    std::optional<std::uint32_t> arm() const noexcept { return kJoining; }
    std::atomic<std::uint32_t>& word() const noexcept { return state; }
  } joined{join_state_};
  wait_on_word(joined, kNoDeadline, /*helper=*/nullptr);
}

// ---- Entry points (tpx/detail/pool_entry.hpp) ----------------------------------

void enqueue_state(Pool& pool, StateBase* state) {
  // The common case first: a worker's own deque, else the unbounded queue.
  if (pool.push_local(state)) return;
  pool.submit(Task(QueuedState(state)));
}

void enqueue_state(Pool& pool, StateBase* state, Priority priority) {
  pool.submit_state(state, priority, Pool::Admit::per_policy);
}

bool try_enqueue_state(Pool& pool, StateBase* state) {
  return pool.submit_state(state, Priority::normal, Pool::Admit::try_only);
}

void enqueue_task(Pool& pool, Task&& task) { pool.submit(std::move(task)); }

void enqueue_task(Pool& pool, Task&& task, Priority priority) { pool.submit(std::move(task), priority); }

void enqueue_tasks(Pool& pool, Task* tasks, std::size_t count) { pool.submit_bulk(tasks, count); }

Helper* helper_of(Pool& pool) noexcept { return &pool; }

void count_expired_at_submit(Pool& pool) noexcept { pool.count_expired_at_submit(); }

}  // namespace tpx::detail
