// Nested waits [unit]: each waiting function called inside a task on one worker.
// Help while waiting: a worker that waits on a pending future (result,
// exception, wait, as_completed, map iteration) runs queued tasks of its own
// executor meanwhile, so nested submit-and-wait never deadlocks, even with one
// worker. (CPython's pool deadlocks here; tpx deliberately does not.)
#include <catch2/catch.hpp>

#include <cstddef>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/nested.hpp"
#include "support/option_sets.hpp"
#include "support/support.hpp"

using tpx_test::kHang;
using tpx_test::kShort;
using tpx_test::make_pool;
using tpx_test::outer_result;

TEST_CASE("nested: submit-and-wait through result(timeout) and exception() on 1 worker", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  auto ex = make_pool(set.options(1));
  auto f = ex->submit([&e = *ex] {
    auto ok = e.submit([] { return 20; });
    auto bad = e.submit([]() -> int { throw std::runtime_error("child failed"); });
    auto ok_value = ok.result(kHang);
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
      auto all = tpx::wait(children, kHang);
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
      consume(tpx::as_completed(children, kHang));
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
