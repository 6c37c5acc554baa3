// fuzz/executor_ops_fuzzer.cpp — libFuzzer target: the input is a program of
// operations on one executor with 1-4 workers; invariants are checked after
// every step and at the end. Built by fuzz/run.sh (clang, -fsanitize=fuzzer,
// address,undefined); fuzz/replay_main.cpp replays inputs without libFuzzer.
//
// Byte 0: workers (1-4) and idle spin. Then one op per byte (+ operand bytes):
//   submit, submit-throwing, post, cancel k, result(k, short timeout),
//   as_completed(short timeout), wait(first_completed / all, short timeout),
//   map(chunksize), add_done_callback k, nested submit-and-wait,
//   shutdown(wait?, cancel_futures?).
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <stdexcept>
#include <vector>

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

struct Tracked {
  tpx::Future<int> future;
  int expect = 0;           // the value it returns when it runs
  bool throws = false;
  bool cancel_won = false;  // some cancel() returned true
  bool cancel_lost = false; // some cancel() returned false
  bool had_callback = false;
};

struct Shared {
  std::vector<std::unique_ptr<std::atomic<int>>> ran;        // per task
  std::vector<std::unique_ptr<std::atomic<int>>> callbacks;  // per task
  std::atomic<int> posted_ran{0};
};

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

constexpr auto kShort = std::chrono::microseconds(200);
constexpr auto kHang = std::chrono::seconds(20);
constexpr std::size_t kMaxOps = 256;

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

  auto shared = std::make_shared<Shared>();
  std::vector<Tracked> tasks;
  bool shut = false;
  bool shut_waited = false;
  bool dropped_queue = false;  // shutdown(cancel_futures) drops queued posts (they have no future)
  int posted = 0;
  {
    tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = workers, .pinning = tpx::Pinning::none, .idle_spin = spin});
    auto new_task = [&](bool throws) -> std::size_t {
      const std::size_t id = tasks.size();
      shared->ran.push_back(std::make_unique<std::atomic<int>>(0));
      shared->callbacks.push_back(std::make_unique<std::atomic<int>>(0));
      Tracked t;
      t.expect = static_cast<int>(id) * 7;
      t.throws = throws;
      tasks.push_back(std::move(t));
      return id;
    };
    auto pick = [&]() -> Tracked* { return tasks.empty() ? nullptr : &tasks[in.next() % tasks.size()]; };

    for (std::size_t op = 0; op < kMaxOps && in.more(); ++op) {
      const std::uint8_t code = in.next() % 12;
      switch (code) {
        case 0:
        case 1: {  // submit, maybe throwing
          const bool throws = code == 1;
          const std::size_t id = new_task(throws);
          std::atomic<int>* ran = shared->ran[id].get();
          const int value = tasks[id].expect;
          try {
            tasks[id].future = ex.submit([ran, value, throws] {
              FUZZ_CHECK(ran->fetch_add(1) == 0, value);
              if (throws) throw Boom();
              return value;
            });
            FUZZ_CHECK(!shut, value);
          } catch (const tpx::ShutdownError&) {
            FUZZ_CHECK(shut, value);
            tasks.pop_back();
            shared->ran.pop_back();
            shared->callbacks.pop_back();
          }
          break;
        }
        case 2: {  // post
          try {
            ex.post([s = shared] { s->posted_ran.fetch_add(1); });
            FUZZ_CHECK(!shut);
            ++posted;
          } catch (const tpx::ShutdownError&) {
            FUZZ_CHECK(shut);
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
            try {
              const int v = t->future.result(kShort);
              FUZZ_CHECK(v == t->expect && !t->throws, v, t->expect);
            } catch (const tpx::TimeoutError&) {
              FUZZ_CHECK(!t->cancel_won);  // a cancelled future is done
            } catch (const tpx::CancelledError&) {
              FUZZ_CHECK(t->future.cancelled());
            } catch (const Boom&) {
              FUZZ_CHECK(t->throws);
            }
          }
          break;
        }
        case 5: {  // as_completed with a short timeout
          std::vector<tpx::Future<int>> fs;
          for (auto& t : tasks) fs.push_back(t.future);
          std::set<const void*> seen;
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
            auto results = ex.map(tpx::MapOptions{.timeout = kHang, .chunksize = chunk}, [](int x) { return x * x; }, xs);
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
            }
          } catch (const tpx::ShutdownError&) {
            FUZZ_CHECK(shut);
          }
          break;
        }
        case 8: {  // add_done_callback
          if (Tracked* t = pick()) {
            if (!t->had_callback) {
              const std::size_t id = static_cast<std::size_t>(t - tasks.data());
              t->had_callback = true;
              t->future.add_done_callback(
                  [c = shared->callbacks[id].get()](const tpx::Future<int>& f) {
                    FUZZ_CHECK(f.done());
                    c->fetch_add(1);
                  });
            }
          }
          break;
        }
        case 9: {  // nested submit-and-wait inside a task
          const std::size_t id = new_task(false);
          std::atomic<int>* ran = shared->ran[id].get();
          const int value = tasks[id].expect;
          try {
            tasks[id].future = ex.submit([&ex, ran, value] {
              FUZZ_CHECK(ran->fetch_add(1) == 0, value);
              try {
                return ex.submit([value] { return value; }).result(kHang);
              } catch (const tpx::ShutdownError&) {
                return value;  // the outer task raced a shutdown: allowed
              } catch (const tpx::CancelledError&) {
                return value;  // shutdown(cancel_futures) cancelled the inner task: allowed
              }
            });
          } catch (const tpx::ShutdownError&) {
            FUZZ_CHECK(shut);
            tasks.pop_back();
            shared->ran.pop_back();
            shared->callbacks.pop_back();
          }
          break;
        }
        case 10:
        case 11: {  // shutdown
          const std::uint8_t b = in.next();
          const bool wait = b & 1;
          const bool cancel_futures = b & 2;
          ex.shutdown(wait, cancel_futures);
          if (cancel_futures) dropped_queue = true;  // a later shutdown may cancel what an earlier left queued
          shut = true;
          if (wait) {
            shut_waited = true;
            for (auto& t : tasks) FUZZ_CHECK(t.future.done());  // shutdown(wait) returned: all done
            if (!dropped_queue) FUZZ_CHECK(shared->posted_ran.load() == posted, shared->posted_ran.load(), posted);
          }
          break;
        }
      }
    }
  }  // ~ThreadPoolExecutor: shutdown(wait = true)
  (void)shut_waited;
  // Final accounting: every future done; each task ran once unless cancelled.
  for (std::size_t id = 0; id < tasks.size(); ++id) {
    auto& t = tasks[id];
    FUZZ_CHECK(t.future.done(), static_cast<long>(id));
    const int ran = shared->ran[id]->load();
    if (t.future.cancelled()) {
      FUZZ_CHECK(ran == 0, static_cast<long>(id));
      FUZZ_CHECK(!t.cancel_lost, static_cast<long>(id));
    } else {
      FUZZ_CHECK(ran == 1, static_cast<long>(id), ran);
      FUZZ_CHECK(!t.cancel_won, static_cast<long>(id));
      try {
        FUZZ_CHECK(t.future.result() == t.expect && !t.throws);
      } catch (const Boom&) {
        FUZZ_CHECK(t.throws);
      } catch (...) {
        fail("a future that was not cancelled holds an unexpected exception", static_cast<long>(id));
      }
    }
    FUZZ_CHECK(shared->callbacks[id]->load() == (t.had_callback ? 1 : 0), static_cast<long>(id));
  }
  if (dropped_queue)
    FUZZ_CHECK(shared->posted_ran.load() <= posted, shared->posted_ran.load(), posted);
  else
    FUZZ_CHECK(shared->posted_ran.load() == posted, shared->posted_ran.load(), posted);
  return 0;
}
