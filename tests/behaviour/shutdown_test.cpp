// shutdown(wait, cancel_futures) [behaviour]: draining, cancelling, joining.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <latch>
#include <thread>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/held_pool.hpp"
#include "support/option_sets.hpp"
#include "support/support.hpp"

using namespace std::chrono_literals;
using tpx_test::kHang;

TEST_CASE("shutdown(wait) lets queued work finish, then joins", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  std::atomic<int> ran{0};
  tpx::ThreadPoolExecutor ex(set.options(2));
  std::vector<tpx::Future<void>> fs;
  for (int i = 0; i < 1000; ++i) fs.push_back(ex.submit([&] { ran.fetch_add(1); }));
  ex.shutdown(true);
  REQUIRE(ran.load() == 1000);  // nothing runs after shutdown(wait = true) returned
  for (auto& f : fs) REQUIRE(f.done());
}

TEST_CASE("shutdown(cancel_futures) cancels exactly the queued futures", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx_test::HeldPool held(set.options(1));  // the only worker runs `running` until released
  auto& ex = held.ex;
  auto& running = held.blocker;
  std::atomic<int> ran{0};
  std::vector<tpx::Future<void>> queued;
  for (int i = 0; i < 50; ++i) queued.push_back(ex.submit([&] { ran.fetch_add(1); }));

  // The worker is released only once shutdown has cancelled the queue (a
  // fixed delay let a slow machine release it first, and it ran them).
  std::thread releaser([&] {
    tpx_test::wait_each_done(queued);
    held.release();
  });
  ex.shutdown(/*wait=*/true, /*cancel_futures=*/true);
  releaser.join();

  REQUIRE_NOTHROW(running.result());  // the running one finished normally
  REQUIRE_FALSE(running.cancelled());
  for (auto& f : queued) REQUIRE(f.cancelled());
  REQUIRE(ran.load() == 0);
}

TEST_CASE("shutdown(wait = false) returns at once; work still completes", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(1));
  std::latch release(1);
  auto f = ex.submit([&] {
    release.wait();
    return 3;
  });
  ex.shutdown(/*wait=*/false);  // would hang here if it waited for the blocked task
  release.count_down();
  REQUIRE(f.result(kHang) == 3);
}

TEST_CASE("shutdown is safe twice and from several threads at once", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  std::atomic<int> ran{0};
  tpx::ThreadPoolExecutor ex(set.options(2));
  for (int i = 0; i < 200; ++i) ex.post([&] { ran.fetch_add(1); });
  std::vector<std::thread> closers;
  for (int i = 0; i < 4; ++i) closers.emplace_back([&] { ex.shutdown(true); });
  for (auto& t : closers) t.join();
  ex.shutdown(true);
  ex.shutdown(false, true);
  REQUIRE(ran.load() == 200);  // every shutdown(true) returned only after the work was done
}

TEST_CASE("shutdown(true) from a worker task returns; the pool winds down", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  std::atomic<int> after{0};
  {
    tpx::ThreadPoolExecutor ex(set.options(2));
    std::latch started(1);
    auto f = ex.submit([&] {
      started.count_down();
      ex.shutdown(true);  // must not join its own thread (or deadlock)
      return 1;
    });
    started.wait();  // on a worker: with caller_runs, result() would run a still-queued task here
    REQUIRE(f.result(kHang) == 1);
    REQUIRE_THROWS_AS(ex.submit([&] { after.fetch_add(1); }), tpx::ShutdownError);
  }  // the destructor joins
  REQUIRE(after.load() == 0);
}

TEST_CASE("callbacks fired by shutdown(cancel_futures) may call submit: ShutdownError, no deadlock",
          "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx_test::HeldPool held(set.options(1));
  auto& ex = held.ex;
  auto queued = ex.submit([] {});
  std::atomic<int> shutdown_errors{0};
  queued.add_done_callback([&](const tpx::Future<void>&) {
    try {
      ex.submit([] {});
    } catch (const tpx::ShutdownError&) {
      shutdown_errors.fetch_add(1);
    }
  });
  std::thread releaser([&] {  // as above: not before shutdown cancelled `queued`
    tpx_test::wait_each_done(std::vector{queued});
    held.release();
  });
  ex.shutdown(true, true);
  releaser.join();
  REQUIRE(queued.cancelled());
  REQUIRE(shutdown_errors.load() == 1);
}

TEST_CASE("the destructor waits for queued work", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  std::atomic<int> ran{0};
  {
    tpx::ThreadPoolExecutor ex(set.options(2));
    for (int i = 0; i < 500; ++i) ex.post([&] { ran.fetch_add(1); });
  }
  REQUIRE(ran.load() == 500);
}
