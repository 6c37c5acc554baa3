// Future [unit]: results, exceptions, arguments, copies, empty futures.
#include <catch2/catch.hpp>

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include <tpx/tpx.hpp>

#include "support/option_sets.hpp"
#include "support/support.hpp"

using tpx_test::kHang;

TEST_CASE("submit returns the task's value through result()", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  auto f = ex.submit([](int a, int b) { return a + b; }, 40, 2);
  REQUIRE(f.valid());
  REQUIRE(f.result(kHang) == 42);
  REQUIRE(f.done());
  REQUIRE_FALSE(f.cancelled());
  REQUIRE_FALSE(f.running());
  REQUIRE(f.exception() == nullptr);
}

TEST_CASE("submit works for void, move-only results, move-only arguments and callables", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  std::atomic<int> ran{0};
  tpx::Future<void> v = ex.submit([&] { ran.fetch_add(1); });
  v.result(kHang);
  REQUIRE(ran.load() == 1);

  auto up = ex.submit([] { return std::make_unique<int>(7); });
  REQUIRE(*up.result(kHang) == 7);

  auto arg = std::make_unique<std::string>("moved in");
  auto f = ex.submit([](std::unique_ptr<std::string> s) { return *s + "!"; }, std::move(arg));
  REQUIRE(f.result(kHang) == "moved in!");
  REQUIRE(arg == nullptr);

  auto owned = std::make_unique<int>(5);
  auto g = ex.submit([p = std::move(owned)] { return *p * 2; });
  REQUIRE(g.result(kHang) == 10);
}

TEST_CASE("submit decay-copies arguments; std::ref passes a reference", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(1));
  int outside = 1;
  ex.submit([](int& x) { x = 99; }, std::ref(outside)).result(kHang);
  REQUIRE(outside == 99);

  std::string s = "copy";
  auto f = ex.submit([](std::string t) { t += "!"; return t; }, s);
  REQUIRE(f.result(kHang) == "copy!");
  REQUIRE(s == "copy");
}

TEST_CASE("a task that returns a reference gives a Future<T&> to the same object", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(1));
  static int target = 3;
  tpx::Future<int&> f = ex.submit([]() -> int& { return target; });
  REQUIRE(&f.result(kHang) == &target);
}

TEST_CASE("result() rethrows the task's exception; exception() returns it", "[unit]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  auto f = ex.submit([]() -> int { throw std::runtime_error("boom"); });
  REQUIRE_THROWS_WITH(f.result(kHang), "boom");
  REQUIRE_THROWS_AS(f.result(), std::runtime_error);  // again: the exception is kept
  auto e = f.exception(kHang);
  REQUIRE(e != nullptr);
  REQUIRE_THROWS_WITH(std::rethrow_exception(e), "boom");
  REQUIRE(f.done());
  REQUIRE_FALSE(f.cancelled());
}

TEST_CASE("futures are copyable handles to one state; empty futures say so", "[unit]") {
  tpx::Promise<int> p;
  tpx::Future<int> a = p.get_future();
  tpx::Future<int> b = a;
  REQUIRE(a == b);
  tpx::Future<int> moved = std::move(b);
  REQUIRE_FALSE(b.valid());  // NOLINT: moved-from is documented as empty
  p.set_value(3);
  REQUIRE(moved.result() == 3);
  REQUIRE(a.result() == 3);

  tpx::Future<int> empty;
  REQUIRE_FALSE(empty.valid());
  REQUIRE_FALSE(empty.done());
  REQUIRE_THROWS_AS(empty.result(), tpx::InvalidStateError);
  REQUIRE_THROWS_AS(empty.cancel(), tpx::InvalidStateError);
}
