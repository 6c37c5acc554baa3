// Help while waiting: a worker that waits on a pending future (result,
// exception, wait, as_completed, map iteration) runs queued tasks of its own
// executor meanwhile, so nested submit-and-wait never deadlocks, even with one
// worker. (CPython's pool deadlocks here; tpx deliberately does not.)
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <latch>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <tpx/tpx.hpp>

#include "issue3_util.hpp"
#include "option_sets.hpp"

using issue3::kGuard;
using issue3::kShort;

namespace {

using ExecutorPtr = std::unique_ptr<tpx::ThreadPoolExecutor>;

ExecutorPtr make_pool(const tpx::Options& options) { return std::make_unique<tpx::ThreadPoolExecutor>(options); }
ExecutorPtr make_pool(std::size_t workers) { return make_pool(issue3::unpinned(workers)); }

// The outer result, bounded: if the pool deadlocked (the bug these tests look
// for), the executor is leaked instead of joined, so the test fails instead of
// hanging in the executor's destructor.
// wait(first_completed) first: it never runs the task on this thread, as
// result() (and wait(all_completed)) would with caller_runs, so the outer task
// runs on a worker, which is what these tests are about.
template <class T>
T outer_result(ExecutorPtr& ex, const tpx::Future<T>& f) {
  try {
    (void)tpx::wait(std::vector<tpx::Future<T>>{f}, kGuard, tpx::ReturnWhen::first_completed);
    if constexpr (std::is_void_v<T>)
      f.result(kGuard);
    else
      return f.result(kGuard);
  } catch (const tpx::TimeoutError&) {
    (void)ex.release();  // deadlocked workers cannot be joined
    throw;
  }
}

int fib(tpx::ThreadPoolExecutor& ex, int n) {
  if (n < 2) return n;
  auto a = ex.submit([&ex, n] { return fib(ex, n - 1); });
  auto b = ex.submit([&ex, n] { return fib(ex, n - 2); });
  return a.result() + b.result();  // untimed: helping is what keeps this from deadlocking
}

}  // namespace

TEST_CASE("nested: recursive fib(20), each call submitting and waiting on its children, on 1 worker",
          "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  auto ex = make_pool(set.options(1));
  auto f = ex->submit([&e = *ex] { return fib(e, 20); });
  REQUIRE(outer_result(ex, f) == 6765);
}

TEST_CASE("nested: recursive fib(20), each call submitting and waiting on its children, on 2 workers",
          "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  auto ex = make_pool(set.options(2));
  auto f = ex->submit([&e = *ex] { return fib(e, 20); });
  REQUIRE(outer_result(ex, f) == 6765);
}

TEST_CASE("nested: recursive fib(24) on 1 worker does not exhaust the worker's stack", "[behaviour]") {
  // 75k tasks, each waiting on its children. Helping must not nest every
  // queued task on the waiting worker's stack: in the first implementation a
  // 1-worker fib(20) nests 10,946 tasks (~4 MiB of stack) and fib(22) crashes
  // with a stack overflow.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  auto ex = make_pool(set.options(1));
  auto f = ex->submit([&e = *ex] { return fib(e, 24); });
  REQUIRE(outer_result(ex, f) == 46368);
}

TEST_CASE("nested: submit-and-wait through result(timeout) and exception() on 1 worker", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  auto ex = make_pool(set.options(1));
  auto f = ex->submit([&e = *ex] {
    auto ok = e.submit([] { return 20; });
    auto bad = e.submit([]() -> int { throw std::runtime_error("child failed"); });
    auto ok_value = ok.result(kGuard);
    std::exception_ptr err = bad.exception();
    std::string message;
    try {
      std::rethrow_exception(err);
    } catch (const std::runtime_error& ex_) {
      message = ex_.what();
    }
    return std::to_string(ok_value) + " " + message;
  });
  REQUIRE(outer_result(ex, f) == "20 child failed");
}

TEST_CASE("nested: tpx::wait inside a task on 1 worker", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  auto ex = make_pool(set.options(1));
  SECTION("all_completed") {
    auto f = ex->submit([&e = *ex] {
      std::vector<tpx::Future<int>> children;
      for (int i = 1; i <= 5; ++i) children.push_back(e.submit([i] { return i; }));
      auto r = tpx::wait(children);
      int sum = 0;
      for (const auto& c : r.done) sum += c.result();
      return static_cast<int>(r.not_done.size()) * 1000 + sum;
    });
    REQUIRE(outer_result(ex, f) == 15);
  }
  SECTION("first_completed, then the rest with a timeout") {
    auto f = ex->submit([&e = *ex] {
      std::vector<tpx::Future<int>> children;
      for (int i = 1; i <= 5; ++i) children.push_back(e.submit([i] { return i; }));
      auto first = tpx::wait(children, tpx::ReturnWhen::first_completed);
      if (first.done.empty()) return -1;
      auto all = tpx::wait(children, kGuard);
      return static_cast<int>(all.done.size());
    });
    REQUIRE(outer_result(ex, f) == 5);
  }
  SECTION("first_exception") {
    auto f = ex->submit([&e = *ex] {
      std::vector<tpx::Future<int>> children;
      children.push_back(e.submit([] { return 1; }));
      children.push_back(e.submit([]() -> int { throw std::logic_error("x"); }));
      auto r = tpx::wait(children, tpx::ReturnWhen::first_exception);
      bool saw_failure = false;
      for (const auto& c : r.done) saw_failure = saw_failure || c.exception() != nullptr;
      return saw_failure;
    });
    REQUIRE(outer_result(ex, f));
  }
}

TEST_CASE("nested: iterating as_completed inside a task on 1 worker", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  auto ex = make_pool(set.options(1));
  const bool timed = GENERATE(false, true);
  CAPTURE(timed);
  auto f = ex->submit([&e = *ex, timed] {
    std::vector<tpx::Future<int>> children;
    for (int i = 1; i <= 6; ++i) children.push_back(e.submit([i] { return i * i; }));
    int sum = 0, count = 0;
    auto consume = [&](auto&& range) {
      for (const auto& c : range) {
        sum += c.result();
        ++count;
      }
    };
    if (timed)
      consume(tpx::as_completed(children, kGuard));
    else
      consume(tpx::as_completed(children));
    return count * 1000 + sum;
  });
  REQUIRE(outer_result(ex, f) == 6 * 1000 + 91);
}

TEST_CASE("nested: iterating a map range inside a task on 1 worker", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  auto ex = make_pool(set.options(1));
  const std::size_t chunksize = GENERATE(std::size_t{1}, std::size_t{4});
  CAPTURE(chunksize);
  auto f = ex->submit([&e = *ex, chunksize] {
    std::vector<int> in{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    std::vector<int> out;
    for (int v : e.map(tpx::MapOptions{.chunksize = chunksize}, [](int x) { return x * 2; }, in)) out.push_back(v);
    return out;
  });
  REQUIRE(outer_result(ex, f) == std::vector<int>{2, 4, 6, 8, 10, 12, 14, 16, 18, 20});
}

TEST_CASE("nested: a chain of 200 tasks, each waiting on the next, on 1 worker", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  auto ex = make_pool(set.options(1));
  std::function<int(int)> chain = [&](int depth) -> int {
    if (depth == 0) return 0;
    return ex->submit(chain, depth - 1).result() + 1;
  };
  auto f = ex->submit(chain, 200);
  REQUIRE(outer_result(ex, f) == 200);
}

TEST_CASE("nested: a waiting worker runs a task queued after it began waiting", "[behaviour]") {
  // The only worker waits on a Promise that only a task queued later completes.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  std::latch waiting(1);
  tpx::Promise<int> promise;
  auto ex = make_pool(set.options(1));
  auto waiter = ex->submit([&waiting, pf = promise.get_future()] {
    waiting.count_down();
    return pf.result(kGuard) + 1;
  });
  waiting.wait();
  auto completer = ex->submit([&promise] { promise.set_value(41); });
  REQUIRE(outer_result(ex, waiter) == 42);
  outer_result(ex, completer);
}

TEST_CASE("nested: a worker's timed wait on a future nobody completes still times out", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::Promise<int> never;
  auto ex = make_pool(set.options(1));
  auto f = ex->submit([nf = never.get_future()] {
    try {
      nf.result(kShort);
      return std::string("returned");
    } catch (const tpx::TimeoutError&) {
      return std::string("timed out");
    }
  });
  auto g = ex->submit([nf = never.get_future()] {
    std::vector<tpx::Future<int>> one{nf};
    try {
      for (const auto& x : tpx::as_completed(one, kShort)) (void)x;
      return std::string("returned");
    } catch (const tpx::TimeoutError&) {
      auto r = tpx::wait(one, kShort);
      return r.not_done.size() == 1 ? std::string("timed out") : std::string("wait returned it done");
    }
  });
  REQUIRE(outer_result(ex, f) == "timed out");
  REQUIRE(outer_result(ex, g) == "timed out");
}

TEST_CASE("nested: a worker waiting on another executor's future", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  auto ex1 = make_pool(set.options(1));
  auto ex2 = make_pool(set.options(1));
  auto f = ex1->submit([&e1 = *ex1, &e2 = *ex2] {
    auto other = e2.submit([&e1] { return e1.max_workers(); });
    auto own = e1.submit([] { return std::size_t{10}; });
    return other.result() + own.result();
  });
  REQUIRE(outer_result(ex1, f) == 11);
}

TEST_CASE("nested: fan-out of nested waits on small pools", "[stress]") {
  // Each of many outer tasks submits children that themselves submit and wait.
  const int outer = static_cast<int>(issue3::scaled(200));
  for (std::size_t workers : {std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
    CAPTURE(workers);
    auto ex = make_pool(workers);
    std::vector<tpx::Future<int>> tops;
    for (int i = 0; i < outer; ++i) {
      tops.push_back(ex->submit([&e = *ex, i] {
        std::vector<tpx::Future<int>> kids;
        for (int k = 0; k < 4; ++k)
          kids.push_back(e.submit([&e, i, k] { return e.submit([i, k] { return i + k; }).result(); }));
        int sum = 0;
        for (const auto& kid : tpx::as_completed(kids)) sum += kid.result();
        return sum;
      }));
    }
    long long total = 0, expected = 0;
    for (int i = 0; i < outer; ++i) {
      total += outer_result(ex, tops[static_cast<std::size_t>(i)]);
      expected += 4 * i + 6;
    }
    REQUIRE(total == expected);
  }
}
