// pool.hpp (internal) — the worker pool behind ThreadPoolExecutor.
//
// Tasks flow through one moodycamel ConcurrentQueue (lock-free MPMC). Workers
// use a consumer token each and, for tasks they submit themselves, a producer
// token each; other threads a producer token each, cached per thread
// (producer_tokens.hpp), or the queue's implicit producers when none could be made.
//
// A submit() made on a worker of this pool goes to that worker's own deque
// instead (work_deque.hpp; post() and map() still use the queue): the worker
// pops it back (LIFO) when it waits for it, or another worker steals it. A
// worker looks for work in that order: its own deque, the queue, the others'
// deques. Tasks in a deque run LIFO, so nested submissions do not run in
// submission order (no executor promises an order; this one says so).
//
// ---- Admission (the gate) ----------------------------------------------------
// gate_ packs two flags and the number of submitters inside enqueue():
//   kClosed  shutdown() was called: no new work
//   kBroken  an initializer threw: no new work, queued work fails
//   low bits submitters between "passed the gate" and "enqueued"
// A submitter increments, checks the flags, enqueues, decrements. shutdown()
// sets kClosed and waits for the count to reach zero: after that, nothing can
// be enqueued, so workers that find the queue empty may exit and nothing is lost.
//
// ---- Parking (why no wake-up is lost) ------------------------------------------
// A worker is busy (running tasks back to back: it touches no shared counter),
// searching (counted in searching_, spinning for Options::idle_spin, one of
// them for Options::idle_linger) or parked (counted in sleepers_). Busy workers look at the queue again when their task ends.
// Invariant: whenever a task sits in the queue, some worker will look at the
// queue again, or a wake has been issued.
//   submitter:  enqueue; gate_.fetch_sub (acq_rel); if searching_ == 0 && sleepers_ > 0: wake one
//   worker:     e = epoch_; sleepers_++; searching_--; gate_.fetch_add(0, memory_order_acq_rel);
//               read stopping_; re-check the queue; futex_wait(epoch_, e)
// The two gate_ RMWs are totally ordered. If the worker's comes later, it
// acquires the submitter's release, so its re-check sees the task. If the
// submitter's comes later, it acquires the worker's, so it sees the worker
// counted as sleeping (and, if nobody else searches, wakes one). A searcher
// that the submitter relied on runs the same argument when it parks. A wake
// bumps epoch_ before FUTEX_WAKE, so a worker between its re-check and its
// futex_wait does not sleep through it (the kernel sees epoch_ != e).
// Submit therefore makes no syscall while any worker is searching.
//
// A push onto a worker's own deque skips the gate's count (the pushing worker
// is running a task, so it looks at its own deque again before it can park or
// exit) and pairs with a parking worker through its seq_cst store of
// `pushing` and the worker's seq_cst fence instead of the gate RMWs:
//   pusher:  pushing = 1 (seq_cst); if gate closed (seq_cst load): pushing = 0, refuse;
//            deque.push (bottom_ store); pushing = 0 (release);
//            if searching_ == 0 && sleepers_ > 0 (seq_cst loads): wake one
//   worker:  sleepers_++; searching_--; gate RMW; fence(seq_cst);
//            p = any pushing == 1 (acquire); re-check (steals read bottom_);
//            nothing found and p: search again
// The store and the fence are totally ordered. If the pusher's store comes
// first, the worker's load of `pushing` after its fence reads 1 (a push in
// flight: it searches again instead of parking) or the 0 written after the
// push (acquire: its re-check sees the push). If the fence comes first, the
// pusher's seq_cst loads see the worker counted as sleeping (and not
// searching) and wake it. The rest of the argument is the one above. One
// barrier per push (the store; no fence after the push): the hand-off below
// reads `pushing` for the same reason.
// Against shutdown() (and break_pool), which close the gate with a seq_cst RMW,
// then wait (seq_cst loads) until every worker's `pushing` is 0 before they
// drain: a Dekker pair of seq_cst operations, so in their total order either
// the pusher's store of 1 comes first (shutdown sees it and waits until the
// push is visible: the drain cancels the task, or its worker runs it) or
// shutdown's RMW does (the pusher sees the gate closed and pushes nothing, so
// submit() throws as from any thread). No child lands after the drain; none
// is pushed and then taken back (a thief could steal it in between: found by
// the model, worker_parking.pml -DSTRICT_DRAIN).
//
// Parking trusts the queue's size, not a failed try_dequeue: moodycamel's
// dequeue is only eventually consistent (a consumer that lost a race for an
// element briefly hides another from other consumers), while size_approx()
// (tail - head per producer; head moves only on a successful dequeue) counts
// every element whose enqueue the parker's gate RMW made visible. A worker
// that finds nothing but a non-zero size searches again instead of parking
// (or exiting, when stopping).
//
// ---- Priorities ------------------------------------------------------------------
// Normal tasks use queue_ (and the workers' deques); high and low ones their
// own queues, counted in prioritized_ (incremented inside the gate before the
// enqueue, decremented after a dequeue: the parking re-check reads it after
// its gate RMW, so a prioritized task is never stranded). With nothing
// prioritized queued a worker reads one counter more than it used to.
// A worker picks high, then its deque, the normal queue, steals, then low;
// while prioritized tasks are queued, every fourth pick of a worker tries the
// normal queue first and every fourth (another) the low queue first, so
// neither starves under a stream of high-priority tasks.
//
// ---- Bounded admission (Options::max_queued) ------------------------------------
// queued_ counts tasks in the three queues. A submitter reserves room before
// it passes the gate (so shutdown never waits for a blocked submitter) and a
// worker releases it after a dequeue. A worker of this pool reserves without
// checking (it must never block on its own pool). When there is no room a
// submitter throws QueueFull, runs the task itself, or blocks:
//   submitter: blocked_++ (seq_cst); e = room_; if room (seq_cst CAS loop on queued_) or closed:
//              done; else futex_wait(room_, e)
//   releaser:  queued_ -= n (seq_cst); if blocked_ != 0 (seq_cst): room_++, wake one
// A Dekker pair: either the releaser sees the blocked submitter and bumps room_
// (then its futex_wait returns), or the submitter's check sees the room.
// shutdown() and break_pool() bump room_ and wake every blocked submitter
// after closing the gate (seq_cst), so they see it closed and throw.
// Unbounded (the default), nobody touches queued_.
//
// The last searcher to find work hands off: it leaves searching_, then does a
// gate RMW and a fence before it reads sleepers_ and the queue. Its gate RMW
// is in one total order with the submitters' and parkers' RMWs: a submitter
// whose RMW comes later sees searching_ decremented (and wakes a sleeper
// itself); one whose RMW comes earlier has its task seen by us; a parker
// whose RMW comes earlier is seen in sleepers_, one whose comes later sees
// the task in its re-check. The fence does the same against local pushes
// (it reads `pushing` too).
#pragma once

#include <atomic>
#include <chrono>
#include <concurrentqueue/concurrentqueue.h>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tpx/detail/helper.hpp"
#include "tpx/detail/shared_state.hpp"
#include "tpx/detail/task.hpp"
#include "latency_histogram.hpp"
#include "run_note.hpp"
#include "task_counters.hpp"
#include "tpx/options.hpp"
#include "tpx/stats.hpp"
#include "producer_tokens.hpp"
#include "work_deque.hpp"

namespace tpx::detail {

// What the queue holds for a submit(): the state, owning the queue's reference.
class QueuedState {
 public:
  explicit QueuedState(StateBase* state) noexcept : state_(state) {}
  QueuedState(QueuedState&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
  QueuedState& operator=(QueuedState&&) = delete;
  ~QueuedState() {
    if (state_) state_->release();
  }
  void operator()() noexcept { run_and_note(*state_); }
  // Runs a queued submit and notes how it went in this thread's RunNote.
  static void run_and_note(StateBase& state) noexcept {
    switch (state.run_queued()) {
      case RunOutcome::completed:
        break;
      case RunOutcome::failed:
        run_note().failed = true;
        break;
      case RunOutcome::not_pending:
        note_not_pending(state);
        break;
    }
  }
  // An entry whose task was not pending: cancelled while queued, or claimed
  // by a thread that waited for it. Read now, while the entry's reference
  // keeps the state alive; if that thread still runs it, how it ends is not
  // known yet, and it counts as completed.
  static void note_not_pending(const StateBase& state) noexcept {
    if (state.cancelled()) {
      run_note().cancelled = true;
    } else {
      run_note().helped = true;
      run_note().failed = state.done() && state.error() != nullptr;
    }
  }
  void abandon(const std::exception_ptr& reason) noexcept { state_->abandon_queued(reason); }

 private:
  StateBase* state_;
};

// 128: adjacent-line prefetch on x86 pulls line pairs, so 64 still false-shares.
inline constexpr std::size_t kCacheLine = 128;

class Pool final : public Helper, public std::enable_shared_from_this<Pool> {
 public:
  static std::shared_ptr<Pool> create(Options options);
  ~Pool();

  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // How a submitter waits for room in a bounded pool.
  enum class Admit {
    per_policy,  // Options::when_full decides (block, reject or caller_runs)
    try_only,    // try_submit: never waits; report "full" instead
  };

  // Enqueues (or throws ShutdownError / BrokenExecutor / QueueFull, or runs
  // the task here under WhenFull::caller_runs); wakes a worker if none searches.
  void submit(Task&& task, Priority priority = Priority::normal) {
    if (max_queued_ == 0) {
      // The unbounded fast path: no reservation.
      Gate gate(*this);
      if (!enqueue_one(std::move(task), priority)) throw std::bad_alloc();
      return;
    }
    submit_bounded(std::move(task), priority, Admit::per_policy);  // true: per_policy never reports full
  }
  // A submit()'s state (one reference for the queue): normal priority on a
  // worker goes to its deque. False only with Admit::try_only when full (the
  // reference is then released); throws as submit(), reference released.
  bool submit_state(StateBase* state, Priority priority, Admit admit);
  // All or nothing: either every task is queued or none is (and this throws).
  void submit_bulk(Task* tasks, std::size_t count);
  // On a worker of this pool: pushes a submit()'s state (one reference moves
  // in) onto the worker's own deque. False, with the reference still the
  // caller's, elsewhere, when the deque is full or when the pool no longer
  // accepts work (submit() then says why).
  bool push_local(StateBase* state) noexcept;

  void shutdown(bool wait, bool cancel_futures);
  std::size_t max_workers() const noexcept { return workers_.size(); }

  bool run_one_queued(Clock::time_point deadline) override;
  bool run_inline(StateBase& state) noexcept override;
  ExecutorStats stats() const;
  void count_expired_at_submit() noexcept { count(TaskEvent::expired); }
  bool caller_runs() const noexcept override { return options_.caller_runs; }

 private:
  static constexpr std::uint64_t kClosed = std::uint64_t{1} << 63;
  static constexpr std::uint64_t kBroken = std::uint64_t{1} << 62;
  static constexpr std::uint64_t kCountMask = kBroken - 1;

  // Scope of one submitter inside the gate. The destructor's fetch_sub is the
  // submitter's half of the parking protocol (see the header comment).
  class Gate {
   public:
    explicit Gate(Pool& pool) : pool_(pool) {
      // Acquire: if kBroken is seen, broken_error_ (written before it) is readable.
      const std::uint64_t g = pool_.gate_.fetch_add(1, std::memory_order_acquire);
      if (g & (kClosed | kBroken)) {
        pool_.gate_.fetch_sub(1, std::memory_order_relaxed);  // relaxed: nothing was enqueued
        pool_.throw_not_accepting(g);
      }
    }
    ~Gate() {
      // Acq_rel: release publishes the enqueue to a worker whose parking RMW
      // follows; acquire sees the sleep announcement of one that precedes.
      pool_.gate_.fetch_sub(1, std::memory_order_acq_rel);
      pool_.wake_if_nobody_searches();
    }
    Gate(const Gate&) = delete;
    Gate& operator=(const Gate&) = delete;

   private:
    Pool& pool_;
  };

  struct alignas(kCacheLine) Worker {
    // 1 while this worker pushes onto its own deque: shutdown() waits for it
    // to drop before it drains (see "A push onto a worker's own deque" above).
    std::atomic<std::uint32_t> pushing{0};
    std::atomic<std::uint32_t> running{0};  // 1 while it runs a task (stats' gauge); this worker writes it
    TaskCounters counters;                  // this worker's events; it alone writes them
    std::unique_ptr<LatencyHistogram> latency;  // with Options::record_latency; it alone writes it
    std::thread thread;
    std::string name;            // "<prefix>_<i>", made here so the worker allocates nothing to start
    std::vector<unsigned> cpus;  // OS indexes of the PUs this worker is bound to; empty: unpinned
  };

  using Deque = WorkDeque<StateBase>;

  // Work a worker found: a task from the queue, or a submit() from a deque
  // (then `state` owns the deque's reference).
  struct Found {
    Task task;
    StateBase* state = nullptr;
  };

  explicit Pool(Options options);
  void start_workers();
  void worker_main(std::size_t index);
  bool try_take(Task& task);
  bool take_prioritized(Task& task);
  bool take_from(moodycamel::ConcurrentQueue<Task>& queue, Task& task);
  moodycamel::ConcurrentQueue<Task>& queue_for(Priority priority) noexcept {
    return priority == Priority::high ? high_queue_ : priority == Priority::low ? low_queue_ : queue_;
  }
  enum class Room { reserved, full, run_here };
  Room reserve(std::size_t count, Admit admit);
  bool try_reserve(std::size_t count) noexcept;
  void release_room(std::size_t count) noexcept;
  void wait_for_room(std::size_t count);
  void wake_blocked_submitters() noexcept;
  // False only with Admit::try_only when there is no room.
  bool submit_bounded(Task&& task, Priority priority, Admit admit);
  [[noreturn]] void throw_queue_full();
  bool find_work(Found& found);  // own deque, the queue, then the other workers' deques
  // find_work until found, for at most `how_long`, or until the pool stops.
  bool spin_for_work(Found& found, std::chrono::nanoseconds how_long);
  StateBase* steal_any() noexcept;
  bool deques_look_nonempty() const noexcept;
  bool any_local_push_in_flight() const noexcept;  // a worker between pushing = 1 and 0
  void run_found(Found& found);
  void count(TaskEvent event) noexcept;
  void count_run(const RunNote& note) noexcept;
  template <class Run>
  RunNote noted(Run&& run);
  void count_husk(const StateBase& state) noexcept;
  void count_abandoned(const std::exception_ptr& reason) noexcept;
  void stamp(Task& task) const noexcept;
  void stamp(Task* tasks, std::size_t count) const noexcept;
  bool broken_seen() noexcept;
  void wait_for_local_pushes() noexcept;
  bool queue_holds_tasks() noexcept;
  bool enqueue_one(Task&& task, Priority priority);
  // This thread's producer token for queue_: its worker's, or its cached one; null: implicit.
  moodycamel::ProducerToken* producer_token() noexcept;
  bool enqueue_fallback(Task&& task, Priority priority);
  moodycamel::ProducerToken* fallback_token_locked(Priority priority);  // fallback_mutex_ held
  // The submitter's wake test. `order`: relaxed after a gate RMW, which
  // orders it (see the header comment); seq_cst after a local push, whose
  // only barrier is the seq_cst store of `pushing` before it.
  void wake_if_nobody_searches(std::memory_order order = std::memory_order_relaxed) noexcept {
    if (searching_.load(order) == 0 && sleepers_.load(order) != 0) wake_one();
  }
  void wake_one() noexcept;
  void wake_if_more_work() noexcept;
  void wake_all() noexcept;
  [[noreturn]] void throw_not_accepting(std::uint64_t gate) const;
  void close_and_drain_gate(std::uint64_t flag) noexcept;
  void drain_queue(const std::exception_ptr& reason) noexcept;
  void break_pool(std::exception_ptr cause) noexcept;
  void join_workers();

  Options options_;
  std::vector<Worker> workers_;
  std::unique_ptr<Deque[]> deques_;  // one per worker, same index
  moodycamel::ConcurrentQueue<Task> queue_;  // normal priority
  // High and low priority: no blocks until first used (capacity 0).
  moodycamel::ConcurrentQueue<Task> high_queue_{0};
  moodycamel::ConcurrentQueue<Task> low_queue_{0};
  const std::size_t max_queued_;  // Options::max_queued; 0: unbounded
  const std::uint64_t id_ = new_pool_id();  // keys the threads' cached producer tokens
  // Producer tokens of threads that are not workers, for queue_ (destroyed before it: ~Pool).
  const std::shared_ptr<ProducerTokens> producer_tokens_ = std::make_shared<ProducerTokens>(queue_);

  alignas(kCacheLine) std::atomic<std::uint64_t> gate_{0};
  // Tasks in high_queue_ and low_queue_ (see the header comment). Its own
  // line: every worker reads it on every pick, and gate_ is written by every
  // submit (sharing gate_'s line would bounce it between them).
  alignas(kCacheLine) std::atomic<std::uint32_t> prioritized_{0};
  alignas(kCacheLine) std::atomic<std::int64_t> queued_{0};  // bounded pools only: tasks in the queues
  std::atomic<std::uint32_t> blocked_{0};  // submitters waiting for room
  std::atomic<std::uint32_t> room_{0};     // their futex word, bumped when room appears or the pool closes
  alignas(kCacheLine) std::atomic<std::uint32_t> epoch_{0};  // futex word of parked workers
  std::atomic<std::uint32_t> sleepers_{0};                   // workers parked or about to park
  alignas(kCacheLine) std::atomic<std::uint32_t> searching_{0};  // workers spinning for work (not busy ones)
  alignas(kCacheLine) std::atomic<bool> stopping_{false};        // workers exit once the queue is empty
  std::atomic<bool> lingering_{false};                           // a worker lingers (Options::idle_linger)
  std::atomic<bool> broken_{false};                              // read by workers before each task
  std::exception_ptr broken_error_;                              // written once, before kBroken/broken_
  std::atomic<bool> broken_once_{false};
  // stats(): events on threads that are not workers (rare paths), rejections.
  TaskCounters outside_counters_;
  std::atomic<std::uint64_t> rejected_{0};
  // join_workers()'s futex word: who joins, and whether it is done.
  static constexpr std::uint32_t kNobodyJoins = 0;
  static constexpr std::uint32_t kJoining = 1;
  static constexpr std::uint32_t kJoined = 2;
  std::atomic<std::uint32_t> join_state_{kNobodyJoins};

  // Only after the queue failed to allocate (see enqueue_fallback): never on the hot path.
  std::mutex fallback_mutex_;
  std::unique_ptr<moodycamel::ProducerToken> fallback_producer_[3];  // per Priority
};

}  // namespace tpx::detail
