// fuzz/executor_ops_fuzzer.cpp — libFuzzer target: the input is a program of
// operations on one executor with 1-4 workers; invariants are checked after
// every step and at the end. Built by fuzz/run.sh (clang, -fsanitize=fuzzer,
// address,undefined); fuzz/replay_main.cpp replays inputs without libFuzzer.
//
// Byte 0, the executor's options:
//   bits 0-1  workers - 1 (1-4 workers)
//   bits 2-3  initializer delay when there is an initializer: 0, 50, 200, 1000 us
//   bit  4    idle_spin 20 us and idle_linger 60 us (else both 0)
//   bit  5    Options::caller_runs
//   bits 6-7  initializer: 0 none; 1 one that returns (after the delay);
//             2 the first worker's throws (with one worker: every worker's);
//             3 every worker's throws.
//   Once an initializer threw, a future may fail with tpx::BrokenExecutor (its
//   task then never ran) and submit/post/map may throw it; when every worker's
//   initializer throws, no task body, post or map call may run on a worker
//   (with caller_runs, a thread outside the pool may still claim and run one:
//   it does not consult the pool, as Options::caller_runs documents; under
//   WhenFull::caller_runs, a submitter may run its own task on a full pool).
// Byte 1, only when it is 0xF0-0xFF (else it is the first op and the pool is
// unbounded), bounded admission:
//   bits 0-1  Options::max_queued - 1 (1-4)
//   bits 2-3  Options::when_full: 0 block, 1 reject, 2 caller_runs, 3 block
// Then one op per byte (+ operand bytes, read as needed; 0 past the end).
// An op byte b < 0xC0 is one of the original ops, b % 12:
//   0 submit, 1 submit-throwing, 2 post, 3 cancel [k], 4 result [k] (short
//   timeout), 5 as_completed (short timeout), 6 wait [first|all] (short
//   timeout), 7 map [chunksize] [n], 8 add_done_callback [k], 9 nested
//   submit-and-wait, 10/11 shutdown [bit0 wait, bit1 cancel_futures].
// An op byte 0xC0 <= b < 0xE0 is a helping-path op, 12 + (b - 0xC0) % 6 (so
// were 0xE0-0xEF until ops 23-26 took them; no seed or saved input used one):
//   12 handoff [a]: a task submits a child (started flag, sleeps 100-800 us per
//      a bits 0-2, finished flag) and hands its future to the fuzzer's thread,
//      which calls result() on it (with caller_runs it claims and runs the child
//      itself); the task waits (a bit 3: up to 2 ms) for the child to start,
//      then calls child.result(): a value before the child finished is a bug.
//   13 nested tree [a]: a task submits children that submit children (depth
//      1 + a%3 below the root, a bit 2: two children per node), each waiting
//      on its children by a bits 3-4: result(), result(timeout), tpx::wait,
//      tpx::as_completed; a parent must see every child it got a value from
//      finished.
//   14 many waiters [a] [b] [k]: 2 (a bit 0: 3) std::threads wait on one
//      future at once, thread i by b bits 2i..2i+1: result(hang guard),
//      result(short), wait(all, hang guard), as_completed(hang guard); the
//      future is a new task sleeping (a bits 2-4) * 100 us, or (a bit 7) an
//      existing task picked by k. The threads are joined in the op.
//   15 timed waits from a worker [a] [k]: a task calls result(short) on a
//      Promise's future no one sets until the task is done (must time out), on
//      a child sleeping (a bits 0-2) * 100 us, and (a bit 3) on an existing
//      task picked by k: a timeout or a value of a finished task.
//   16 shutdown racing nested submits [a] [b]: a task submits 1 + a%8 children
//      (a bit 3: yielding between submits; a bit 4: then waits on the last)
//      while a std::thread calls shutdown(b bit0 wait, b bit1 cancel_futures)
//      once the task started; each child runs exactly once, or is cancelled,
//      or fails with BrokenExecutor, or its submit threw ShutdownError;
//      shutdown(wait) must return within the hang guard.
//   17 submit a sleeper [a]: a tracked task sleeping (a % 8) * 100 us.
// An op byte b >= 0xF0 is a bounds/priority/deadline/bulk op, 18 + (b - 0xF0) % 5:
//   18 try_submit [a]: a tracked task sleeping ((a >> 1) & 7) * 100 us, from
//      the fuzzer's thread (nullopt only when bounded, never after shutdown;
//      counted) or (a bit 0)
//      from inside a task (a worker of the pool is never refused), which then
//      waits on it.
//   19 TaskOptions [a] [d]: priority a % 3; deadline (a >> 2) & 3: none,
//      past (d % 4: 0-1 a us ago, 2 the clock's epoch, 3 time_point::min()),
//      near (now + 5 us << (d % 11): 5 us - 5 ms), far (now + 1 h);
//      a bit 4: post instead of submit; a bit 5: from inside a task (which
//      waits on what it submitted). A past deadline: the future is done at
//      once, fails with DeadlineExceeded, its body never runs; a near one may
//      expire (never ran) or run; none or far: never expires. A post runs
//      once, or reports DeadlineExceeded, or is dropped (cancel_futures/broken).
//   20 bulk [a] [b] [c]: n = {0,1,2,3,5,8,17,64}[a & 7], grain =
//      {0,1,2,3,4,7,16,100}[b & 7]; a bit 3: a range body f(begin, end)
//      (else an index body f(i)); a bit 4: index c % n throws; a bit 5: from
//      inside a task; a bit 6: bulk_async (a tracked Future<void>); a bit 7:
//      the chunk holding index 0 runs a nested bulk(3) on the same pool.
//      Every index runs exactly once, or (throwing) at most once with the
//      thrower's exception rethrown; refused (ShutdownError, BrokenExecutor,
//      QueueFull): nothing ran; a range chunk holds at most grain items.
//   21 saturate [a] [d] [e]: blocks every worker with a task spinning on a
//      flag (try_submit, retried), then, while nothing can dequeue: (a bit 1;
//      not under bounded WhenFull::block) a task with priority (a >> 6) % 3
//      and a deadline 5 us << (d % 11) ahead is queued, and must fail with
//      DeadlineExceeded, never run, as the workers are freed only after it;
//      try_submit fills a bounded pool (at most max_queued accepted, then
//      nullopt); one submission of kind (a >> 2) % 6 (submit, post,
//      submit(high), bulk(2), map(2), bulk_async(2)) on the full pool must
//      follow when_full: QueueFull and nothing ran (reject), ran on this
//      thread before returning (caller_runs), or returned once another thread
//      freed the workers (block); (a bit 0) a blocked worker submits past the
//      bound (try_submit, post, high-priority submit, bulk): never QueueFull,
//      never nullopt. e & 3 == 2 (3): shutdown(wait = false[, cancel_futures])
//      before the submission (under block: by another thread while it waits
//      for room): then ShutdownError and nothing ran, whatever when_full
//      says, and try_submit throws ShutdownError (never nullopt); what was
//      queued runs, or is cancelled (cancel_futures) and never ran.
//      Skipped after shutdown or when an initializer may throw.
//   22 private pool [a] [d] [e]: a 1-worker pool of its own (threads
//      "prio_0"), its worker blocked while tasks are queued, so one thread
//      picks, in a known order. a bit 0 clear: 1 + (a >> 1) % 8 high tasks
//      with one low and one normal among them (positions from d), (a bit 4)
//      a task with a deadline an hour ahead that must run, (a bit 5) a task
//      with priority (a >> 6) % 3 and a deadline 5 us << (d % 8) ahead that
//      must expire: the low task starts after at most 3 higher-priority ones,
//      the normal one after at most 3 high ones (README, "Priority and
//      deadline"). a bit 0 set: the pool is bounded (max_queued 1 + d % 4,
//      when_full (d >> 2) % 3) and op 21 runs on it (kind (a >> 1) % 6, a bit
//      4 worker probe, a bit 5 deadline probe 5 us << ((d >> 4) % 11) ahead,
//      e as op 21's) with exact counts: exactly max_queued try_submits fit.
// An op byte 0xE0 <= b < 0xF0 is a coroutine op, 23 + (b - 0xE0) % 4. A
// coroutine (returning tpx::Future<int>) runs a program [p] [steps]: n = 1 +
// (p & 7) steps, each a byte s and, for kinds 0, 2, 4 and 7, an operand o;
// p bit 3: at its end it rethrows the first exception a step caught (its
// future then holds exactly that exception), else it returns its own value.
// Step kind s & 7:
//   0 co_await a tracked task's future (o picks it; pending or done, failing,
//     cancelled, expired), else as kind 1;
//   1 co_await a new child (s bit 3: it throws Boom; sleeps (s >> 4) & 7 *
//     100 us);
//   2 co_await ex.schedule(TaskOptions from o as op 19's from (o, o >> 4)):
//     each priority; no deadline, past, near (5 us - 5 ms), far;
//   3 co_await a child sleeping (s >> 4) & 7 * 100 us that was cancel()ed
//     right after submit (s bit 3: after a yield): CancelledError, without
//     suspending, iff cancel() won;
//   4 co_await (as an rvalue) an inner coroutine that does co_await
//     ex.schedule(options from o) and returns a value or rethrows;
//   5 co_await ex.schedule(), then co_await (as an rvalue) a new child:
//     the one-worker chain that a blocking wait would deadlock;
//   6 co_await a bulk_async over 1 + (s >> 3) % 8 indexes (s bit 6: range
//     body), a Future<void>;
//   7 co_await an earlier coroutine's future (o picks it; s bit 3: cancel()
//     on it first, which must return false, done or not), else as kind 2.
// Checked at each step: co_await yields exactly what the future holds (its
// value in the future's state, not a copy, or the very exception_ptr it
// holds; CancelledError iff it was cancelled) and only once it is done; a
// coroutine that moved to another thread at a co_await of a task that ran is
// on the thread that ran it. After co_await ex.schedule() returned normally
// the coroutine is on a worker of that pool (never of one whose every
// initializer threw), or, under WhenFull::caller_runs on a full pool, still
// on the awaiting thread (outside the pool); it threw only as allowed:
// DeadlineExceeded only with a deadline (a past one: always, at once, on the
// awaiting thread; later: on a worker), ShutdownError only once shutdown()
// was called (at once on the awaiting thread, or, when shutdown(
// cancel_futures) dropped it, on the thread inside that call), BrokenExecutor
// only when an initializer may throw (at once, or on a worker), QueueFull
// only under WhenFull::reject, outside the pool, at once. Once a coroutine
// saw its pool refuse work (ShutdownError, BrokenExecutor), every later
// schedule() and submit of it is refused too.
//   23 coroutine from the fuzzer's thread [p] [steps]: p bit 4: the fuzzer's
//      thread then waits for its future (hang guard). Started after a
//      shutdown(), every schedule() and submit must be refused.
//   24 coroutine from a task [p] [steps]: a task starts it on a worker and
//      returns without waiting (p bit 4: it waits result(short) first,
//      helping); p bit 5 (while heavy ops remain): the task and the
//      coroutine's schedule()s are on a one-worker pool of its own (threads
//      "coro_0"; children too), which the fuzzer's thread keeps until the
//      coroutine's future is done (hang guard): awaiting a child queued
//      behind the running task would deadlock a blocking wait there.
//   25 schedule() racing shutdown [r] [o] [p] [steps]: 1 + r % 4 coroutines
//      run the program, started from the fuzzer's thread or from tasks by
//      (r >> 2) & 3 (all here, all in tasks, alternating, alternating from a
//      task), while a std::thread calls shutdown(o bit 0 wait, o bit 1
//      cancel_futures): at once, or (r bit 4) once the fuzzer's thread
//      started them all (each ran to its first suspension), and/or (r bit 6)
//      once a step of one is done, each up to 2 ms;
//      r bit 5: then one more from the fuzzer's thread, every schedule() and
//      submit of which must be refused. shutdown(wait) returned: every
//      coroutine so far is done.
//   26 join [a]: waits for every coroutine's future so far within the hang
//      guard (a bit 0: tpx::wait(all) first; a bit 2: as_completed first;
//      a bit 1: cancel() on each, before and after, must return false) and
//      checks its outcome.
// Every coroutine's future is done after the executor is gone, with its value
// or the exception it rethrew (so every frame has ended: ASAN's leak check
// sees no coroutine frame left).
// Every wait is bounded: kHang turns a hang into an abort with a message, and
// a watchdog aborts an input that runs longer than kInputHang. The thread
// spawning ops (12-16, 21, 22, 25, and 24 on its own pool) count against
// kMaxHeavyOps per input.
// TPX_FUZZ_STATS=1 in the environment prints, at exit, how often ops 18-26
// reached what they check (nullopt, QueueFull, tasks run by their submitter,
// expired deadlines, bulks, saturations with strict checks, priority checks;
// coroutines: where schedule() resumed them, what it threw, awaits that moved
// threads).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <pthread.h>

#include <tpx/tpx.hpp>

namespace {

[[noreturn]] void fail(const char* what, long a = 0, long b = 0) {
  std::fprintf(stderr, "executor_ops_fuzzer: invariant violated: %s (%ld, %ld)\n", what, a, b);
  std::abort();
}
#define FUZZ_CHECK(cond, ...) \
  do {                        \
    if (!(cond)) fail(#cond __VA_OPT__(, ) __VA_ARGS__); \
  } while (0)

struct Boom : std::runtime_error {
  Boom() : std::runtime_error("boom") {}
};

using Clock = std::chrono::steady_clock;
constexpr auto kShort = std::chrono::microseconds(200);
constexpr auto kHang = std::chrono::seconds(5);        // one wait
constexpr auto kInputHang = std::chrono::seconds(25);  // one whole input (the watchdog)
constexpr std::size_t kMaxOps = 256;
constexpr int kMaxHeavyOps = 24;

// The executor's configuration for the current input (written before the
// executor starts its workers, so every task reads it after).
struct Config {
  bool caller_runs = false;
  int init_mode = 0;
  bool may_break = false;  // an initializer may throw
  bool all_throw = false;  // every worker's initializer throws
  std::optional<std::size_t> max_queued;  // nullopt: unbounded
  tpx::WhenFull when_full = tpx::WhenFull::block;
  bool bounded() const { return max_queued.has_value(); }
  // A full pool may run a task on its submitter (a thread outside the pool).
  bool submitter_runs() const { return bounded() && when_full == tpx::WhenFull::caller_runs; }
  // A submitter outside the pool may get QueueFull.
  bool rejects() const { return bounded() && when_full == tpx::WhenFull::reject; }
};
Config g_cfg;

// How often ops 18-26 reached what they check, over the whole run (TPX_FUZZ_STATS=1).
struct Stats {
  std::atomic<long> nullopt{0};         // try_submit found a bounded pool full
  std::atomic<long> queue_full{0};      // QueueFull thrown (WhenFull::reject)
  std::atomic<long> submitter_ran{0};   // a task body ran on its submitter (WhenFull::caller_runs)
  std::atomic<long> past_deadline{0};   // futures failed at once (deadline already past)
  std::atomic<long> expired{0};         // futures failed with DeadlineExceeded after queueing
  std::atomic<long> post_expired{0};    // posts that reported DeadlineExceeded
  std::atomic<long> bulks{0};           // bulk/bulk_async calls that ran their indexes
  std::atomic<long> bulk_threw{0};      // ... that rethrew their body's exception
  std::atomic<long> saturated{0};       // op 21/22: strict full-pool checks made
  std::atomic<long> full_probes{0};     // ... a submission on a full pool checked against when_full
  std::atomic<long> worker_probes{0};   // ... a blocked worker submitted past the bound
  std::atomic<long> queued_expired{0};  // ... a task queued behind busy workers expired
  std::atomic<long> prio_checks{0};     // op 22: pick order checked
  // Ops 23-26, coroutines.
  std::atomic<long> coros{0};            // coroutines started
  std::atomic<long> coro_failed{0};      // ... whose future holds the exception they rethrew
  std::atomic<long> coro_own_pool{0};    // ... on op 24's one-worker pool
  std::atomic<long> sched_worker{0};     // co_await schedule() returned on a worker
  std::atomic<long> sched_here{0};       // ... on the awaiting thread (full pool, WhenFull::caller_runs)
  std::atomic<long> sched_shut{0};       // ... threw ShutdownError at once
  std::atomic<long> sched_dropped{0};    // ... threw ShutdownError, dropped by shutdown(cancel_futures)
  std::atomic<long> sched_broken{0};     // ... threw BrokenExecutor
  std::atomic<long> sched_past{0};       // ... threw DeadlineExceeded at once (past deadline)
  std::atomic<long> sched_expired{0};    // ... threw DeadlineExceeded on a worker (the deadline passed while queued)
  std::atomic<long> sched_full{0};       // ... threw QueueFull
  std::atomic<long> await_moved{0};      // co_await of a future resumed on another thread
  std::atomic<long> await_cancelled{0};  // co_await threw CancelledError
  std::atomic<long> await_failed{0};     // co_await rethrew the future's exception (not CancelledError)
};
Stats g_stats;

// DeadlineExceeded reports from posts (the error reporter), this input.
std::atomic<int> g_post_deadline_reports{0};

// Per task: how often its body started, whether it got to its end, its callbacks.
struct Counters {
  std::atomic<int> ran{0};
  std::atomic<int> finished{0};
  std::atomic<int> callbacks{0};
  // The thread that ran the body (written before the future completes, so
  // read after it: relaxed is enough). Its future completes on that thread.
  std::atomic<std::thread::id> runner{};
};

// The calling thread, read so that no compiler reuses an earlier read across
// a co_await (after which the coroutine may be on another thread):
// pthread_self() is declared const, and clang 14 merges two calls to it on
// either side of a suspension point (std::this_thread::get_id() after
// co_await ex.schedule() then names the thread before it). Out of line, with
// a side effect the optimizer must keep, it is called anew each time. The
// coroutines below read the thread, and thread_locals, only through such
// out-of-line functions (on_worker_of, check_schedule, check_awaited,
// submit_child) for the same reason.
[[gnu::noinline]] std::thread::id current_thread() {
  asm volatile("" ::: "memory");
  return std::this_thread::get_id();
}

// True on a worker of the pool whose threads are named "<prefix><i>" (the
// prefix includes the '_'). The index must be all digits: the replay binary's
// own main thread is named "tpx_fuzz_replay". Out of line: see current_thread.
[[gnu::noinline]] bool on_worker_of(const char* prefix) {
  asm volatile("" ::: "memory");
  char name[16] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  const std::size_t n = std::strlen(prefix);
  if (std::strncmp(name, prefix, n) != 0 || name[n] == '\0') return false;
  for (const char* c = name + n; *c != '\0'; ++c)
    if (*c < '0' || *c > '9') return false;
  return true;
}
// True on one of the input's pool's workers (named "tpx_<i>": the default
// prefix; op 22's private pool is "prio_<i>").
bool on_worker() { return on_worker_of("tpx_"); }

// Per-policy submissions (submit, post, map, bulk) this thread is inside: a
// task body on a thread outside the pool while one is open may be the
// submitter running its own task (WhenFull::caller_runs). try_submit never
// runs its task here: it closes the window (NoSubmitterRuns).
thread_local int t_submitting = 0;
struct Submitting {
  Submitting() { ++t_submitting; }
  ~Submitting() { --t_submitting; }
  Submitting(const Submitting&) = delete;
  Submitting& operator=(const Submitting&) = delete;
};
struct NoSubmitterRuns {
  int saved = std::exchange(t_submitting, 0);
  NoSubmitterRuns() = default;
  ~NoSubmitterRuns() { t_submitting = saved; }
  NoSubmitterRuns(const NoSubmitterRuns&) = delete;
  NoSubmitterRuns& operator=(const NoSubmitterRuns&) = delete;
};

// Where a task body may run: on a worker; outside the pool only on a thread
// that claimed it (Options::caller_runs: result()/wait/map iteration; posts
// cannot be claimed) or on its submitter, inside the submission, when a full
// pool says so (WhenFull::caller_runs).
void check_where(long what, bool claimable) {
  if (on_worker()) return;
  const bool by_submitter = g_cfg.submitter_runs() && t_submitting > 0;
  FUZZ_CHECK(by_submitter || (claimable && g_cfg.caller_runs), what);  // "a task ran outside the pool"
  if (by_submitter) g_stats.submitter_ran.fetch_add(1, std::memory_order_relaxed);
}

// A task body may run on a pool whose every initializer threw only on a
// thread outside the pool: one that claimed it through caller_runs (it does
// not consult the pool, documented at Options::caller_runs), or a submitter
// that a full pool let run its task (WhenFull::caller_runs: the pool was not
// yet broken when it looked).
bool may_run_now() {
  return !g_cfg.all_throw || (!on_worker() && (g_cfg.caller_runs || g_cfg.submitter_runs()));
}
// A post cannot be claimed: only its submitter may run it outside the pool.
bool may_post_run_now() { return !g_cfg.all_throw || (!on_worker() && g_cfg.submitter_runs()); }

// The start of every task body: it runs once, where it may (check_where), and
// never on a worker of a pool whose every initializer threw.
void enter(Counters& c, long what) {
  c.runner.store(std::this_thread::get_id(), std::memory_order_relaxed);  // relaxed: see Counters::runner
  check_where(what, true);
  FUZZ_CHECK(may_run_now(), what);  // "a task ran although every worker's initializer threw"
  FUZZ_CHECK(c.ran.fetch_add(1) == 0, what);
}

// The input's pool, and whether shutdown() was called on it (set before the
// call, so a thread that got ShutdownError from it sees them set). A thread
// inside shutdown(cancel_futures) of it has t_cancelling set: a coroutine that
// shutdown dropped is resumed there.
tpx::ThreadPoolExecutor* g_input_ex = nullptr;
std::atomic<bool> g_shutdown_called{false};
std::atomic<bool> g_cancel_called{false};
thread_local bool t_cancelling = false;

// Every shutdown() of the fuzzer goes through here (ops 10/11, 16, 21, 22, 25).
void shut_pool(tpx::ThreadPoolExecutor& ex, bool wait, bool cancel_futures) {
  if (&ex != g_input_ex) return ex.shutdown(wait, cancel_futures);
  g_shutdown_called.store(true);
  if (cancel_futures) g_cancel_called.store(true);
  const bool outer = std::exchange(t_cancelling, t_cancelling || cancel_futures);
  ex.shutdown(wait, cancel_futures);
  t_cancelling = outer;
}

void nap_us(int us) {
  if (us > 0) std::this_thread::sleep_for(std::chrono::microseconds(us));
}

// Waits (yielding) until pred() or `limit`; false on the limit.
template <class Pred>
bool await_for(Pred pred, Clock::duration limit) {
  const auto until = Clock::now() + limit;
  while (!pred()) {
    if (Clock::now() > until) return false;
    std::this_thread::yield();
  }
  return true;
}
template <class Pred>
void await_or_abort(Pred pred, const char* what) {
  if (!await_for(pred, kHang)) fail(what, static_cast<long>(std::chrono::seconds(kHang).count()));
}

// A watchdog for the whole input: a hang anywhere (a shutdown, a destructor)
// becomes an abort with a message instead of libFuzzer's timeout.
std::atomic<std::int64_t> g_deadline_ns{0};
std::atomic<int> g_current_op{-1};
std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}
void start_watchdog() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::thread([] {
      for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const std::int64_t d = g_deadline_ns.load();
        if (d != 0 && now_ns() > d) {
          std::fprintf(stderr, "executor_ops_fuzzer: hang: the input ran past %lld s (last op code %d)\n",
                       static_cast<long long>(std::chrono::seconds(kInputHang).count()), g_current_op.load());
          std::abort();
        }
      }
    }).detach();
  });
}

// A task's deadline (TaskOptions::deadline), for the outcome checks.
enum Dl : int {
  kNoExpiry = 0,  // none, or an hour ahead: never DeadlineExceeded
  kMayExpire,     // a few us to ms ahead: ran once, or DeadlineExceeded and never ran
  kExpired,       // already past at submit: DeadlineExceeded at once, never ran
};

struct Tracked {
  tpx::Future<int> future;
  int expect = 0;           // the value it returns when it runs
  bool throws = false;
  int dl = kNoExpiry;
  bool cancel_won = false;  // some cancel() returned true
  bool cancel_lost = false; // some cancel() returned false
  bool had_callback = false;
  std::shared_ptr<Counters> c = std::make_shared<Counters>();
};

// What a thread needs to check one future's outcome.
struct View {
  tpx::Future<int> f;
  int expect = 0;
  bool throws = false;
  std::shared_ptr<Counters> c;
  int dl = kNoExpiry;
};
View view_of(const Tracked& t) { return View{t.future, t.expect, t.throws, t.c, t.dl}; }

// Checks an outcome of waiting on v.f: a value (or the task's exception) only
// once its body finished; a timeout only when allowed; BrokenExecutor only
// when an initializer may have thrown, and then the task never ran;
// DeadlineExceeded only with a deadline, and then the task never ran; a
// deadline already past at submit gives nothing else.
template <class Get>
void check_outcome(const View& v, bool timeout_ok, Get get) {
  try {
    const int x = get();
    FUZZ_CHECK(v.c->finished.load() == 1, x, v.expect);  // "result() returned before the task finished"
    FUZZ_CHECK(x == v.expect && !v.throws, x, v.expect);
    FUZZ_CHECK(v.f.done());
    FUZZ_CHECK(v.dl != kExpired, v.expect);  // "a task whose deadline was past at submit ran"
  } catch (const tpx::DeadlineExceeded&) {
    FUZZ_CHECK(v.dl != kNoExpiry, v.expect);     // "DeadlineExceeded without a deadline"
    FUZZ_CHECK(v.c->ran.load() == 0, v.expect);  // "a task that expired ran"
    FUZZ_CHECK(v.f.done() && !v.f.cancelled(), v.expect);
  } catch (const tpx::TimeoutError&) {
    FUZZ_CHECK(timeout_ok && v.dl != kExpired, v.expect);
  } catch (const tpx::CancelledError&) {
    FUZZ_CHECK(v.f.cancelled() && v.dl != kExpired, v.expect);
    FUZZ_CHECK(v.c->ran.load() == 0, v.expect);
  } catch (const tpx::BrokenExecutor&) {
    FUZZ_CHECK(g_cfg.may_break && v.dl != kExpired, v.expect);
    FUZZ_CHECK(v.c->ran.load() == 0, v.expect);
  } catch (const Boom&) {
    FUZZ_CHECK(v.throws && v.dl != kExpired, v.expect);
    FUZZ_CHECK(v.c->finished.load() == 1, v.expect);  // "result() rethrew before the task finished"
  }
}
void check_result(const View& v, std::chrono::nanoseconds timeout, bool timeout_ok) {
  check_outcome(v, timeout_ok, [&] { return v.f.result(timeout); });
}

// QueueFull: only under WhenFull::reject, and never for a worker of the pool
// ("never blocks and is never rejected", Options::max_queued).
void check_queue_full(long what) {
  FUZZ_CHECK(g_cfg.rejects(), what);  // "QueueFull without WhenFull::reject"
  FUZZ_CHECK(!on_worker(), what);     // "a worker of the pool got QueueFull"
  g_stats.queue_full.fetch_add(1, std::memory_order_relaxed);
}

// A per-policy submission (submit, post, map) that may legitimately be
// refused: ShutdownError after shutdown(), BrokenExecutor once an initializer
// threw, QueueFull per check_queue_full. True when it was accepted (queued,
// or run by this thread under WhenFull::caller_runs).
template <class Submit>
bool accepted(Submit submit, bool shut_known) {
  try {
    Submitting window;
    submit();
    return true;
  } catch (const tpx::ShutdownError&) {
    FUZZ_CHECK(shut_known);
  } catch (const tpx::BrokenExecutor&) {
    FUZZ_CHECK(g_cfg.may_break);
  } catch (const tpx::QueueFull&) {
    check_queue_full(0);
  }
  return false;
}

class Reader {
 public:
  Reader(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
  bool more() const { return i_ < n_; }
  std::uint8_t peek() const { return i_ < n_ ? d_[i_] : 0; }
  std::uint8_t next() { return i_ < n_ ? d_[i_++] : 0; }

 private:
  const std::uint8_t* d_;
  std::size_t n_;
  std::size_t i_ = 0;
};

// Op 13: one node of a tree of tasks; node i's children are 2i+1 and 2i+2.
struct Tree {
  std::shared_ptr<Counters> nodes[15];
  int base = 0;    // node i returns base + i
  int depth = 1;   // levels below the root
  bool two = false;
  int how = 0;     // how a parent waits: result(), result(timeout), wait, as_completed
};

int run_node(tpx::ThreadPoolExecutor& ex, const std::shared_ptr<Tree>& tr, int i, int level) {
  Counters& me = *tr->nodes[i];
  enter(me, tr->base + i);
  if (level < tr->depth) {
    std::vector<View> kids;
    for (int j = 2 * i + 1; j <= 2 * i + (tr->two ? 2 : 1); ++j) {
      tpx::Future<int> f;
      if (accepted([&] { f = ex.submit([&ex, tr, j, level] { return run_node(ex, tr, j, level + 1); }); }, true))
        kids.push_back(View{f, tr->base + j, false, tr->nodes[j]});
    }
    std::vector<tpx::Future<int>> fs;
    for (auto& k : kids) fs.push_back(k.f);
    switch (tr->how) {
      case 0:
        for (auto& k : kids) check_outcome(k, false, [&] { return k.f.result(); });
        break;
      case 1:
        for (auto& k : kids) check_result(k, kHang, false);
        break;
      case 2: {
        auto r = tpx::wait(fs, kHang, tpx::ReturnWhen::all_completed);
        FUZZ_CHECK(r.not_done.empty(), static_cast<long>(r.not_done.size()));  // "wait(all) ran past the hang guard"
        FUZZ_CHECK(r.done.size() == fs.size());
        for (auto& k : kids) check_result(k, std::chrono::nanoseconds(0), false);
        break;
      }
      default: {
        std::size_t n = 0;
        try {
          for (auto f : tpx::as_completed(fs, kHang)) {
            FUZZ_CHECK(f.done());
            for (auto& k : kids)
              if (k.f == f) check_result(k, std::chrono::nanoseconds(0), false);
            ++n;
          }
        } catch (const tpx::TimeoutError&) {
          fail("as_completed ran past the hang guard in a nested task", static_cast<long>(n));
        }
        FUZZ_CHECK(n == kids.size(), static_cast<long>(n), static_cast<long>(kids.size()));
        break;
      }
    }
  }
  me.finished.store(1);
  return tr->base + i;
}

// Op 12: the child's hand-off from the task that submitted it to the fuzzer's thread.
struct Handoff {
  std::atomic<int> state{0};  // 0 not yet, 1 child submitted (child is set), 2 its submit was refused
  tpx::Future<int> child;
  std::shared_ptr<Counters> cc = std::make_shared<Counters>();
  std::atomic<int> started{0};
};

// Op 16: the children a task submits while shutdown() runs.
struct Race {
  int n = 0;
  tpx::Future<int> kids[8];
  std::shared_ptr<Counters> kc[8];
  bool submitted[8] = {};
  std::atomic<int> started{0};
};

// Op 19: TaskOptions from operand bytes; `dl` says what the deadline allows.
tpx::TaskOptions task_options(std::uint8_t a, std::uint8_t d, int& dl) {
  tpx::TaskOptions o;
  o.priority = static_cast<tpx::Priority>(a % 3);
  dl = kNoExpiry;
  switch ((a >> 2) & 3) {
    case 1:  // already past: a microsecond ago, the clock's epoch, or the earliest time point
      o.deadline = d % 4 == 3   ? Clock::time_point::min()
                   : d % 4 == 2 ? Clock::time_point{}
                                : Clock::now() - std::chrono::microseconds(1);
      dl = kExpired;
      break;
    case 2:  // near: 5 us - 5 ms ahead
      o.deadline = Clock::now() + std::chrono::microseconds(5 << (d % 11));
      dl = kMayExpire;
      break;
    case 3:  // far: no input lives that long (the watchdog stops it first)
      o.deadline = Clock::now() + std::chrono::hours(1);
      break;
    default:
      break;
  }
  return o;
}

// Op 20: a bulk's indexes and what its body does.
struct BulkHits {
  explicit BulkHits(std::size_t count) : n(count), hits(new std::atomic<int>[count == 0 ? 1 : count]()) {}
  std::size_t n;
  std::size_t grain = 0;
  long throw_at = -1;   // the index whose body throws Boom; -1: none
  bool nested = false;  // the body at index 0 runs a nested bulk on the same pool
  std::unique_ptr<std::atomic<int>[]> hits;
};

// A bulk(3) on the same pool from inside a bulk body: runs each index once,
// or is refused with nothing run.
void nested_bulk(tpx::ThreadPoolExecutor& ex) {
  std::atomic<int> inner[3] = {};
  try {
    ex.bulk(3, [&inner](std::size_t i) { FUZZ_CHECK(inner[i].fetch_add(1) == 0, static_cast<long>(i)); });
    for (auto& x : inner) FUZZ_CHECK(x.load() == 1, x.load());  // "a nested bulk skipped an index"
    return;
  } catch (const tpx::ShutdownError&) {
    // the outer bulk raced a shutdown: allowed
  } catch (const tpx::BrokenExecutor&) {
    FUZZ_CHECK(g_cfg.may_break);
  } catch (const tpx::QueueFull&) {
    check_queue_full(-1);
  }
  for (auto& x : inner) FUZZ_CHECK(x.load() == 0, x.load());  // "a refused bulk ran something"
}

void bulk_chunk(tpx::ThreadPoolExecutor& ex, BulkHits& h, std::size_t b, std::size_t e, bool range) {
  FUZZ_CHECK(b < e && e <= h.n, static_cast<long>(b), static_cast<long>(e));
  if (range) FUZZ_CHECK(h.grain == 0 || e - b <= h.grain, static_cast<long>(e - b), static_cast<long>(h.grain));
  // Every worker's initializer threw: only bulk()'s caller, or a submitter
  // running the runners itself (WhenFull::caller_runs), may run a chunk.
  FUZZ_CHECK(!g_cfg.all_throw || !on_worker(), static_cast<long>(b));
  for (std::size_t i = b; i < e; ++i) {
    FUZZ_CHECK(h.hits[i].fetch_add(1) == 0, static_cast<long>(i));  // "a bulk ran an index twice"
    if (h.nested && i == 0) nested_bulk(ex);
    if (static_cast<long>(i) == h.throw_at) throw Boom();
  }
}

enum class BulkEnd { ran, threw, refused, dropped };

// The indexes after a bulk ended: all once; or (its body threw) the thrower
// once and none twice; refused: none; dropped (CancelledError by
// shutdown(cancel_futures), BrokenExecutor): none twice.
void check_bulk_end(const BulkHits& h, BulkEnd end) {
  const auto e = static_cast<long>(end);
  switch (end) {
    case BulkEnd::ran:
      FUZZ_CHECK(h.throw_at < 0, h.throw_at);  // "a bulk whose body threw returned normally"
      for (std::size_t i = 0; i < h.n; ++i) FUZZ_CHECK(h.hits[i].load() == 1, static_cast<long>(i), e);
      g_stats.bulks.fetch_add(1, std::memory_order_relaxed);
      break;
    case BulkEnd::threw:
      FUZZ_CHECK(h.throw_at >= 0, e);  // "a bulk rethrew an exception its body did not throw"
      FUZZ_CHECK(h.hits[h.throw_at].load() == 1, h.throw_at);
      for (std::size_t i = 0; i < h.n; ++i) FUZZ_CHECK(h.hits[i].load() <= 1, static_cast<long>(i), e);
      g_stats.bulk_threw.fetch_add(1, std::memory_order_relaxed);
      break;
    case BulkEnd::refused:
      for (std::size_t i = 0; i < h.n; ++i) FUZZ_CHECK(h.hits[i].load() == 0, static_cast<long>(i), e);
      break;
    case BulkEnd::dropped:
      for (std::size_t i = 0; i < h.n; ++i) FUZZ_CHECK(h.hits[i].load() <= 1, static_cast<long>(i), e);
      break;
  }
}

// Runs bulk (or starts bulk_async: its Future, unless refused) over h.
std::optional<tpx::Future<void>> run_bulk(tpx::ThreadPoolExecutor& ex, const std::shared_ptr<BulkHits>& h, bool range,
                                          bool async, bool shut_known) {
  const tpx::BulkOptions opts{h->grain};
  try {
    if (async) {
      // Decay-copied into the bulk: the body owns a reference to h.
      if (range)
        return ex.bulk_async(h->n, [&ex, h](std::size_t b, std::size_t e) { bulk_chunk(ex, *h, b, e, true); }, opts);
      return ex.bulk_async(h->n, [&ex, h](std::size_t i) { bulk_chunk(ex, *h, i, i + 1, false); }, opts);
    }
    BulkHits& hr = *h;
    if (range)
      ex.bulk(hr.n, [&ex, &hr](std::size_t b, std::size_t e) { bulk_chunk(ex, hr, b, e, true); }, opts);
    else
      ex.bulk(hr.n, [&ex, &hr](std::size_t i) { bulk_chunk(ex, hr, i, i + 1, false); }, opts);
    check_bulk_end(hr, BulkEnd::ran);
    return std::nullopt;
  } catch (const Boom&) {
    FUZZ_CHECK(!async);  // bulk_async reports the body's exception through its Future
    check_bulk_end(*h, BulkEnd::threw);
    return std::nullopt;
  } catch (const tpx::ShutdownError&) {
    FUZZ_CHECK(shut_known);
  } catch (const tpx::BrokenExecutor&) {
    FUZZ_CHECK(g_cfg.may_break);
  } catch (const tpx::QueueFull&) {
    check_queue_full(-2);
  }
  FUZZ_CHECK(h->n != 0);  // "bulk(0) was refused": n == 0 returns before looking at the pool
  check_bulk_end(*h, BulkEnd::refused);
  return std::nullopt;
}

// A bulk_async's Future: done within `timeout`, with what its indexes say.
void check_bulk_future(const tpx::Future<void>& f, const BulkHits& h, std::chrono::nanoseconds timeout,
                       bool dropped_ok) {
  try {
    f.result(timeout);
    check_bulk_end(h, BulkEnd::ran);
  } catch (const Boom&) {
    check_bulk_end(h, BulkEnd::threw);
  } catch (const tpx::CancelledError&) {
    FUZZ_CHECK(dropped_ok);  // "a bulk_async failed with CancelledError without shutdown(cancel_futures)"
    check_bulk_end(h, BulkEnd::dropped);
  } catch (const tpx::BrokenExecutor&) {
    FUZZ_CHECK(g_cfg.may_break);
    check_bulk_end(h, BulkEnd::dropped);
  } catch (const tpx::TimeoutError&) {
    fail("a bulk_async did not complete within the hang guard", static_cast<long>(h.n));
  }
}

struct BulkRec {
  tpx::Future<void> f;
  std::shared_ptr<BulkHits> h;
};

// Ops 21 and 22: a body that counts its runs and those off the thread that
// submitted it (`caller`, set before the submission).
struct Probe {
  std::thread::id caller;
  std::atomic<int> ran{0};
  std::atomic<int> elsewhere{0};
  void record() {
    if (std::this_thread::get_id() != caller) elsewhere.fetch_add(1);
    ran.fetch_add(1);
  }
};

// Ops 21 and 22: every worker of a pool running a blocker that spins until
// `open`. Blocker 0, asked (request 1), first submits past the bound from the
// worker (submit_past_bound), then says so (request 2).
struct Blockade {
  std::atomic<int> started{0};
  std::atomic<int> off_worker{0};  // blockers that ran outside the pool (none may)
  std::atomic<bool> open{false};
  std::atomic<int> request{0};
  std::optional<tpx::Future<int>> worker_futures[2];  // written by blocker 0 before request = 2
  std::shared_ptr<Probe> worker_probe = std::make_shared<Probe>();
};

// On a worker of a full bounded pool: "a submission made by a worker of this
// pool never blocks and is never rejected" (Options::max_queued).
void submit_past_bound(tpx::ThreadPoolExecutor& ex, Blockade& bl) {
  const std::shared_ptr<Probe> pr = bl.worker_probe;
  try {
    std::optional<tpx::Future<int>> r = ex.try_submit([pr] {
      pr->record();
      return 1;
    });
    FUZZ_CHECK(r.has_value());  // "try_submit from a worker of the pool returned nullopt"
    bl.worker_futures[0] = std::move(r);
    ex.post([pr] { pr->record(); });
    bl.worker_futures[1] = ex.submit(tpx::TaskOptions{.priority = tpx::Priority::high}, [pr] {
      pr->record();
      return 2;
    });
    std::atomic<int> hits[2] = {};
    ex.bulk(2, [&hits](std::size_t i) { FUZZ_CHECK(hits[i].fetch_add(1) == 0, static_cast<long>(i)); },
            tpx::BulkOptions{1});
    FUZZ_CHECK(hits[0].load() == 1 && hits[1].load() == 1);
  } catch (const tpx::QueueFull&) {
    fail("a worker of the pool got QueueFull");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "executor_ops_fuzzer: submit_past_bound: %s\n", e.what());
    fail("a worker's submission past the bound failed");
  }
  g_stats.worker_probes.fetch_add(1, std::memory_order_relaxed);
}
constexpr int kWorkerProbeRuns = 3;  // submit_past_bound's try_submit, post and high-priority submit

auto blocker(tpx::ThreadPoolExecutor& ex, std::shared_ptr<Blockade> bl, int index, const char* prefix) {
  return [&ex, bl, index, prefix] {
    if (!on_worker_of(prefix)) bl->off_worker.fetch_add(1);
    bl->started.fetch_add(1);
    const auto until = Clock::now() + kHang;
    while (!bl->open.load()) {
      if (index == 0 && bl->request.load() == 1) {
        submit_past_bound(ex, *bl);
        bl->request.store(2);
      }
      if (Clock::now() > until) fail("a blocked worker was never released", index);
      std::this_thread::yield();
    }
    return index;
  };
}

// Opens the blockade once the clock is past `not_before`.
void open_after(Blockade& bl, Clock::time_point not_before) {
  while (Clock::now() <= not_before) std::this_thread::sleep_for(std::chrono::microseconds(50));
  bl.open.store(true);
}

struct Saturation {
  std::size_t workers = 1;
  std::optional<std::size_t> max_queued;
  tpx::WhenFull policy = tpx::WhenFull::block;
  bool exact = false;  // nothing else is queued: exactly max_queued try_submits fit
  int kind = 0;        // the submission on the full pool (probe_full)
  bool worker_probe = false;
  bool deadline_probe = false;
  tpx::Priority deadline_priority = tpx::Priority::normal;
  std::chrono::microseconds deadline_ahead{5};
  const char* prefix = "tpx_";
  // 0: none; 1: shutdown(wait = false) before the submission on the full
  // pool (under WhenFull::block, by another thread while it waits for room);
  // 2: the same with cancel_futures.
  int shutdown = 0;
};

// What probe_full submitted: its Future (if any), how many runs it owes.
struct Probed {
  std::optional<tpx::Future<int>> fi;
  std::optional<tpx::Future<void>> fv;
  int runs = 0;
};

// One submission of `kind` on a pool that is full and stays full until the
// blockade opens (under WhenFull::block, another thread opens it): QueueFull
// and nothing ran (reject); it ran, on this thread, before the call returned
// (caller_runs); the call returned (block: after the workers were freed).
// With `shut` (the pool is, or is being, shut down), whatever when_full says:
// ShutdownError and nothing ran ("a blocked submitter gets ShutdownError when
// the pool shuts down"; submit/post/map/bulk after shutdown()).
Probed probe_full(tpx::ThreadPoolExecutor& ex, int kind, tpx::WhenFull policy, const std::shared_ptr<Probe>& pr,
                  bool shut) {
  pr->caller = std::this_thread::get_id();
  Probed out;
  const int runs = kind >= 3 ? 2 : 1;
  bool refused = false;
  bool refused_shut = false;
  try {
    switch (kind) {
      case 0:
        out.fi = ex.submit([pr] {
          pr->record();
          return 4;
        });
        break;
      case 1:
        ex.post([pr] { pr->record(); });
        break;
      case 2:
        out.fi = ex.submit(tpx::TaskOptions{.priority = tpx::Priority::high}, [pr] {
          pr->record();
          return 4;
        });
        break;
      case 3:
        ex.bulk(2, [pr](std::size_t) { pr->record(); }, tpx::BulkOptions{1});
        FUZZ_CHECK(pr->ran.load() == 2, pr->ran.load());  // "bulk returned before every index ran"
        break;
      case 4: {
        auto results = ex.map(tpx::MapOptions{.timeout = kHang},
                              [pr](int x) {
                                pr->record();
                                return x;
                              },
                              std::vector<int>{1, 2});
        int sum = 0;
        for (int v : results) sum += v;
        FUZZ_CHECK(sum == 3, sum);
        break;
      }
      default:
        out.fv = ex.bulk_async(2, [pr](std::size_t) { pr->record(); }, tpx::BulkOptions{1});
        break;
    }
  } catch (const tpx::QueueFull&) {
    refused = true;
  } catch (const tpx::ShutdownError&) {
    refused_shut = true;
  }
  g_stats.full_probes.fetch_add(1, std::memory_order_relaxed);
  if (shut) {
    FUZZ_CHECK(refused_shut, kind, static_cast<long>(policy));  // "a submission after shutdown() was not refused with ShutdownError"
    FUZZ_CHECK(pr->ran.load() == 0, kind);                       // "a submission refused with ShutdownError ran"
    return out;
  }
  FUZZ_CHECK(!refused_shut, kind);  // "ShutdownError before shutdown()"
  if (policy == tpx::WhenFull::reject) {
    FUZZ_CHECK(refused, kind);                 // "a full pool under WhenFull::reject accepted a submission"
    FUZZ_CHECK(pr->ran.load() == 0, kind);     // "a submission refused with QueueFull ran"
    return out;
  }
  FUZZ_CHECK(!refused, kind);  // "QueueFull without WhenFull::reject"
  out.runs = runs;
  if (policy == tpx::WhenFull::caller_runs) {
    // "WhenFull::caller_runs: run the task on the submitting thread"
    FUZZ_CHECK(pr->ran.load() == runs, kind, pr->ran.load());
    FUZZ_CHECK(pr->elsewhere.load() == 0, kind, pr->elsewhere.load());
    if (out.fi) FUZZ_CHECK(out.fi->done(), kind);
    if (out.fv) FUZZ_CHECK(out.fv->done(), kind);
  }
  return out;
}

// Blocks every worker, then checks, while nothing can dequeue: a deadline
// probe queued behind them expires; a bounded pool takes at most (exact:
// exactly) max_queued try_submits, then says nullopt; a submission on the
// full pool follows when_full; a worker's submissions past the bound are
// neither rejected nor refused. False when the workers could not all be
// blocked (then nothing strict was checked). The caller makes sure nobody
// shuts the pool down meanwhile and no initializer can throw.
bool saturate(tpx::ThreadPoolExecutor& ex, const Saturation& s) {
  auto bl = std::make_shared<Blockade>();
  std::vector<tpx::Future<int>> blockers;
  const auto give_up_at = Clock::now() + std::chrono::milliseconds(200);
  auto release_all = [&] {
    bl->open.store(true);
    for (std::size_t i = 0; i < blockers.size(); ++i)
      FUZZ_CHECK(blockers[i].result(kHang) == static_cast<int>(i), static_cast<long>(i));
  };
  // try_submit, retried: a blocker must not run on this thread (WhenFull::caller_runs) nor wait for room.
  while (blockers.size() < s.workers) {
    std::optional<tpx::Future<int>> r;
    {
      NoSubmitterRuns window;
      r = ex.try_submit(blocker(ex, bl, static_cast<int>(blockers.size()), s.prefix));
    }
    if (r) {
      blockers.push_back(std::move(*r));
    } else {
      FUZZ_CHECK(s.max_queued.has_value());  // "try_submit returned nullopt on an unbounded pool"
      if (Clock::now() > give_up_at) break;
      std::this_thread::yield();
    }
  }
  const bool all_blocked =
      blockers.size() == s.workers &&
      await_for([&] { return bl->started.load() == static_cast<int>(s.workers); }, std::chrono::milliseconds(500));
  FUZZ_CHECK(bl->off_worker.load() == 0, bl->off_worker.load());  // "a task ran outside the pool"
  if (!all_blocked) {
    if (s.shutdown != 0) shut_pool(ex, /*wait=*/false, s.shutdown == 2);
    release_all();
    return false;
  }
  // From here to open, no thread dequeues: every worker spins in a blocker.
  const bool bounded = s.max_queued.has_value();
  const bool blocking = bounded && s.policy == tpx::WhenFull::block;
  Clock::time_point not_before = Clock::now();
  auto dp = std::make_shared<Probe>();
  std::optional<tpx::Future<int>> dfut;
  bool dqueued = false;
  if (s.deadline_probe && !blocking) {  // under block, a full pool would wait for room that never comes
    const auto deadline = Clock::now() + s.deadline_ahead;
    not_before = deadline;
    try {
      dfut = ex.submit(tpx::TaskOptions{.priority = s.deadline_priority, .deadline = deadline}, [dp] {
        dp->record();
        return 5;
      });
      dqueued = !dfut->done();  // else it ran here (caller_runs) or expired already
    } catch (const tpx::QueueFull&) {
      FUZZ_CHECK(s.policy == tpx::WhenFull::reject);
    }
  }
  // Fill: nothing dequeues, so try_submit must report full within max_queued + 1 tries.
  auto fp = std::make_shared<Probe>();
  std::vector<tpx::Future<int>> filled;
  const std::size_t tries = bounded ? *s.max_queued + 1 : 2;
  bool full = false;
  for (std::size_t k = 0; k < tries; ++k) {
    std::optional<tpx::Future<int>> r;
    try {
      NoSubmitterRuns window;
      r = ex.try_submit([fp] {
        fp->record();
        return 3;
      });
    } catch (const tpx::QueueFull&) {
      fail("try_submit threw QueueFull");
    }
    if (!r) {
      FUZZ_CHECK(bounded);  // "try_submit returned nullopt on an unbounded pool"
      full = true;
      g_stats.nullopt.fetch_add(1, std::memory_order_relaxed);
      break;
    }
    filled.push_back(std::move(*r));
  }
  if (bounded) {
    // "Tasks queued and not started, at most max_queued"; "nullopt when full"
    FUZZ_CHECK(full, static_cast<long>(filled.size()), static_cast<long>(*s.max_queued));
    if (s.exact)
      FUZZ_CHECK(filled.size() + (dqueued ? 1 : 0) == *s.max_queued, static_cast<long>(filled.size()),
                 static_cast<long>(*s.max_queued));
  }
  g_stats.saturated.fetch_add(1, std::memory_order_relaxed);
  auto pr = std::make_shared<Probe>();
  Probed probed;
  const bool cancel = s.shutdown == 2;
  auto shut_down = [&ex, cancel] { shut_pool(ex, /*wait=*/false, cancel); };
  // The submission on the full pool comes before the worker's (whose bulk
  // might help, that is run a queued task, and so make room).
  if (bounded && !blocking && s.shutdown == 0) probed = probe_full(ex, s.kind, s.policy, pr, false);
  if (s.worker_probe) {
    bl->request.store(1);
    await_or_abort([&] { return bl->request.load() == 2; }, "a blocked worker did not make its submissions");
  }
  if (s.shutdown != 0 && !blocking) {
    shut_down();
    // "Throws ShutdownError / BrokenExecutor as submit": never nullopt after shutdown().
    try {
      NoSubmitterRuns window;
      (void)ex.try_submit([] { return 0; });
      fail("try_submit after shutdown() did not throw ShutdownError");
    } catch (const tpx::ShutdownError&) {
    }
    probed = probe_full(ex, s.kind, s.policy, pr, true);
  }
  if (blocking) {
    // The submission waits for room; another thread frees the workers, or
    // shuts the pool down, not before 1 ms (so the submission usually waits).
    const auto t = std::max(not_before, Clock::now() + std::chrono::milliseconds(1));
    std::thread releaser([bl, t, &shut_down, by_shutdown = s.shutdown != 0] {
      if (!by_shutdown) return open_after(*bl, t);
      while (Clock::now() <= t) std::this_thread::sleep_for(std::chrono::microseconds(50));
      shut_down();
    });
    probed = probe_full(ex, s.kind, s.policy, pr, s.shutdown != 0);
    releaser.join();
  }
  open_after(*bl, not_before);
  release_all();
  // What was queued: run, or (shutdown(cancel_futures)) cancelled and never run.
  int fill_ran = 0;
  for (auto& f : filled) {
    try {
      FUZZ_CHECK(f.result(kHang) == 3);
      ++fill_ran;
    } catch (const tpx::CancelledError&) {
      FUZZ_CHECK(cancel);  // "a queued task was cancelled without cancel_futures"
    }
  }
  await_or_abort([&] { return fp->ran.load() == fill_ran; }, "a try_submit'ed task never ran");
  FUZZ_CHECK(fp->ran.load() == fill_ran, fp->ran.load(), fill_ran);
  if (probed.fi) FUZZ_CHECK(probed.fi->result(kHang) == 4);
  if (probed.fv) probed.fv->result(kHang);
  await_or_abort([&] { return pr->ran.load() == probed.runs; }, "a submission on a full pool never ran");
  if (s.worker_probe) {
    int worker_ran = 0;
    for (int i = 0; i < 2; ++i) {
      try {
        FUZZ_CHECK(bl->worker_futures[i]->result(kHang) == i + 1);
        ++worker_ran;
      } catch (const tpx::CancelledError&) {
        FUZZ_CHECK(cancel);
      }
    }
    if (!cancel)  // with cancel_futures the post may have been dropped: no future says so
      await_or_abort([&] { return bl->worker_probe->ran.load() == kWorkerProbeRuns; },
                     "a worker's submission past the bound never ran");
    FUZZ_CHECK(bl->worker_probe->ran.load() >= worker_ran && bl->worker_probe->ran.load() <= kWorkerProbeRuns);
  }
  if (dqueued) {
    // Queued while every worker was blocked, and none was freed before its
    // deadline: "a task not started by then does not run".
    try {
      (void)dfut->result(kHang);
      fail("a task queued behind blocked workers ran after its deadline", dp->ran.load());
    } catch (const tpx::DeadlineExceeded&) {
      g_stats.queued_expired.fetch_add(1, std::memory_order_relaxed);
    } catch (const tpx::CancelledError&) {
      FUZZ_CHECK(cancel);
    }
    FUZZ_CHECK(dp->ran.load() == 0, dp->ran.load());
  }
  return true;
}

// Op 22, a bit 0 clear: pick order on a private 1-worker pool whose worker is
// blocked while the tasks are queued (so one thread picks, in a known order).
void check_priority_order(std::chrono::nanoseconds spin, std::uint8_t a, std::uint8_t b) {
  tpx::ThreadPoolExecutor p(tpx::Options{
      .max_workers = 1, .thread_name_prefix = "prio", .pinning = tpx::Pinning::none, .idle_spin = spin, .idle_linger = 3 * spin});
  auto bl = std::make_shared<Blockade>();
  const tpx::Future<int> blk = p.submit(blocker(p, bl, 1, "prio_"));
  await_or_abort([&] { return bl->started.load() == 1; }, "op 22: the private worker never started");
  struct Log {
    std::atomic<int> n{0};
    int level[16] = {};
    int id[16] = {};
  };
  auto log = std::make_shared<Log>();
  const int k = 1 + (a >> 1) % 8;
  std::vector<tpx::Priority> order(static_cast<std::size_t>(k), tpx::Priority::high);
  order.insert(order.begin() + b % (k + 1), tpx::Priority::low);
  order.insert(order.begin() + (b >> 4) % (k + 2), tpx::Priority::normal);
  if (a & 16) order.push_back(static_cast<tpx::Priority>((b >> 2) % 3));  // the far-deadline task, last
  std::vector<tpx::Future<int>> fs;
  for (std::size_t i = 0; i < order.size(); ++i) {
    tpx::TaskOptions o{.priority = order[i]};
    if ((a & 16) && i + 1 == order.size()) o.deadline = Clock::now() + std::chrono::hours(1);
    fs.push_back(p.submit(o, [log, level = static_cast<int>(order[i]), i] {
      const int s = log->n.fetch_add(1);
      log->level[s] = level;
      log->id[s] = static_cast<int>(i);
      return static_cast<int>(i);
    }));
  }
  auto dp = std::make_shared<Probe>();
  std::optional<tpx::Future<int>> dfut;
  Clock::time_point not_before = Clock::now();
  if (a & 32) {
    not_before = Clock::now() + std::chrono::microseconds(5 << (b % 8));
    dfut = p.submit(tpx::TaskOptions{.priority = static_cast<tpx::Priority>((a >> 6) % 3), .deadline = not_before},
                    [dp] {
                      dp->record();
                      return -1;
                    });
  }
  open_after(*bl, not_before);
  for (std::size_t i = 0; i < fs.size(); ++i) FUZZ_CHECK(fs[i].result(kHang) == static_cast<int>(i));  // far: ran
  FUZZ_CHECK(blk.result(kHang) == 1);
  if (dfut) {
    try {
      (void)dfut->result(kHang);
      fail("op 22: a task queued behind the blocked worker ran after its deadline");
    } catch (const tpx::DeadlineExceeded&) {
      FUZZ_CHECK(dp->ran.load() == 0);
      g_stats.queued_expired.fetch_add(1, std::memory_order_relaxed);
    }
  }
  const int n = log->n.load();
  FUZZ_CHECK(n == static_cast<int>(order.size()), n);
  // "a task at the front of the low (or normal) queue starts after at most 3
  // higher-priority tasks per worker" (README, "Priority and deadline"): the
  // inserted low and normal tasks are the first of their class in `order`.
  const auto first_of = [&](tpx::Priority level) {
    return static_cast<int>(std::find(order.begin(), order.end(), level) - order.begin());
  };
  const int low_id = first_of(tpx::Priority::low);
  const int normal_id = first_of(tpx::Priority::normal);
  int higher = 0;  // started before, above low
  int high = 0;    // started before, high
  for (int s = 0; s < n; ++s) {
    if (log->id[s] == low_id) FUZZ_CHECK(higher <= 3, higher, s);      // "a low task waited behind more than 3 higher ones"
    if (log->id[s] == normal_id) FUZZ_CHECK(high <= 3, high, s);       // "a normal task waited behind more than 3 high ones"
    if (log->level[s] != static_cast<int>(tpx::Priority::low)) ++higher;
    if (log->level[s] == static_cast<int>(tpx::Priority::high)) ++high;
  }
  g_stats.prio_checks.fetch_add(1, std::memory_order_relaxed);
}

// ---- Ops 23-26: coroutines (tpx/coroutine.hpp) ---------------------------------

// clang 14 with -fsanitize=fuzzer and -fsanitize=function (part of
// undefined) fails to compile a coroutine ("error: Cannot represent a
// difference across sections": the function sanitizer's prologue data and
// the split coroutine's parts). Only the call-type check is left out, and
// only for the coroutines below.
#if defined(__clang__)
#define TPX_FUZZ_COROUTINE __attribute__((no_sanitize("function")))
#else
#define TPX_FUZZ_COROUTINE
#endif

// The pool a coroutine schedules onto and submits its children to: the
// input's pool (g_cfg says how it may refuse work), or op 24's own one-worker
// pool (unbounded, no initializer, never shut down while a coroutine runs).
struct Where {
  tpx::ThreadPoolExecutor* ex = nullptr;
  const char* prefix = "tpx_";  // its workers' names: "<prefix><i>"
  bool input = true;
};

// One coroutine, as the fuzzer's thread tracks it.
struct CoroState {
  int expect = 0;          // what it co_returns
  std::exception_ptr err;  // what it rethrew at its end (written before its future completes)
  tpx::Future<int> f;      // its future: written once, before `ready`
  std::atomic<bool> ready{false};  // f is set (at once from the fuzzer's thread; from a task once it ran)
};

// A coroutine's program (ops 23-25): read by the fuzzer's thread, shared by
// the coroutines that run it.
struct Program {
  struct Step {
    std::uint8_t s = 0;
    std::uint8_t o = 0;
  };
  std::vector<Step> steps;
  bool propagate = false;  // rethrow the first exception a step caught, at the end
  bool closed = false;     // started after shutdown(): every schedule() and submit is refused
  std::vector<View> tasks;                        // tracked futures it may await (a snapshot)
  std::vector<std::shared_ptr<CoroState>> coros;  // earlier coroutines it may await (ready ones)
  std::atomic<int> progress{0};                   // steps done, by every coroutine running it
};

bool is_refusal(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const tpx::ShutdownError&) {
    return true;
  } catch (const tpx::BrokenExecutor&) {
    return true;
  } catch (...) {
  }
  return false;
}

// After co_await ex.schedule(opts), whose deadline allows `dl`: `e` is what
// it threw, `before` the awaiting thread, `was_worker` whether that was a
// worker of w's pool; `closed`: the coroutine saw w's pool refuse work before.
[[gnu::noinline]] void check_schedule(const Where& w, const std::exception_ptr& e, int dl, std::thread::id before,
                                      bool was_worker, bool& closed) {
  const bool here = current_thread() == before;
  if (!e) {
    FUZZ_CHECK(dl != kExpired);  // "co_await schedule() with a past deadline returned normally"
    FUZZ_CHECK(!closed);         // "co_await schedule() returned normally after the pool refused work"
    if (on_worker_of(w.prefix)) {
      FUZZ_CHECK(!(w.input && g_cfg.all_throw));  // "a coroutine resumed on a worker whose initializer threw"
      g_stats.sched_worker.fetch_add(1, std::memory_order_relaxed);
    } else {
      // Off the pool only as "under WhenFull::caller_runs a full pool resumes
      // it on the awaiting thread" says (else: "the coroutine is not on a worker").
      FUZZ_CHECK(w.input && g_cfg.submitter_runs(), here, was_worker);
      FUZZ_CHECK(here && !was_worker);
      g_stats.sched_here.fetch_add(1, std::memory_order_relaxed);
    }
    return;
  }
  try {
    std::rethrow_exception(e);
  } catch (const tpx::DeadlineExceeded&) {
    FUZZ_CHECK(dl != kNoExpiry);  // "co_await schedule() threw DeadlineExceeded without a deadline"
    if (dl == kExpired) FUZZ_CHECK(here);  // a past deadline: at once, nothing queued
    // Later: the worker that picked it found the deadline passed.
    if (!here) FUZZ_CHECK(on_worker_of(w.prefix) && !(w.input && g_cfg.all_throw));
    (here ? g_stats.sched_past : g_stats.sched_expired).fetch_add(1, std::memory_order_relaxed);
  } catch (const tpx::ShutdownError& x) {
    FUZZ_CHECK(w.input && g_shutdown_called.load());  // "co_await schedule() threw ShutdownError before shutdown()"
    FUZZ_CHECK(dl != kExpired);
    if (std::strstr(x.what(), "cancel_futures") != nullptr) {
      // Dropped from the queue: resumed "on the thread that shut the pool down", inside that call.
      FUZZ_CHECK(g_cancel_called.load() && t_cancelling);
      g_stats.sched_dropped.fetch_add(1, std::memory_order_relaxed);
    } else {
      FUZZ_CHECK(here);  // "a clear ShutdownError at the co_await"
      g_stats.sched_shut.fetch_add(1, std::memory_order_relaxed);
    }
    closed = true;
  } catch (const tpx::BrokenExecutor&) {
    FUZZ_CHECK(w.input && g_cfg.may_break);  // "co_await schedule() threw BrokenExecutor on a pool that cannot break"
    FUZZ_CHECK(dl != kExpired);
    FUZZ_CHECK(here || on_worker_of(w.prefix));  // at once, or dropped by a worker of the broken pool
    g_stats.sched_broken.fetch_add(1, std::memory_order_relaxed);
    closed = true;
  } catch (const tpx::QueueFull&) {
    FUZZ_CHECK(w.input && here && !was_worker);  // at once; never for a worker of the pool
    check_queue_full(-3);
    g_stats.sched_full.fetch_add(1, std::memory_order_relaxed);
  } catch (...) {
    fail("co_await schedule() threw an unexpected exception");
  }
}

// After co_await v.f: `addr` the reference it yielded (nullptr: not checked,
// an rvalue co_await), `value` its value, `e` what it threw, `before` the
// awaiting thread. It yields exactly what the future holds, once done.
[[gnu::noinline]] void check_awaited(const View& v, const int* addr, int value, const std::exception_ptr& e,
                                     std::thread::id before) {
  FUZZ_CHECK(v.f.done(), v.expect);  // "co_await returned before the future was done"
  try {
    check_outcome(v, false, [&] {
      if (e) std::rethrow_exception(e);
      return value;
    });
  } catch (...) {
    fail("co_await yielded an exception the task could not have thrown", v.expect);
  }
  if (v.f.cancelled()) {
    FUZZ_CHECK(e != nullptr, v.expect);
    try {
      std::rethrow_exception(e);
    } catch (const tpx::CancelledError&) {
      g_stats.await_cancelled.fetch_add(1, std::memory_order_relaxed);
    } catch (...) {
      fail("co_await of a cancelled future did not throw CancelledError", v.expect);
    }
  } else if (e) {
    FUZZ_CHECK(e == v.f.exception(), v.expect);  // "co_await rethrew another exception than the future holds"
    g_stats.await_failed.fetch_add(1, std::memory_order_relaxed);
  } else if (addr != nullptr) {
    FUZZ_CHECK(addr == &v.f.result(), v.expect);  // "co_await yielded a copy, not the value in the future"
  }
  if (current_thread() != before) {
    g_stats.await_moved.fetch_add(1, std::memory_order_relaxed);
    // "resumes it on the thread that completed the future": a body that ran completed it where it ran.
    if (v.c->ran.load() == 1)
      FUZZ_CHECK(current_thread() == v.c->runner.load(std::memory_order_relaxed), v.expect);
  }
}

// "cancel() on it returns false (it is running, even while suspended)"
// (tpx/coroutine.hpp, of a coroutine's future). It once returned true while
// the coroutine was suspended, and the coroutine's co_return then terminated
// the process (found by kind 7 and op 26; seed
// coroutine_future_cancel_while_suspended). Off: the probe asks only futures
// that are done (for a fix in progress).
constexpr bool kCancelRunningCoroutines = true;
void probe_cancel(const tpx::Future<int>& f, long what) {
  if (!kCancelRunningCoroutines && !f.done()) return;
  FUZZ_CHECK(!tpx::Future<int>(f).cancel(), what);  // "cancel() on a coroutine's future succeeded"
}

// A coroutine's future: its value, or exactly the exception it rethrew.
// `timeout_ok`: it may still be running after `timeout`. (exception(), not
// result(): DeadlineExceeded, which a coroutine may rethrow, is a TimeoutError.)
void check_coro(const CoroState& st, std::chrono::nanoseconds timeout, bool timeout_ok) {
  std::exception_ptr e;
  try {
    e = st.f.exception(timeout);
  } catch (const tpx::TimeoutError&) {
    FUZZ_CHECK(timeout_ok, st.expect);  // "a coroutine's future did not complete within the hang guard"
    return;
  } catch (...) {
    fail("a coroutine's future was cancelled", st.expect);
  }
  if (e) {
    // "a coroutine's future holds an exception it did not throw"
    FUZZ_CHECK(st.err != nullptr && e == st.err, st.expect);
  } else {
    FUZZ_CHECK(st.f.result() == st.expect && !st.err, st.f.result(), st.expect);
  }
}

// A child of a coroutine step: returns `value`, after sleeping, or throws
// Boom. Refusals as for any submission (ShutdownError only after shutdown(),
// BrokenExecutor only when an initializer may throw, QueueFull per
// check_queue_full); once the pool refused work, it refuses every child.
struct Child {
  View v;
  bool ok = false;
};
[[gnu::noinline]] Child submit_child(const Where& w, int value, int sleep_us, bool throws, bool& closed) {
  Child ch;
  ch.v.expect = value;
  ch.v.throws = throws;
  ch.v.c = std::make_shared<Counters>();
  auto body = [c = ch.v.c, value, sleep_us, throws, input = w.input, prefix = w.prefix] {
    if (input) {
      enter(*c, value);
    } else {  // op 24's own pool: only its worker runs its tasks
      c->runner.store(current_thread(), std::memory_order_relaxed);  // relaxed: see Counters::runner
      FUZZ_CHECK(on_worker_of(prefix), value);
      FUZZ_CHECK(c->ran.fetch_add(1) == 0, value);
    }
    nap_us(sleep_us);
    c->finished.store(1);
    if (throws) throw Boom();
    return value;
  };
  const bool was_closed = closed;
  try {
    Submitting window;
    ch.v.f = w.ex->submit(std::move(body));
    ch.ok = true;
  } catch (const tpx::ShutdownError&) {
    FUZZ_CHECK(w.input && g_shutdown_called.load(), value);  // "ShutdownError before shutdown()"
    closed = true;
  } catch (const tpx::BrokenExecutor&) {
    FUZZ_CHECK(w.input && g_cfg.may_break, value);
    closed = true;
  } catch (const tpx::QueueFull&) {
    FUZZ_CHECK(w.input, value);
    check_queue_full(value);
  }
  FUZZ_CHECK(!(ch.ok && was_closed), value);  // "a pool that refused work took a child later"
  return ch;
}

// Kind 4: a coroutine that hops onto the pool and returns `value`, or rethrows what schedule() threw.
TPX_FUZZ_COROUTINE tpx::Future<int> inner_coro(Where w, int value, std::uint8_t o, bool closed) {
  int dl = kNoExpiry;
  const tpx::TaskOptions opts = task_options(o, static_cast<std::uint8_t>(o >> 4), dl);
  const std::thread::id before = current_thread();
  const bool was_worker = on_worker_of(w.prefix);
  std::exception_ptr e;
  try {
    co_await w.ex->schedule(opts);
  } catch (...) {
    e = std::current_exception();
  }
  check_schedule(w, e, dl, before, was_worker, closed);
  if (e) std::rethrow_exception(e);
  co_return value;
}

// Runs pg's steps (see the header comment); the fuzzer's thread checks its
// future against st. Everything it needs is in its frame or shared, and it
// never waits on a future (outside the pool, a bounded pool under
// WhenFull::block may hold its schedule() or submit until there is room), so
// it may run on any thread: a worker, the thread that completed a future it
// awaited, one inside shutdown() or cancel().
TPX_FUZZ_COROUTINE tpx::Future<int> coro_program(Where w, std::shared_ptr<Program> pg,
                                                 std::shared_ptr<CoroState> st) {
  std::exception_ptr first;  // the first exception a step caught
  bool closed = pg->closed;
  for (std::size_t i = 0; i < pg->steps.size(); ++i) {
    const std::uint8_t s = pg->steps[i].s;
    const std::uint8_t o = pg->steps[i].o;
    const int cv = st->expect + 1 + static_cast<int>(i);
    std::exception_ptr e;
    int kind = s & 7;
    if (kind == 0 && pg->tasks.empty()) kind = 1;
    if (kind == 7 && pg->coros.empty()) kind = 2;
    switch (kind) {
      case 0:    // a tracked future
      case 1:    // a new child
      case 3: {  // a child cancelled first
        Child ch;
        if (kind == 0) {
          ch.v = pg->tasks[o % pg->tasks.size()];
          ch.ok = true;
        } else {
          ch = submit_child(w, cv, 100 * ((s >> 4) & 7), kind == 1 && (s & 8), closed);
        }
        if (!ch.ok) break;
        bool won = false;
        if (kind == 3) {
          if (s & 8) std::this_thread::yield();
          won = ch.v.f.cancel();
        }
        const std::thread::id before = current_thread();
        const int* addr = nullptr;
        int value = 0;
        try {
          const int& r = co_await ch.v.f;
          addr = &r;
          value = r;
        } catch (...) {
          e = std::current_exception();
        }
        check_awaited(ch.v, addr, value, e, before);
        // cancel() won: the future was done (cancelled) before the co_await, which did not suspend.
        if (won) FUZZ_CHECK(ch.v.f.cancelled() && current_thread() == before, cv);
        break;
      }
      case 2:
      case 5: {  // co_await ex.schedule(opts); kind 5 then awaits a new child as an rvalue
        int dl = kNoExpiry;
        const tpx::TaskOptions opts = kind == 2 ? task_options(o, static_cast<std::uint8_t>(o >> 4), dl)
                                                : tpx::TaskOptions{};
        const std::thread::id before = current_thread();
        const bool was_worker = on_worker_of(w.prefix);
        try {
          co_await w.ex->schedule(opts);
        } catch (...) {
          e = std::current_exception();
        }
        check_schedule(w, e, dl, before, was_worker, closed);
        if (kind == 2 || e) break;
        Child ch = submit_child(w, cv, 100 * ((s >> 4) & 7), s & 8, closed);
        if (!ch.ok) break;
        const std::thread::id at = current_thread();
        int value = 0;
        try {
          value = co_await tpx::Future<int>(ch.v.f);
        } catch (...) {
          e = std::current_exception();
        }
        check_awaited(ch.v, nullptr, value, e, at);
        break;
      }
      case 4: {  // an inner coroutine, as an rvalue
        tpx::Future<int> inner = inner_coro(w, cv, o, closed);
        const tpx::Future<int> copy = inner;
        int value = 0;
        try {
          value = co_await std::move(inner);
        } catch (...) {
          e = std::current_exception();
        }
        FUZZ_CHECK(copy.done(), cv);
        if (e) {
          FUZZ_CHECK(e == copy.exception(), cv);  // the very exception the inner coroutine rethrew
          if (is_refusal(e)) closed = true;
        } else {
          FUZZ_CHECK(value == cv, value, cv);
        }
        break;
      }
      case 6: {  // a bulk_async, a Future<void>
        auto h = std::make_shared<BulkHits>(1 + (s >> 3) % 8);
        std::optional<tpx::Future<void>> f = run_bulk(*w.ex, h, (s & 64) != 0, /*async=*/true, /*shut_known=*/true);
        FUZZ_CHECK(!(f && closed), cv);  // "a pool that refused work took a bulk later"
        if (!f) break;
        try {
          co_await *f;
        } catch (...) {
          e = std::current_exception();
        }
        FUZZ_CHECK(f->done(), cv);
        if (e && !f->cancelled()) FUZZ_CHECK(e == f->exception(), cv);
        check_bulk_future(*f, *h, std::chrono::nanoseconds(0), g_cancel_called.load());
        break;
      }
      default: {  // an earlier coroutine's future
        const std::shared_ptr<CoroState> other = pg->coros[o % pg->coros.size()];
        const tpx::Future<int> of = other->f;
        if (s & 8) probe_cancel(of, cv);
        const int* addr = nullptr;
        int value = 0;
        try {
          const int& r = co_await of;
          addr = &r;
          value = r;
        } catch (...) {
          e = std::current_exception();
        }
        FUZZ_CHECK(of.done(), cv);
        if (e) {
          FUZZ_CHECK(other->err != nullptr && e == other->err, cv);  // exactly what it rethrew
          FUZZ_CHECK(e == of.exception(), cv);
        } else {
          FUZZ_CHECK(value == other->expect && !other->err, value, other->expect);
          FUZZ_CHECK(addr == &of.result(), cv);
        }
        break;
      }
    }
    if (e && !first) first = e;
    pg->progress.fetch_add(1);
  }
  if (pg->propagate && first) {
    st->err = first;
    std::rethrow_exception(first);  // the future holds it (unhandled_exception)
  }
  co_return st->expect;
}

void print_stats() {
  const Stats& s = g_stats;
  std::fprintf(stderr,
               "executor_ops_fuzzer stats: try_submit nullopt %ld, QueueFull %ld, run by submitter %ld, "
               "deadline past %ld, expired %ld, posts expired %ld, bulks ran %ld, bulks rethrew %ld, "
               "saturations %ld, full-pool probes %ld, worker probes %ld, queued-then-expired %ld, "
               "priority-order checks %ld\n",
               s.nullopt.load(), s.queue_full.load(), s.submitter_ran.load(), s.past_deadline.load(),
               s.expired.load(), s.post_expired.load(), s.bulks.load(), s.bulk_threw.load(), s.saturated.load(),
               s.full_probes.load(), s.worker_probes.load(), s.queued_expired.load(), s.prio_checks.load());
  std::fprintf(stderr,
               "executor_ops_fuzzer stats: coroutines %ld (failed with what they rethrew %ld, on their own pool %ld); "
               "co_await schedule(): on a worker %ld, on the awaiting thread %ld, ShutdownError at once %ld, "
               "dropped by cancel_futures %ld, BrokenExecutor %ld, DeadlineExceeded at once %ld, later %ld, "
               "QueueFull %ld; co_await of a future: resumed on another thread %ld, CancelledError %ld, "
               "rethrew %ld\n",
               s.coros.load(), s.coro_failed.load(), s.coro_own_pool.load(), s.sched_worker.load(),
               s.sched_here.load(), s.sched_shut.load(), s.sched_dropped.load(), s.sched_broken.load(),
               s.sched_past.load(), s.sched_expired.load(), s.sched_full.load(), s.await_moved.load(),
               s.await_cancelled.load(), s.await_failed.load());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Reader in(data, size);
  const std::uint8_t head = in.next();
  const std::size_t workers = 1 + head % 4;
  const auto spin = std::chrono::nanoseconds(head & 0x10 ? 20000 : 0);
  // Counts the DeadlineExceeded reports of posts (the post accounting); nothing is printed.
  static const tpx::ErrorReporter counting = [](std::exception_ptr e, std::string_view) {
    try {
      std::rethrow_exception(e);
    } catch (const tpx::DeadlineExceeded&) {
      g_post_deadline_reports.fetch_add(1);
      g_stats.post_expired.fetch_add(1, std::memory_order_relaxed);
    } catch (...) {
    }
  };
  static const bool installed = (tpx::set_error_reporter(counting), true);
  (void)installed;
  static const bool stats = std::getenv("TPX_FUZZ_STATS") != nullptr && std::atexit(print_stats) == 0;
  (void)stats;
  start_watchdog();
  g_deadline_ns.store(now_ns() + std::chrono::duration_cast<std::chrono::nanoseconds>(kInputHang).count());

  g_cfg = Config{};
  g_cfg.caller_runs = head & 0x20;
  g_cfg.init_mode = head >> 6;
  g_cfg.may_break = g_cfg.init_mode >= 2;
  g_cfg.all_throw = g_cfg.init_mode == 3 || (g_cfg.init_mode == 2 && workers == 1);
  if (in.peek() >= 0xF0) {  // byte 1: bounded admission
    const std::uint8_t adm = in.next();
    g_cfg.max_queued = std::size_t{1} + (adm & 3);
    const int w = (adm >> 2) & 3;
    g_cfg.when_full = w == 1 ? tpx::WhenFull::reject : w == 2 ? tpx::WhenFull::caller_runs : tpx::WhenFull::block;
  }
  g_post_deadline_reports.store(0);
  g_shutdown_called.store(false);
  g_cancel_called.store(false);
  static constexpr int kInitDelayUs[4] = {0, 50, 200, 1000};
  const int init_delay = kInitDelayUs[(head >> 2) & 3];
  std::function<void()> initializer;
  if (g_cfg.init_mode != 0) {
    initializer = [mode = g_cfg.init_mode, init_delay, calls = std::make_shared<std::atomic<int>>(0)] {
      nap_us(init_delay);
      if (mode == 3 || (mode == 2 && calls->fetch_add(1) == 0)) throw Boom();
    };
  }

  std::atomic<int> posted_ran{0};
  std::vector<Tracked> tasks;
  std::vector<BulkRec> bulks;  // bulk_async Futures from the fuzzer's thread
  bool shut = false;
  bool shut_waited = false;
  bool dropped_queue = g_cfg.may_break;  // shutdown(cancel_futures) drops queued posts (they have no future); so does a broken pool
  // Accepted posts (tasks post too: atomic). Each runs once (posted_ran), or
  // reports DeadlineExceeded (g_post_deadline_reports), or is dropped (dropped_queue).
  std::atomic<int> posted{0};
  int heavy = 0;
  // Every coroutine of ops 23-25 (one started by a task is `ready` once it ran).
  std::vector<std::shared_ptr<CoroState>> coros;
  auto posts_balance = [&] {
    const int done = posted_ran.load() + g_post_deadline_reports.load();
    if (dropped_queue)
      FUZZ_CHECK(done <= posted.load(), done, posted.load());
    else
      FUZZ_CHECK(done == posted.load(), done, posted.load());  // "an accepted post neither ran nor expired"
  };
  {
    tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = workers,
                                            .pinning = tpx::Pinning::none,
                                            .initializer = initializer,
                                            .idle_spin = spin, .idle_linger = 3 * spin,
                                            .caller_runs = g_cfg.caller_runs,
                                            .max_queued = g_cfg.max_queued,
                                            .when_full = g_cfg.when_full});
    g_input_ex = &ex;
    auto pick = [&]() -> Tracked* { return tasks.empty() ? nullptr : &tasks[in.next() % tasks.size()]; };
    // Submits a tracked task whose body is make(counters, value), with topts
    // when given; false when refused. A deadline already past (dl kExpired):
    // the future is done at once, with DeadlineExceeded.
    auto submit_tracked = [&](bool throws, auto make, std::optional<tpx::TaskOptions> topts = std::nullopt,
                              int dl = kNoExpiry) -> bool {
      Tracked t;
      t.expect = static_cast<int>(tasks.size()) * 7;
      t.throws = throws;
      t.dl = dl;
      bool ok = accepted(
          [&] { t.future = topts ? ex.submit(*topts, make(t.c, t.expect)) : ex.submit(make(t.c, t.expect)); }, shut);
      if (ok) {
        // After shutdown only a task whose deadline had passed when submit
        // looked may come back (failed at once, unqueued): a near deadline may
        // be past by then.
        FUZZ_CHECK(!shut || dl != kNoExpiry, t.expect);
        if (shut) t.dl = kExpired;
        if (t.dl == kExpired) {
          FUZZ_CHECK(t.future.done(), t.expect);  // "a task whose deadline was past at submit was queued"
          check_result(view_of(t), std::chrono::nanoseconds(0), false);
          g_stats.past_deadline.fetch_add(1, std::memory_order_relaxed);
        }
        tasks.push_back(std::move(t));
      }
      return ok;
    };
    // A post's body: runs where a post may (never claimed), counted once.
    auto post_body = [&posted_ran] {
      return [&posted_ran] {
        check_where(-1, false);
        FUZZ_CHECK(may_post_run_now());  // "a post ran although every initializer threw"
        posted_ran.fetch_add(1);
      };
    };
    auto sleeper = [](int us) {
      return [us](std::shared_ptr<Counters> c, int value) {
        return [c, value, us] {
          enter(*c, value);
          nap_us(us);
          c->finished.store(1);
          return value;
        };
      };
    };
    auto after_shutdown = [&](bool wait, bool cancel_futures) {
      if (cancel_futures) dropped_queue = true;  // a later shutdown may cancel what an earlier left queued
      shut = true;
      if (wait) {
        shut_waited = true;
        for (auto& t : tasks) FUZZ_CHECK(t.future.done(), t.expect);  // shutdown(wait) returned: all done
        for (auto& r : bulks) FUZZ_CHECK(r.f.done(), static_cast<long>(r.h->n));
        // Every task is done, so every coroutine is: each awaits only tasks, coroutines and the pool.
        for (auto& st : coros)
          if (st->ready.load(std::memory_order_acquire)) FUZZ_CHECK(st->f.done(), st->expect);  // acquire: st->f
        posts_balance();
      }
    };
    // Ops 23-25: a program [p] [steps] (see the header comment), with
    // snapshots of what its coroutines may await.
    auto read_program = [&](bool closed) {
      auto pg = std::make_shared<Program>();
      const std::uint8_t p = in.next();
      pg->propagate = p & 8;
      pg->closed = closed;
      for (int i = 0, n = 1 + (p & 7); i < n; ++i) {
        Program::Step step;
        step.s = in.next();
        const int kind = step.s & 7;
        if (kind == 0 || kind == 2 || kind == 4 || kind == 7) step.o = in.next();
        pg->steps.push_back(step);
      }
      for (auto& t : tasks) pg->tasks.push_back(view_of(t));
      for (auto& st : coros)
        if (st->ready.load(std::memory_order_acquire)) pg->coros.push_back(st);  // acquire: st->f
      return std::pair{pg, p};
    };
    auto new_coro = [&] {
      auto st = std::make_shared<CoroState>();
      st->expect = 1000000 + 64 * static_cast<int>(coros.size());
      coros.push_back(st);
      g_stats.coros.fetch_add(1, std::memory_order_relaxed);
      return st;
    };
    const Where input_pool{&ex, "tpx_", true};
    // A coroutine started here, on the fuzzer's thread.
    auto start_here = [&](const std::shared_ptr<Program>& pg) {
      auto st = new_coro();
      st->f = coro_program(input_pool, pg, st);
      st->ready.store(true, std::memory_order_release);  // release: st->f
      return st;
    };
    // A task that starts a coroutine on the thread that runs it and returns
    // (wait_short: after waiting for it a moment, helping). racing: shutdown()
    // may be running on another thread (so ShutdownError is checked against
    // g_shutdown_called, after the throw).
    auto start_in_task = [&](const std::shared_ptr<Program>& pg, bool wait_short, bool racing) {
      auto st = new_coro();
      auto make = [pg, st, wait_short, w = input_pool](std::shared_ptr<Counters> c, int value) {
        return [pg, st, wait_short, w, c, value] {
          enter(*c, value);
          st->f = coro_program(w, pg, st);
          st->ready.store(true, std::memory_order_release);  // release: st->f
          if (wait_short) check_coro(*st, kShort, true);
          c->finished.store(1);
          return value;
        };
      };
      if (!racing) return (void)submit_tracked(false, make);
      Tracked t;
      t.expect = static_cast<int>(tasks.size()) * 7;
      try {
        Submitting window;
        t.future = ex.submit(make(t.c, t.expect));
      } catch (const tpx::ShutdownError&) {
        FUZZ_CHECK(g_shutdown_called.load());
        return;
      } catch (const tpx::BrokenExecutor&) {
        FUZZ_CHECK(g_cfg.may_break);
        return;
      } catch (const tpx::QueueFull&) {
        check_queue_full(t.expect);
        return;
      }
      tasks.push_back(std::move(t));
    };

    for (std::size_t op = 0; op < kMaxOps && in.more(); ++op) {
      const std::uint8_t b = in.next();
      const int code = b < 0xC0   ? b % 12
                       : b < 0xE0 ? 12 + (b - 0xC0) % 6
                       : b < 0xF0 ? 23 + (b - 0xE0) % 4
                                  : 18 + (b - 0xF0) % 5;
      g_current_op.store(code);
      const bool spawns = (code >= 12 && code <= 16) || code == 21 || code == 22 || code == 25;
      if (spawns && ++heavy > kMaxHeavyOps) continue;
      switch (code) {
        case 0:
        case 1: {  // submit, maybe throwing
          const bool throws = code == 1;
          submit_tracked(throws, [throws](std::shared_ptr<Counters> c, int value) {
            return [c, value, throws] {
              enter(*c, value);
              c->finished.store(1);
              if (throws) throw Boom();
              return value;
            };
          });
          break;
        }
        case 2: {  // post
          if (accepted([&] { ex.post(post_body()); }, shut)) {
            FUZZ_CHECK(!shut);
            posted.fetch_add(1);
          }
          break;
        }
        case 3: {  // cancel
          if (Tracked* t = pick()) {
            const bool c = t->future.cancel();
            (c ? t->cancel_won : t->cancel_lost) = true;
            if (c) FUZZ_CHECK(t->future.cancelled() && t->future.done());
            FUZZ_CHECK(!(t->cancel_won && t->cancel_lost));  // Python semantics: the answer never changes
          }
          break;
        }
        case 4: {  // result with a short timeout
          if (Tracked* t = pick()) {
            bool timed_out = false;
            check_outcome(view_of(*t), true, [&] {
              try {
                return t->future.result(kShort);
              } catch (const tpx::TimeoutError&) {
                timed_out = true;
                throw;
              }
            });
            if (timed_out) FUZZ_CHECK(!t->cancel_won);  // a cancelled future is done
          }
          break;
        }
        case 5: {  // as_completed with a short timeout
          std::vector<tpx::Future<int>> fs;
          for (auto& t : tasks) fs.push_back(t.future);
          std::size_t n = 0;
          try {
            for (auto f : tpx::as_completed(fs, kShort)) {
              FUZZ_CHECK(f.done());
              ++n;
            }
            FUZZ_CHECK(n == fs.size(), static_cast<long>(n), static_cast<long>(fs.size()));
          } catch (const tpx::TimeoutError&) {
            FUZZ_CHECK(n < fs.size());
          }
          break;
        }
        case 6: {  // wait
          std::vector<tpx::Future<int>> fs;
          for (auto& t : tasks) fs.push_back(t.future);
          const auto when = in.next() % 2 ? tpx::ReturnWhen::first_completed : tpx::ReturnWhen::all_completed;
          auto r = tpx::wait(fs, kShort, when);
          FUZZ_CHECK(r.done.size() + r.not_done.size() == fs.size());
          for (auto& f : r.done) FUZZ_CHECK(f.done());
          break;
        }
        case 7: {  // map
          const std::size_t chunk = 1 + in.next() % 3;
          const int n = in.next() % 9;
          std::vector<int> xs;
          for (int i = 0; i < n; ++i) xs.push_back(i);
          try {
            auto results = [&] {
              Submitting window;  // WhenFull::caller_runs: map() may run the calls here; iterating only claims
              return ex.map(tpx::MapOptions{.timeout = kHang, .chunksize = chunk},
                            [](int x) {
                              check_where(x, true);
                              FUZZ_CHECK(may_run_now(), x);  // "a map call ran although every initializer threw"
                              return x * x;
                            },
                            xs);
            }();
            FUZZ_CHECK(!shut || n == 0);
            int i = 0;
            try {
              for (int v : results) {
                FUZZ_CHECK(v == i * i, v, i);
                ++i;
              }
              FUZZ_CHECK(i == n, i, n);
            } catch (const tpx::CancelledError&) {
              FUZZ_CHECK(shut);  // shutdown(cancel_futures) cancelled queued calls
            } catch (const tpx::BrokenExecutor&) {
              FUZZ_CHECK(g_cfg.may_break);
            }
          } catch (const tpx::ShutdownError&) {
            FUZZ_CHECK(shut);
          } catch (const tpx::BrokenExecutor&) {
            FUZZ_CHECK(g_cfg.may_break);
          } catch (const tpx::QueueFull&) {
            check_queue_full(n);
          }
          break;
        }
        case 8: {  // add_done_callback
          if (Tracked* t = pick()) {
            if (!t->had_callback) {
              t->had_callback = true;
              t->future.add_done_callback([c = t->c](const tpx::Future<int>& f) {
                FUZZ_CHECK(f.done());
                c->callbacks.fetch_add(1);
              });
            }
          }
          break;
        }
        case 9: {  // nested submit-and-wait inside a task
          submit_tracked(false, [&ex](std::shared_ptr<Counters> c, int value) {
            return [&ex, c, value] {
              enter(*c, value);
              try {
                const int v = ex.submit([value] {
                                  check_where(value, true);
                                  FUZZ_CHECK(may_run_now(), value);
                                  return value;
                                }).result(kHang);
                FUZZ_CHECK(v == value, v, value);
              } catch (const tpx::ShutdownError&) {
                // the outer task raced a shutdown: allowed
              } catch (const tpx::CancelledError&) {
                // shutdown(cancel_futures) cancelled the inner task: allowed
              } catch (const tpx::BrokenExecutor&) {
                FUZZ_CHECK(g_cfg.may_break, value);
              } catch (const tpx::QueueFull&) {
                check_queue_full(value);  // the outer task ran outside the pool (claimed, or by its submitter)
              }
              c->finished.store(1);
              return value;
            };
          });
          break;
        }
        case 10:
        case 11: {  // shutdown
          const std::uint8_t o = in.next();
          const bool wait = o & 1;
          const bool cancel_futures = o & 2;
          shut_pool(ex, wait, cancel_futures);
          after_shutdown(wait, cancel_futures);
          break;
        }
        case 12: {  // handoff: the fuzzer's thread claims a worker's child, the worker waits on it
          const std::uint8_t a = in.next();
          const int sleep_us = 100 + 100 * (a & 7);
          const bool wait_start = a & 8;
          auto h = std::make_shared<Handoff>();
          const bool ok = submit_tracked(false, [&ex, h, sleep_us, wait_start](std::shared_ptr<Counters> c, int value) {
            return [&ex, h, sleep_us, wait_start, c, value] {
              enter(*c, value);
              const int cv = value + 1;
              tpx::Future<int> child;
              if (accepted([&] {
                    child = ex.submit([h, cv, sleep_us] {
                      enter(*h->cc, cv);
                      h->started.store(1);
                      nap_us(sleep_us);
                      h->cc->finished.store(1);
                      return cv;
                    });
                  }, true)) {
                h->child = child;
                h->state.store(1);
                if (wait_start) await_for([&] { return h->started.load() != 0 || child.done(); }, std::chrono::milliseconds(2));
                // The child may be running on the fuzzer's thread now (caller_runs): result() must wait for it.
                check_result(View{child, cv, false, h->cc}, kHang, false);
              } else {
                h->state.store(2);
              }
              c->finished.store(1);
              return value;
            };
          });
          if (!ok) break;
          const tpx::Future<int> outer = tasks.back().future;
          await_or_abort([&] { return h->state.load() != 0 || outer.done(); }, "handoff: the task neither ran nor completed");
          if (h->state.load() == 1) check_result(View{h->child, tasks.back().expect + 1, false, h->cc}, kHang, false);
          break;
        }
        case 13: {  // a tree of nested submit-and-wait
          const std::uint8_t a = in.next();
          auto tr = std::make_shared<Tree>();
          tr->depth = 1 + a % 3;
          tr->two = a & 4;
          tr->how = (a >> 3) & 3;
          for (int i = 1; i < 15; ++i) tr->nodes[i] = std::make_shared<Counters>();
          submit_tracked(false, [&ex, tr](std::shared_ptr<Counters> c, int value) {
            tr->nodes[0] = c;
            tr->base = value;
            return [&ex, tr] { return run_node(ex, tr, 0, 0); };
          });
          break;
        }
        case 14: {  // several threads wait on one future at once
          const std::uint8_t a = in.next();
          const std::uint8_t modes = in.next();
          View v;
          if ((a & 0x80) && !tasks.empty()) {
            v = view_of(*pick());
          } else {
            if (!submit_tracked(false, sleeper(100 * ((a >> 2) & 7)))) break;
            v = view_of(tasks.back());
          }
          const int k = 2 + (a & 1);
          std::vector<std::thread> threads;
          for (int i = 0; i < k; ++i) {
            const int mode = (modes >> (2 * i)) & 3;
            threads.emplace_back([v, mode] {
              try {
                switch (mode) {
                  case 0: check_result(v, kHang, false); break;
                  case 1: check_result(v, kShort, true); break;
                  case 2: {
                    auto r = tpx::wait(std::vector<tpx::Future<int>>{v.f}, kHang, tpx::ReturnWhen::all_completed);
                    FUZZ_CHECK(r.not_done.empty() && r.done.size() == 1);  // "wait(all) ran past the hang guard"
                    check_result(v, std::chrono::nanoseconds(0), false);
                    break;
                  }
                  default: {
                    int n = 0;
                    for (auto f : tpx::as_completed(std::vector<tpx::Future<int>>{v.f}, kHang)) {
                      FUZZ_CHECK(f == v.f && f.done());
                      check_result(v, std::chrono::nanoseconds(0), false);
                      ++n;
                    }
                    FUZZ_CHECK(n == 1, n);
                    break;
                  }
                }
              } catch (const std::exception& e) {
                std::fprintf(stderr, "executor_ops_fuzzer: waiter thread (mode %d): %s\n", mode, e.what());
                fail("a waiter thread got an unexpected exception", mode);
              }
            });
          }
          for (auto& t : threads) t.join();
          break;
        }
        case 15: {  // timed waits from a worker: on a Promise's future, a pending child, a peer
          const std::uint8_t a = in.next();
          const int sleep_us = 100 * (a & 7);
          std::shared_ptr<View> peer;
          if ((a & 8) && !tasks.empty()) peer = std::make_shared<View>(view_of(*pick()));
          tpx::Promise<int> promise;
          const tpx::Future<int> pf = promise.get_future();
          const bool ok = submit_tracked(false, [&ex, pf, peer, sleep_us](std::shared_ptr<Counters> c, int value) {
            return [&ex, pf, peer, sleep_us, c, value] {
              enter(*c, value);
              try {
                (void)pf.result(kShort);
                fail("a Promise's future gave a value before it was set", value);
              } catch (const tpx::TimeoutError&) {
              }
              const int sv = value + 1;
              tpx::Future<int> s;
              auto sc = std::make_shared<Counters>();
              if (accepted([&] {
                    s = ex.submit([sc, sv, sleep_us] {
                      enter(*sc, sv);
                      nap_us(sleep_us);
                      sc->finished.store(1);
                      return sv;
                    });
                  }, true)) {
                const View sview{s, sv, false, sc};
                check_result(sview, kShort, true);
                check_result(sview, kHang, false);
              }
              if (peer) check_result(*peer, kShort, true);
              c->finished.store(1);
              return value;
            };
          });
          if (ok) check_result(view_of(tasks.back()), kHang, false);
          promise.set_value(1);
          break;
        }
        case 16: {  // shutdown racing a task's nested submits
          const std::uint8_t a = in.next();
          const std::uint8_t o = in.next();
          const bool wait = o & 1;
          const bool cancel_futures = o & 2;
          const bool yield = a & 8;
          const bool wait_last = a & 16;
          auto race = std::make_shared<Race>();
          race->n = 1 + a % 8;
          for (int i = 0; i < race->n; ++i) race->kc[i] = std::make_shared<Counters>();
          const bool ok = submit_tracked(false, [&ex, race, yield, wait_last](std::shared_ptr<Counters> c, int value) {
            return [&ex, race, yield, wait_last, c, value] {
              enter(*c, value);
              race->started.store(1);
              for (int i = 0; i < race->n; ++i) {
                const int kv = value + 1 + i;
                race->submitted[i] = accepted([&] {
                  race->kids[i] = ex.submit([kc = race->kc[i], kv] {
                    enter(*kc, kv);
                    kc->finished.store(1);
                    return kv;
                  });
                }, true);
                if (yield) std::this_thread::yield();
              }
              const int last = race->n - 1;
              if (wait_last && race->submitted[last])
                check_result(View{race->kids[last], value + 1 + last, false, race->kc[last]}, kHang, false);
              c->finished.store(1);
              return value;
            };
          });
          const tpx::Future<int> outer = ok ? tasks.back().future : tpx::Future<int>();
          std::atomic<bool> returned{false};
          std::thread stopper([&] {
            if (ok) await_for([&] { return race->started.load() != 0 || outer.done(); }, std::chrono::milliseconds(2));
            shut_pool(ex, wait, cancel_futures);
            returned.store(true);
          });
          await_or_abort([&] { return returned.load(); }, "shutdown() racing nested submits did not return");
          stopper.join();
          after_shutdown(wait, cancel_futures);
          if (!ok) break;
          const int outer_expect = tasks.back().expect;
          if (wait) FUZZ_CHECK(outer.done(), outer_expect);
          check_result(view_of(tasks.back()), kHang, false);  // the outer task: done, cancelled or failed
          for (int i = 0; i < race->n; ++i) {
            if (!race->submitted[i]) continue;
            FUZZ_CHECK(!wait || race->kids[i].done(), i);  // shutdown(wait) returned: the children are done
            Tracked kid;
            kid.future = race->kids[i];
            kid.expect = outer_expect + 1 + i;
            kid.c = race->kc[i];
            tasks.push_back(std::move(kid));  // the final accounting: ran once, or cancelled, or broken
          }
          break;
        }
        case 17: {  // a sleeper
          submit_tracked(false, sleeper(100 * (in.next() % 8)));
          break;
        }
        case 18: {  // try_submit: never waits, never runs the task here; nullopt only when bounded and full
          const std::uint8_t a = in.next();
          const int sleep_us = 100 * ((a >> 1) & 7);
          if (!(a & 1)) {
            Tracked t;
            t.expect = static_cast<int>(tasks.size()) * 7;
            std::optional<tpx::Future<int>> r;
            try {
              NoSubmitterRuns window;
              r = ex.try_submit(sleeper(sleep_us)(t.c, t.expect));
            } catch (const tpx::ShutdownError&) {
              FUZZ_CHECK(shut);
              break;
            } catch (const tpx::BrokenExecutor&) {
              FUZZ_CHECK(g_cfg.may_break);
              break;
            } catch (const tpx::QueueFull&) {
              fail("try_submit threw QueueFull");
            }
            if (!r) {
              FUZZ_CHECK(g_cfg.bounded());  // "try_submit returned nullopt on an unbounded pool"
              FUZZ_CHECK(!shut);            // after shutdown() it throws ShutdownError, as submit
              g_stats.nullopt.fetch_add(1, std::memory_order_relaxed);
              break;
            }
            FUZZ_CHECK(!shut, t.expect);
            t.future = std::move(*r);
            tasks.push_back(std::move(t));
            break;
          }
          submit_tracked(false, [&ex, sleep_us](std::shared_ptr<Counters> c, int value) {
            return [&ex, sleep_us, c, value] {
              enter(*c, value);
              const int cv = value + 1;
              auto cc = std::make_shared<Counters>();
              std::optional<tpx::Future<int>> r;
              bool refused = false;
              try {
                NoSubmitterRuns window;
                r = ex.try_submit([cc, cv, sleep_us] {
                  enter(*cc, cv);
                  nap_us(sleep_us);
                  cc->finished.store(1);
                  return cv;
                });
              } catch (const tpx::ShutdownError&) {
                refused = true;  // the task raced a shutdown: allowed
              } catch (const tpx::BrokenExecutor&) {
                FUZZ_CHECK(g_cfg.may_break, value);
                refused = true;
              } catch (const tpx::QueueFull&) {
                fail("try_submit threw QueueFull", value);
              }
              if (r) {
                check_result(View{*r, cv, false, cc}, kHang, false);
              } else if (!refused) {
                // "A submission made by a worker of this pool never blocks and is never rejected."
                FUZZ_CHECK(!on_worker(), value);  // "try_submit from a worker of the pool returned nullopt"
                FUZZ_CHECK(g_cfg.bounded(), value);
                g_stats.nullopt.fetch_add(1, std::memory_order_relaxed);
              }
              c->finished.store(1);
              return value;
            };
          });
          break;
        }
        case 19: {  // TaskOptions: priority and deadline, on submit or post, here or from a task
          const std::uint8_t a = in.next();
          const std::uint8_t d = in.next();
          const bool post = a & 16;
          if (!(a & 32)) {
            int dl = kNoExpiry;
            const tpx::TaskOptions o = task_options(a, d, dl);
            if (!post) {
              submit_tracked(false, sleeper(0), o, dl);
            } else if (accepted([&] { ex.post(o, post_body()); }, shut)) {
              FUZZ_CHECK(!shut || dl != kNoExpiry);  // after shutdown only an expired post is taken (and reported)
              posted.fetch_add(1);
            }
            break;
          }
          submit_tracked(false, [&ex, &posted, &posted_ran, a, d, post](std::shared_ptr<Counters> c, int value) {
            return [&ex, &posted, &posted_ran, a, d, post, c, value] {
              enter(*c, value);
              int dl = kNoExpiry;
              const tpx::TaskOptions o = task_options(a, d, dl);
              if (post) {
                if (accepted([&] {
                      ex.post(o, [&posted_ran] {
                        check_where(-1, false);
                        FUZZ_CHECK(may_post_run_now());
                        posted_ran.fetch_add(1);
                      });
                    }, true))
                  posted.fetch_add(1);
              } else {
                const int cv = value + 1;
                auto cc = std::make_shared<Counters>();
                tpx::Future<int> f;
                if (accepted([&] {
                      f = ex.submit(o, [cc, cv] {
                        enter(*cc, cv);
                        cc->finished.store(1);
                        return cv;
                      });
                    }, true)) {
                  if (dl == kExpired) FUZZ_CHECK(f.done(), cv);  // "a task whose deadline was past at submit was queued"
                  check_result(View{f, cv, false, cc, dl}, kHang, false);
                }
              }
              c->finished.store(1);
              return value;
            };
          });
          break;
        }
        case 20: {  // bulk / bulk_async, here or from a task
          static constexpr std::size_t kN[8] = {0, 1, 2, 3, 5, 8, 17, 64};
          static constexpr std::size_t kGrain[8] = {0, 1, 2, 3, 4, 7, 16, 100};
          const std::uint8_t a = in.next();
          const std::uint8_t g = in.next();
          const std::uint8_t t = in.next();
          auto h = std::make_shared<BulkHits>(kN[a & 7]);
          h->grain = kGrain[g & 7];
          if ((a & 16) && h->n != 0) h->throw_at = static_cast<long>(t % h->n);
          h->nested = a & 128;
          const bool range = a & 8;
          const bool async = a & 64;
          if (!(a & 32)) {
            if (auto f = run_bulk(ex, h, range, async, shut)) {
              FUZZ_CHECK(!shut || h->n == 0);
              bulks.push_back(BulkRec{std::move(*f), h});
            }
            break;
          }
          // From a task: bulk() helps instead of blocking the worker; bulk_async is waited on.
          submit_tracked(false, [&ex, h, range, async](std::shared_ptr<Counters> c, int value) {
            return [&ex, h, range, async, c, value] {
              enter(*c, value);
              if (auto f = run_bulk(ex, h, range, async, true)) check_bulk_future(*f, *h, kHang, true);
              c->finished.store(1);
              return value;
            };
          });
          break;
        }
        case 21: {  // saturate the input's pool: bounds, policies, a deadline behind busy workers
          const std::uint8_t a = in.next();
          const std::uint8_t d = in.next();
          const std::uint8_t e = in.next();
          if (shut || g_cfg.may_break) break;  // every worker must be able to run a blocker
          Saturation s;
          s.workers = workers;
          s.max_queued = g_cfg.max_queued;
          s.policy = g_cfg.when_full;
          s.kind = (a >> 2) % 6;
          s.worker_probe = a & 1;
          s.deadline_probe = a & 2;
          s.deadline_priority = static_cast<tpx::Priority>((a >> 6) % 3);
          s.deadline_ahead = std::chrono::microseconds(5 << (d % 11));
          s.shutdown = (e & 3) < 2 ? 0 : (e & 3) - 1;
          saturate(ex, s);
          if (s.shutdown != 0) after_shutdown(false, s.shutdown == 2);
          break;
        }
        case 22: {  // a private 1-worker pool: pick order by priority; exact bounds
          const std::uint8_t a = in.next();
          const std::uint8_t d = in.next();
          const std::uint8_t e = in.next();
          if (!(a & 1)) {
            check_priority_order(spin, a, d);
            break;
          }
          Saturation s;
          s.max_queued = std::size_t{1} + d % 4;
          const int w = (d >> 2) % 3;
          s.policy = w == 1 ? tpx::WhenFull::reject : w == 2 ? tpx::WhenFull::caller_runs : tpx::WhenFull::block;
          s.exact = true;
          s.kind = (a >> 1) % 6;
          s.worker_probe = a & 16;
          s.deadline_probe = a & 32;
          s.deadline_priority = static_cast<tpx::Priority>((a >> 6) % 3);
          s.deadline_ahead = std::chrono::microseconds(5 << (d >> 4) % 11);
          s.prefix = "prio_";
          s.shutdown = (e & 3) < 2 ? 0 : (e & 3) - 1;
          tpx::ThreadPoolExecutor p(tpx::Options{.max_workers = 1,
                                                 .thread_name_prefix = "prio",
                                                 .pinning = tpx::Pinning::none,
                                                 .idle_spin = spin, .idle_linger = 3 * spin,
                                                 .max_queued = s.max_queued,
                                                 .when_full = s.policy});
          FUZZ_CHECK(saturate(p, s));  // one worker, nothing else queued: it always blocks
          break;
        }
        case 23: {  // a coroutine from the fuzzer's thread
          auto [pg, p] = read_program(shut);
          auto st = start_here(pg);
          if (p & 16) check_coro(*st, kHang, false);
          break;
        }
        case 24: {  // a coroutine from a task: on the input's pool, or on a one-worker pool of its own
          auto [pg, p] = read_program(false);
          if (!(p & 32) || heavy >= kMaxHeavyOps) {
            start_in_task(pg, p & 16, false);
            break;
          }
          ++heavy;
          tpx::ThreadPoolExecutor own(tpx::Options{
              .max_workers = 1, .thread_name_prefix = "coro", .pinning = tpx::Pinning::none, .idle_spin = spin, .idle_linger = 3 * spin});
          auto st = new_coro();
          g_stats.coro_own_pool.fetch_add(1, std::memory_order_relaxed);
          const tpx::Future<int> starter = own.submit([pg = pg, st, w = Where{&own, "coro_", false}] {
            st->f = coro_program(w, pg, st);
            st->ready.store(true, std::memory_order_release);  // release: st->f
            return 0;
          });
          FUZZ_CHECK(starter.result(kHang) == 0);
          FUZZ_CHECK(st->ready.load(std::memory_order_acquire));  // acquire: st->f
          check_coro(*st, kHang, false);  // it is done before its pool goes
          break;
        }
        case 25: {  // co_await schedule() racing shutdown() on another thread; then schedule() after it
          const std::uint8_t r = in.next();
          const std::uint8_t o = in.next();
          auto [pg, p] = read_program(shut);
          (void)p;
          const bool wait = o & 1;
          const bool cancel_futures = o & 2;
          const int place = (r >> 2) & 3;
          std::atomic<bool> launched{false};
          std::atomic<bool> returned{false};
          std::thread stopper([&, pg = pg] {
            // Each up to 2 ms: the coroutines this thread starts have run to
            // their first suspension (their schedule() is queued), a step is done.
            if (r & 16) await_for([&] { return launched.load(); }, std::chrono::milliseconds(2));
            if (r & 64) await_for([&] { return pg->progress.load() != 0; }, std::chrono::milliseconds(2));
            shut_pool(ex, wait, cancel_futures);
            returned.store(true);
          });
          for (int i = 0, k = 1 + r % 4; i < k; ++i) {
            const bool in_task = place == 1 || (place == 2 && i % 2 == 1) || (place == 3 && i % 2 == 0);
            if (in_task)
              start_in_task(pg, false, true);
            else
              start_here(pg);
          }
          launched.store(true);
          await_or_abort([&] { return returned.load(); }, "shutdown() racing co_await schedule() did not return");
          stopper.join();
          after_shutdown(wait, cancel_futures);  // shutdown(wait) returned: every coroutine is done
          if (r & 32) {  // schedule() after shutdown(): refused, every time
            auto after = std::make_shared<Program>();
            after->steps = pg->steps;
            after->propagate = pg->propagate;
            after->closed = true;
            after->tasks = pg->tasks;
            after->coros = pg->coros;
            start_here(after);
          }
          break;
        }
        case 26: {  // join: every coroutine's future so far, within the hang guard
          const std::uint8_t a = in.next();
          std::vector<tpx::Future<int>> fs;
          for (auto& st : coros)
            if (st->ready.load(std::memory_order_acquire)) fs.push_back(st->f);  // acquire: st->f
          if (a & 1) {
            auto r = tpx::wait(fs, kHang, tpx::ReturnWhen::all_completed);
            // "a coroutine ran past the hang guard"
            FUZZ_CHECK(r.not_done.empty(), static_cast<long>(r.not_done.size()));
          }
          if (a & 4) {
            std::size_t n = 0;
            try {
              for (auto f : tpx::as_completed(fs, kHang)) {
                FUZZ_CHECK(f.done());
                ++n;
              }
            } catch (const tpx::TimeoutError&) {
              fail("a coroutine ran past the hang guard (as_completed)", static_cast<long>(n));
            }
            FUZZ_CHECK(n == fs.size(), static_cast<long>(n), static_cast<long>(fs.size()));
          }
          for (auto& st : coros) {
            if (!st->ready.load(std::memory_order_acquire)) continue;  // acquire: st->f
            if (a & 2) probe_cancel(st->f, st->expect);
            check_coro(*st, kHang, false);
            if (a & 2) probe_cancel(st->f, st->expect);  // done now: always asked
          }
          break;
        }
      }
    }
    g_shutdown_called.store(true);  // the destructor's shutdown: a coroutine it resumes may see ShutdownError
  }  // ~ThreadPoolExecutor: shutdown(wait = true)
  g_input_ex = nullptr;
  (void)shut_waited;
  g_current_op.store(-1);
  // Final accounting: every future done; each task ran once unless cancelled,
  // failed with BrokenExecutor, or expired (then it never ran); a task whose
  // deadline was past at submit expired.
  for (std::size_t id = 0; id < tasks.size(); ++id) {
    auto& t = tasks[id];
    FUZZ_CHECK(t.future.done(), static_cast<long>(id));
    const int ran = t.c->ran.load();
    if (t.dl == kExpired) {
      FUZZ_CHECK(!t.future.cancelled() && ran == 0, static_cast<long>(id), ran);
      FUZZ_CHECK(t.future.exception() != nullptr, static_cast<long>(id));
    }
    if (t.future.cancelled()) {
      FUZZ_CHECK(ran == 0, static_cast<long>(id));
      FUZZ_CHECK(!t.cancel_lost, static_cast<long>(id));
    } else {
      FUZZ_CHECK(!t.cancel_won, static_cast<long>(id));
      try {
        FUZZ_CHECK(t.future.result() == t.expect && !t.throws);
        FUZZ_CHECK(ran == 1, static_cast<long>(id), ran);
        FUZZ_CHECK(t.c->finished.load() == 1, static_cast<long>(id));
      } catch (const Boom&) {
        FUZZ_CHECK(t.throws);
        FUZZ_CHECK(ran == 1, static_cast<long>(id), ran);
      } catch (const tpx::BrokenExecutor&) {
        FUZZ_CHECK(g_cfg.may_break, static_cast<long>(id));
        FUZZ_CHECK(ran == 0, static_cast<long>(id), ran);
      } catch (const tpx::DeadlineExceeded&) {
        FUZZ_CHECK(t.dl != kNoExpiry, static_cast<long>(id));  // "DeadlineExceeded without a deadline"
        FUZZ_CHECK(ran == 0, static_cast<long>(id), ran);      // "a task that expired ran"
        if (t.dl == kMayExpire) g_stats.expired.fetch_add(1, std::memory_order_relaxed);
      } catch (...) {
        fail("a future that was not cancelled holds an unexpected exception", static_cast<long>(id));
      }
    }
    FUZZ_CHECK(t.c->callbacks.load() == (t.had_callback ? 1 : 0), static_cast<long>(id));
  }
  // Every bulk_async done (the executor is gone), its indexes as its outcome says.
  for (auto& r : bulks) {
    FUZZ_CHECK(r.f.done(), static_cast<long>(r.h->n));
    check_bulk_future(r.f, *r.h, std::chrono::nanoseconds(0), dropped_queue);
  }
  posts_balance();
  // Every coroutine done (the executor is gone), with its value or exactly
  // what it rethrew: its frame has ended (ASAN's leak check covers frames).
  for (auto& st : coros) {
    if (!st->ready.load(std::memory_order_acquire)) continue;  // its task never ran; acquire: st->f
    FUZZ_CHECK(st->f.done(), st->expect);  // "a coroutine's future is not done after the executor is gone"
    check_coro(*st, std::chrono::nanoseconds(0), false);
    if (st->err) g_stats.coro_failed.fetch_add(1, std::memory_order_relaxed);
  }
  g_deadline_ns.store(0);
  return 0;
}
