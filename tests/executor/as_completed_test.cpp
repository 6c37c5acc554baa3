// tpx::as_completed: ordering, duplicates, timeouts, range kinds, mixed sources.
// Ported where meaningful from CPython's Lib/test/test_concurrent_futures/test_as_completed.py.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <numeric>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <tpx/tpx.hpp>

#include "issue3_util.hpp"
#include "option_sets.hpp"

using issue3::kGuard;
using issue3::kShort;

namespace {

// Drains `range`, returning the yielded futures; a TimeoutError ends the
// drain and is reported through `timeout_message`.
template <class Range>
auto drain(Range&& range, std::string* timeout_message = nullptr) {
  std::vector<std::remove_cvref_t<decltype(*range.begin())>> out;
  try {
    for (const auto& f : range) out.push_back(f);
  } catch (const tpx::TimeoutError& e) {
    if (timeout_message == nullptr) throw;
    *timeout_message = e.what();
  }
  return out;
}

std::vector<tpx::Future<int>> futures_of(std::vector<tpx::Promise<int>>& ps) {
  std::vector<tpx::Future<int>> fs;
  for (auto& p : ps) fs.push_back(p.get_future());
  return fs;
}

}  // namespace

TEST_CASE("as_completed: futures already done at the call come first, in input order", "[unit]") {
  std::vector<tpx::Promise<int>> ps(4);
  auto fs = futures_of(ps);
  ps[2].set_value(2);
  ps[0].set_value(0);

  auto ac = tpx::as_completed(fs);
  auto it = ac.begin();
  REQUIRE(*it == fs[0]);  // done ones in input order, not completion order
  ++it;
  REQUIRE(*it == fs[2]);
  ++it;
  // The rest in completion order.
  ps[3].set_value(3);
  REQUIRE(*it == fs[3]);
  ++it;
  ps[1].set_value(1);
  REQUIRE(*it == fs[1]);
  REQUIRE(it->result() == 1);
  ++it;
  REQUIRE(it == ac.end());
}

TEST_CASE("as_completed: pending futures are yielded in the order they complete", "[behaviour]") {
  constexpr std::size_t n = 64;
  std::vector<tpx::Promise<int>> ps(n);
  auto fs = futures_of(ps);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::shuffle(order.begin(), order.end(), std::mt19937(12345));

  auto ac = tpx::as_completed(fs, kGuard);
  // One thread completes them all in a known order, possibly while this thread
  // is parked, possibly before it looks: either way the order must hold.
  std::thread completer([&] {
    for (std::size_t i : order) ps[i].set_value(static_cast<int>(i));
  });
  std::vector<std::size_t> seen;
  try {
    for (const auto& f : ac) seen.push_back(static_cast<std::size_t>(f.result()));
  } catch (...) {
    completer.join();
    throw;
  }
  completer.join();
  REQUIRE(seen == order);
}

TEST_CASE("as_completed: a future given several times is yielded once", "[unit]") {
  tpx::Promise<int> pa, pb, pc;
  auto a = pa.get_future(), b = pb.get_future(), c = pc.get_future();
  pa.set_value(1);
  std::vector<tpx::Future<int>> fs{a, a, b, a, c, b};

  auto ac = tpx::as_completed(fs, kGuard);
  auto it = ac.begin();
  REQUIRE(*it == a);
  ++it;
  pc.set_value(3);
  REQUIRE(*it == c);
  ++it;
  pb.set_value(2);
  REQUIRE(*it == b);
  ++it;
  REQUIRE(it == ac.end());
}

TEST_CASE("as_completed: zero timeout yields the finished futures, then throws TimeoutError", "[unit]") {
  // CPython: test_zero_timeout.
  tpx::Promise<int> done1, done2, pending1, pending2;
  done1.set_value(1);
  done2.set_exception(std::make_exception_ptr(std::runtime_error("failed")));
  std::vector<tpx::Future<int>> fs{pending1.get_future(), done1.get_future(), pending2.get_future(),
                                   done2.get_future()};

  std::string message;
  auto yielded = drain(tpx::as_completed(fs, std::chrono::seconds(0)), &message);
  REQUIRE(yielded == std::vector<tpx::Future<int>>{fs[1], fs[3]});
  REQUIRE_THAT(message, Catch::Matchers::Contains("2 (of 4) futures unfinished"));
}

TEST_CASE("as_completed: timeout with partial completion throws after the finished ones", "[behaviour]") {
  // CPython: test_future_times_out. One future finished with a value, one with an
  // exception, one cancelled, two never finish.
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  issue3::HeldPool held(set.options(1));  // its only worker is busy (not helping) until released
  auto& ex = held.ex;
  auto blocker = held.blocker;
  auto queued = ex.submit([] {});
  REQUIRE(queued.cancel());

  tpx::Promise<void> ok, failed, never;
  ok.set_value();
  failed.set_exception(std::make_exception_ptr(std::runtime_error("x")));
  std::vector<tpx::Future<void>> fs{blocker, ok.get_future(), never.get_future(), failed.get_future(), queued};

  std::string message;
  auto yielded = drain(tpx::as_completed(fs, kShort), &message);
  held.release();
  REQUIRE(yielded == std::vector<tpx::Future<void>>{fs[1], fs[3], fs[4]});
  REQUIRE_THAT(message, Catch::Matchers::Contains("2 (of 5) futures unfinished"));
  REQUIRE_FALSE(never.get_future().done());
}

TEST_CASE("as_completed: the timeout message counts distinct futures", "[unit]") {
  tpx::Promise<int> pa, pb, pc;
  pc.set_value(0);
  auto a = pa.get_future(), b = pb.get_future(), c = pc.get_future();
  std::vector<tpx::Future<int>> fs{a, a, b, b, c, c, a};

  std::string message;
  auto yielded = drain(tpx::as_completed(fs, kShort), &message);
  REQUIRE(yielded == std::vector<tpx::Future<int>>{c});
  REQUIRE_THAT(message, Catch::Matchers::Contains("2 (of 3) futures unfinished"));
}

TEST_CASE("as_completed: the timeout is measured from the call, and completed futures still yield after it",
          "[behaviour]") {
  tpx::Promise<int> late, never;
  std::vector<tpx::Future<int>> fs{late.get_future(), never.get_future()};
  auto ac = tpx::as_completed(fs, kShort);
  late.set_value(7);                      // completes before the deadline is checked...
  std::this_thread::sleep_for(kShort * 3);  // ...which has surely passed by now
  auto it = ac.begin();
  REQUIRE(*it == fs[0]);  // done: yielded although the deadline passed
  REQUIRE(it->result() == 7);
  ++it;
  REQUIRE_THROWS_AS(*it, tpx::TimeoutError);  // still pending: the deadline (from the call) has passed
}

TEST_CASE("as_completed: cancelled futures count as completed", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  issue3::HeldPool held(set.options(1));  // its only worker is busy (not helping) until released
  auto& ex = held.ex;
  auto blocker = held.blocker;
  auto cancelled_before = ex.submit([] { return 1; });
  auto cancelled_during = ex.submit([] { return 2; });
  auto runs = ex.submit([] { return 3; });
  REQUIRE(cancelled_before.cancel());

  std::vector<tpx::Future<int>> fs{runs, cancelled_during, cancelled_before};
  auto ac = tpx::as_completed(fs, kGuard);
  auto it = ac.begin();
  REQUIRE(*it == cancelled_before);  // done (cancelled) at the call
  REQUIRE(it->cancelled());
  ++it;
  REQUIRE(cancelled_during.cancel());  // cancelled while as_completed watches it
  REQUIRE(*it == cancelled_during);
  REQUIRE(it->cancelled());
  ++it;
  held.release();
  REQUIRE(*it == runs);
  REQUIRE(it->result() == 3);
  ++it;
  REQUIRE(it == ac.end());
  blocker.result(kGuard);
}

TEST_CASE("as_completed: futures cancelled by shutdown(cancel_futures) are yielded as cancelled", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  issue3::HeldPool held(set.options(1));
  std::vector<tpx::Future<int>> fs;
  for (int i = 0; i < 5; ++i) fs.push_back(held.ex.submit([i] { return i; }));
  auto ac = tpx::as_completed(fs, kGuard);  // all pending at the call
  held.ex.shutdown(/*wait=*/false, /*cancel_futures=*/true);
  held.release();
  std::size_t count = 0;
  for (const auto& f : ac) {
    REQUIRE(f.cancelled());
    ++count;
  }
  REQUIRE(count == fs.size());
}

TEST_CASE("as_completed: an empty (default-constructed) Future in the range is an InvalidStateError", "[unit]") {
  tpx::Promise<int> p;
  p.set_value(1);
  std::vector<tpx::Future<int>> fs{p.get_future(), tpx::Future<int>{}};
  REQUIRE_THROWS_AS(tpx::as_completed(fs), tpx::InvalidStateError);
  REQUIRE_THROWS_AS(tpx::as_completed(fs, kGuard), tpx::InvalidStateError);
}

TEST_CASE("as_completed: a future that finished with an exception is yielded, not thrown", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  auto bad = ex.submit([]() -> int { throw std::out_of_range("bad"); });
  auto good = ex.submit([] { return 5; });
  std::vector<tpx::Future<int>> fs{bad, good};
  std::size_t count = 0, failures = 0;
  for (const auto& f : tpx::as_completed(fs, kGuard)) {
    ++count;
    if (f.exception()) {
      ++failures;
      REQUIRE_THROWS_AS(f.result(), std::out_of_range);
    } else {
      REQUIRE(f.result() == 5);
    }
  }
  REQUIRE(count == 2);
  REQUIRE(failures == 1);
}

TEST_CASE("as_completed: accepts vector, const vector, rvalue vector, span and initializer_list", "[unit]") {
  tpx::Promise<int> p1, p2;
  auto f1 = p1.get_future(), f2 = p2.get_future();
  p1.set_value(1);
  p2.set_value(2);
  const std::vector<tpx::Future<int>> expected{f1, f2};

  SECTION("vector") {
    std::vector<tpx::Future<int>> v{f1, f2};
    REQUIRE(drain(tpx::as_completed(v)) == expected);
    REQUIRE(drain(tpx::as_completed(v, kGuard)) == expected);
  }
  SECTION("const vector") {
    const std::vector<tpx::Future<int>> v{f1, f2};
    REQUIRE(drain(tpx::as_completed(v)) == expected);
    REQUIRE(drain(tpx::as_completed(v, kGuard)) == expected);
  }
  SECTION("rvalue vector, kept alive by the returned range") {
    auto ac = tpx::as_completed(std::vector<tpx::Future<int>>{f1, f2});
    auto ac_timed = tpx::as_completed(std::vector<tpx::Future<int>>{f1, f2}, kGuard);
    REQUIRE(drain(ac) == expected);
    REQUIRE(drain(ac_timed) == expected);
  }
  SECTION("span") {
    std::vector<tpx::Future<int>> v{f1, f2};
    std::span<tpx::Future<int>> s(v);
    std::span<const tpx::Future<int>> cs(v);
    REQUIRE(drain(tpx::as_completed(s)) == expected);
    REQUIRE(drain(tpx::as_completed(cs, kGuard)) == expected);
  }
  SECTION("named initializer_list") {
    std::initializer_list<tpx::Future<int>> il{f1, f2};
    REQUIRE(drain(tpx::as_completed(il)) == expected);
    REQUIRE(drain(tpx::as_completed(il, kGuard)) == expected);
  }
  SECTION("braced list") {
    REQUIRE(drain(tpx::as_completed({f1, f2})) == expected);
    REQUIRE(drain(tpx::as_completed({f1, f2}, kGuard)) == expected);
  }
}

TEST_CASE("as_completed: a pending rvalue range is kept alive until its futures complete", "[behaviour]") {
  tpx::Promise<int> p1, p2;
  auto ac = tpx::as_completed(std::vector<tpx::Future<int>>{p1.get_future(), p2.get_future()}, kGuard);
  std::thread completer([&] {
    p2.set_value(2);
    p1.set_value(1);
  });
  std::vector<int> values;
  try {
    for (const auto& f : ac) values.push_back(f.result());
  } catch (...) {
    completer.join();
    throw;
  }
  completer.join();
  REQUIRE(values == std::vector<int>{2, 1});
}

TEST_CASE("as_completed: an empty range yields nothing, even with a zero timeout", "[unit]") {
  std::vector<tpx::Future<int>> none;
  REQUIRE(drain(tpx::as_completed(none)).empty());
  REQUIRE(drain(tpx::as_completed(none, std::chrono::seconds(0))).empty());
}

TEST_CASE("as_completed: futures from two executors and from Promises", "[behaviour]") {
  // CPython: test_future_from_different_executors (and Promise-made futures).
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex1(set.options(1));
  tpx::ThreadPoolExecutor ex2(set.options(2));
  tpx::Promise<int> gate1, gate2;
  tpx::Promise<int> external;

  std::vector<tpx::Future<int>> fs;
  fs.push_back(ex1.submit([g = gate1.get_future()] { return g.result(kGuard) + 10; }));
  fs.push_back(ex2.submit([g = gate2.get_future()] { return g.result(kGuard) + 20; }));
  fs.push_back(external.get_future());
  fs.push_back(ex1.submit([] { return 40; }));
  fs.push_back(ex2.submit([] { return 50; }));

  std::thread opener([&] {
    gate2.set_value(0);
    external.set_value(30);
    gate1.set_value(0);
  });
  std::vector<int> values;
  try {
    for (const auto& f : tpx::as_completed(fs, kGuard)) {
      REQUIRE(f.done());
      values.push_back(f.result());
    }
  } catch (...) {
    opener.join();
    throw;
  }
  opener.join();
  std::sort(values.begin(), values.end());
  REQUIRE(values == std::vector<int>{10, 20, 30, 40, 50});
}

TEST_CASE("as_completed: each of many promises completed in random order is yielded exactly once", "[stress]") {
  // 100,000 futures (10,000 under a sanitizer), completed from another thread in
  // random order. Checks that each is yielded exactly once; a quadratic
  // implementation would take far longer than the stress test's timeout.
  const std::size_t n = issue3::scaled(100'000);
  std::vector<tpx::Promise<std::size_t>> ps(n);
  std::vector<tpx::Future<std::size_t>> fs;
  fs.reserve(n);
  for (auto& p : ps) fs.push_back(p.get_future());
  // A few already done at the call, and a few duplicates.
  for (std::size_t i = 0; i < n; i += 1000) ps[i].set_value(i);
  for (std::size_t i = 1; i < n; i += 997) fs.push_back(fs[i]);

  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < n; ++i)
    if (i % 1000 != 0) order.push_back(i);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(n));

  auto ac = tpx::as_completed(fs, std::chrono::seconds(120));
  std::thread completer([&] {
    for (std::size_t i : order) ps[i].set_value(i);
  });
  std::vector<unsigned char> seen(n, 0);
  std::size_t yielded = 0, twice = 0, wrong = 0;
  try {
    for (const auto& f : ac) {
      const std::size_t v = f.result();
      if (v >= n) {
        ++wrong;
        continue;
      }
      if (seen[v]++ != 0) ++twice;
      ++yielded;
    }
  } catch (...) {
    completer.join();
    throw;
  }
  completer.join();
  REQUIRE(wrong == 0);
  REQUIRE(twice == 0);
  REQUIRE(yielded == n);
}
