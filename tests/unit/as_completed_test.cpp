// tpx::as_completed [unit]: futures already done, duplicates, zero timeouts, range kinds.
// Ported where meaningful from CPython's Lib/test/test_concurrent_futures/test_as_completed.py.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <initializer_list>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/option_sets.hpp"
#include "support/ranges.hpp"
#include "support/support.hpp"

using tpx_test::drain;
using tpx_test::futures_of;
using tpx_test::kHang;
using tpx_test::kShort;

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

TEST_CASE("as_completed: a future given several times is yielded once", "[unit]") {
  tpx::Promise<int> pa, pb, pc;
  auto a = pa.get_future(), b = pb.get_future(), c = pc.get_future();
  pa.set_value(1);
  std::vector<tpx::Future<int>> fs{a, a, b, a, c, b};

  auto ac = tpx::as_completed(fs, kHang);
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

TEST_CASE("as_completed: an empty (default-constructed) Future in the range is an InvalidStateError", "[unit]") {
  tpx::Promise<int> p;
  p.set_value(1);
  std::vector<tpx::Future<int>> fs{p.get_future(), tpx::Future<int>{}};
  REQUIRE_THROWS_AS(tpx::as_completed(fs), tpx::InvalidStateError);
  REQUIRE_THROWS_AS(tpx::as_completed(fs, kHang), tpx::InvalidStateError);
}

TEST_CASE("as_completed: a future that finished with an exception is yielded, not thrown", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  auto bad = ex.submit([]() -> int { throw std::out_of_range("bad"); });
  auto good = ex.submit([] { return 5; });
  std::vector<tpx::Future<int>> fs{bad, good};
  std::size_t count = 0, failures = 0;
  for (const auto& f : tpx::as_completed(fs, kHang)) {
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
    REQUIRE(drain(tpx::as_completed(v, kHang)) == expected);
  }
  SECTION("const vector") {
    const std::vector<tpx::Future<int>> v{f1, f2};
    REQUIRE(drain(tpx::as_completed(v)) == expected);
    REQUIRE(drain(tpx::as_completed(v, kHang)) == expected);
  }
  SECTION("rvalue vector, kept alive by the returned range") {
    auto ac = tpx::as_completed(std::vector<tpx::Future<int>>{f1, f2});
    auto ac_timed = tpx::as_completed(std::vector<tpx::Future<int>>{f1, f2}, kHang);
    REQUIRE(drain(ac) == expected);
    REQUIRE(drain(ac_timed) == expected);
  }
  SECTION("span") {
    std::vector<tpx::Future<int>> v{f1, f2};
    std::span<tpx::Future<int>> s(v);
    std::span<const tpx::Future<int>> cs(v);
    REQUIRE(drain(tpx::as_completed(s)) == expected);
    REQUIRE(drain(tpx::as_completed(cs, kHang)) == expected);
  }
  SECTION("named initializer_list") {
    std::initializer_list<tpx::Future<int>> il{f1, f2};
    REQUIRE(drain(tpx::as_completed(il)) == expected);
    REQUIRE(drain(tpx::as_completed(il, kHang)) == expected);
  }
  SECTION("braced list") {
    REQUIRE(drain(tpx::as_completed({f1, f2})) == expected);
    REQUIRE(drain(tpx::as_completed({f1, f2}, kHang)) == expected);
  }
}

TEST_CASE("as_completed: an empty range yields nothing, even with a zero timeout", "[unit]") {
  std::vector<tpx::Future<int>> none;
  REQUIRE(drain(tpx::as_completed(none)).empty());
  REQUIRE(drain(tpx::as_completed(none, std::chrono::seconds(0))).empty());
}
