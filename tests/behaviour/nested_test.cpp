// Nested waits [behaviour]: recursion, chains and timeouts on small pools.
// Help while waiting: a worker that waits on a pending future (result,
// exception, wait, as_completed, map iteration) runs queued tasks of its own
// executor meanwhile, so nested submit-and-wait never deadlocks, even with one
// worker. (CPython's pool deadlocks here; tpx deliberately does not.)
#include <catch2/catch.hpp>

#include <functional>
#include <latch>

#include <tpx/tpx.hpp>

#include "support/nested.hpp"
#include "support/option_sets.hpp"
#include "support/support.hpp"

using tpx_test::kHang;
using tpx_test::make_pool;
using tpx_test::outer_result;

namespace {

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
    return pf.result(kHang) + 1;
  });
  waiting.wait();
  auto completer = ex->submit([&promise] { promise.set_value(41); });
  REQUIRE(outer_result(ex, waiter) == 42);
  outer_result(ex, completer);
}
