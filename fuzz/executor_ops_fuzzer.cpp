// fuzz/executor_ops_fuzzer.cpp — libFuzzer target: the input is a program of
// operations on one executor with 1-4 workers; invariants are checked after
// every step and at the end. Built by fuzz/run.sh (clang, -fsanitize=fuzzer,
// address,undefined); fuzz/replay_main.cpp replays inputs without libFuzzer.
//
// Byte 0, the executor's options:
//   bits 0-1  workers - 1 (1-4 workers)
//   bits 2-3  initializer delay when there is an initializer: 0, 50, 200, 1000 us
//   bit  4    idle_spin 20 us (else 0)
//   bit  5    Options::caller_runs
//   bits 6-7  initializer: 0 none; 1 one that returns (after the delay);
//             2 the first worker's throws (with one worker: every worker's);
//             3 every worker's throws.
//   Once an initializer threw, a future may fail with tpx::BrokenExecutor (its
//   task then never ran) and submit/post/map may throw it; when every worker's
//   initializer throws, no task body, post or map call may run on a worker
//   (with caller_runs, a thread outside the pool may still claim and run one:
//   it does not consult the pool, as Options::caller_runs documents).
// Then one op per byte (+ operand bytes, read as needed; 0 past the end).
// An op byte b < 0xC0 is one of the original ops, b % 12:
//   0 submit, 1 submit-throwing, 2 post, 3 cancel [k], 4 result [k] (short
//   timeout), 5 as_completed (short timeout), 6 wait [first|all] (short
//   timeout), 7 map [chunksize] [n], 8 add_done_callback [k], 9 nested
//   submit-and-wait, 10/11 shutdown [bit0 wait, bit1 cancel_futures].
// An op byte b >= 0xC0 is a helping-path op, 12 + (b - 0xC0) % 6:
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
// Every wait is bounded: kHang turns a hang into an abort with a message, and
// a watchdog aborts an input that runs longer than kInputHang. The thread
// spawning ops (12-16) count against kMaxHeavyOps per input.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
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
};
Config g_cfg;

// Per task: how often its body started, whether it got to its end, its callbacks.
struct Counters {
  std::atomic<int> ran{0};
  std::atomic<int> finished{0};
  std::atomic<int> callbacks{0};
};

// True on one of the pool's workers (named "tpx_<i>": the default prefix).
bool on_worker() {
  char name[16] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return std::strncmp(name, "tpx_", 4) == 0;
}

// A task body may run on a pool whose every initializer threw only when a
// thread outside the pool claimed it through caller_runs: such a thread does
// not consult the pool (documented at Options::caller_runs).
bool may_run_now() { return !g_cfg.all_throw || (g_cfg.caller_runs && !on_worker()); }

// The start of every task body: it runs once, and never on a worker of a pool
// whose every initializer threw.
void enter(Counters& c, long what) {
  FUZZ_CHECK(may_run_now(), what);  // "a task ran although every worker's initializer threw"
  FUZZ_CHECK(c.ran.fetch_add(1) == 0, what);
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

struct Tracked {
  tpx::Future<int> future;
  int expect = 0;           // the value it returns when it runs
  bool throws = false;
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
};
View view_of(const Tracked& t) { return View{t.future, t.expect, t.throws, t.c}; }

// Checks an outcome of waiting on v.f: a value (or the task's exception) only
// once its body finished; a timeout only when allowed; BrokenExecutor only
// when an initializer may have thrown, and then the task never ran.
template <class Get>
void check_outcome(const View& v, bool timeout_ok, Get get) {
  try {
    const int x = get();
    FUZZ_CHECK(v.c->finished.load() == 1, x, v.expect);  // "result() returned before the task finished"
    FUZZ_CHECK(x == v.expect && !v.throws, x, v.expect);
    FUZZ_CHECK(v.f.done());
  } catch (const tpx::TimeoutError&) {
    FUZZ_CHECK(timeout_ok, v.expect);
  } catch (const tpx::CancelledError&) {
    FUZZ_CHECK(v.f.cancelled(), v.expect);
    FUZZ_CHECK(v.c->ran.load() == 0, v.expect);
  } catch (const tpx::BrokenExecutor&) {
    FUZZ_CHECK(g_cfg.may_break, v.expect);
    FUZZ_CHECK(v.c->ran.load() == 0, v.expect);
  } catch (const Boom&) {
    FUZZ_CHECK(v.throws, v.expect);
    FUZZ_CHECK(v.c->finished.load() == 1, v.expect);  // "result() rethrew before the task finished"
  }
}
void check_result(const View& v, std::chrono::nanoseconds timeout, bool timeout_ok) {
  check_outcome(v, timeout_ok, [&] { return v.f.result(timeout); });
}

// A submit that may legitimately be refused: ShutdownError after shutdown(),
// BrokenExecutor once an initializer threw. True when it was accepted.
template <class Submit>
bool try_submit(Submit submit, bool shut_known) {
  try {
    submit();
    return true;
  } catch (const tpx::ShutdownError&) {
    FUZZ_CHECK(shut_known);
  } catch (const tpx::BrokenExecutor&) {
    FUZZ_CHECK(g_cfg.may_break);
  }
  return false;
}

class Reader {
 public:
  Reader(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
  bool more() const { return i_ < n_; }
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
      if (try_submit([&] { f = ex.submit([&ex, tr, j, level] { return run_node(ex, tr, j, level + 1); }); }, true))
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Reader in(data, size);
  const std::uint8_t head = in.next();
  const std::size_t workers = 1 + head % 4;
  const auto spin = std::chrono::nanoseconds(head & 0x10 ? 20000 : 0);
  static const tpx::ErrorReporter quiet = [](std::exception_ptr, std::string_view) {};
  static const bool installed = (tpx::set_error_reporter(quiet), true);
  (void)installed;
  start_watchdog();
  g_deadline_ns.store(now_ns() + std::chrono::duration_cast<std::chrono::nanoseconds>(kInputHang).count());

  g_cfg = Config{};
  g_cfg.caller_runs = head & 0x20;
  g_cfg.init_mode = head >> 6;
  g_cfg.may_break = g_cfg.init_mode >= 2;
  g_cfg.all_throw = g_cfg.init_mode == 3 || (g_cfg.init_mode == 2 && workers == 1);
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
  bool shut = false;
  bool shut_waited = false;
  bool dropped_queue = g_cfg.may_break;  // shutdown(cancel_futures) drops queued posts (they have no future); so does a broken pool
  int posted = 0;
  int heavy = 0;
  {
    tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = workers,
                                            .pinning = tpx::Pinning::none,
                                            .initializer = initializer,
                                            .idle_spin = spin,
                                            .caller_runs = g_cfg.caller_runs});
    auto pick = [&]() -> Tracked* { return tasks.empty() ? nullptr : &tasks[in.next() % tasks.size()]; };
    // Submits a tracked task whose body is make(counters, value); false when refused.
    auto submit_tracked = [&](bool throws, auto make) -> bool {
      Tracked t;
      t.expect = static_cast<int>(tasks.size()) * 7;
      t.throws = throws;
      bool ok = try_submit([&] { t.future = ex.submit(make(t.c, t.expect)); }, shut);
      if (ok) {
        FUZZ_CHECK(!shut, t.expect);
        tasks.push_back(std::move(t));
      }
      return ok;
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
        if (!dropped_queue) FUZZ_CHECK(posted_ran.load() == posted, posted_ran.load(), posted);
      }
    };

    for (std::size_t op = 0; op < kMaxOps && in.more(); ++op) {
      const std::uint8_t b = in.next();
      const int code = b < 0xC0 ? b % 12 : 12 + (b - 0xC0) % 6;
      g_current_op.store(code);
      if (code >= 12 && code <= 16 && ++heavy > kMaxHeavyOps) continue;
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
          if (try_submit([&] { ex.post([&posted_ran] {
                           FUZZ_CHECK(!g_cfg.all_throw);  // "a post ran although every initializer threw" (posts never run inline)
                           posted_ran.fetch_add(1);
                         }); }, shut)) {
            FUZZ_CHECK(!shut);
            ++posted;
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
            auto results = ex.map(tpx::MapOptions{.timeout = kHang, .chunksize = chunk},
                                  [](int x) {
                                    FUZZ_CHECK(may_run_now(), x);  // "a map call ran although every initializer threw"
                                    return x * x;
                                  },
                                  xs);
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
          ex.shutdown(wait, cancel_futures);
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
              if (try_submit([&] {
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
              if (try_submit([&] {
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
                race->submitted[i] = try_submit([&] {
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
            ex.shutdown(wait, cancel_futures);
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
      }
    }
  }  // ~ThreadPoolExecutor: shutdown(wait = true)
  (void)shut_waited;
  g_current_op.store(-1);
  // Final accounting: every future done; each task ran once unless cancelled
  // or failed with BrokenExecutor (then it never ran).
  for (std::size_t id = 0; id < tasks.size(); ++id) {
    auto& t = tasks[id];
    FUZZ_CHECK(t.future.done(), static_cast<long>(id));
    const int ran = t.c->ran.load();
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
      } catch (...) {
        fail("a future that was not cancelled holds an unexpected exception", static_cast<long>(id));
      }
    }
    FUZZ_CHECK(t.c->callbacks.load() == (t.had_callback ? 1 : 0), static_cast<long>(id));
  }
  if (dropped_queue)
    FUZZ_CHECK(posted_ran.load() <= posted, posted_ran.load(), posted);
  else
    FUZZ_CHECK(posted_ran.load() == posted, posted_ran.load(), posted);
  g_deadline_ns.store(0);
  return 0;
}
