// Idle workers: idle_spin, idle_linger, parking [behaviour].
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include <tpx/tpx.hpp>

#include "support/support.hpp"

namespace {

// Polls stats() until `parked` workers are parked; false after kHang.
bool until_parked(const tpx::ThreadPoolExecutor& ex, std::size_t parked) {
  const auto give_up = std::chrono::steady_clock::now() + tpx_test::kHang;
  while (ex.stats().parked_workers != parked) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace

// These tests build their own Options: they are about the idle options themselves.

TEST_CASE("idle_linger: one worker stays awake after the last task, the others park", "[behaviour]") {
  tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 3,
                                          .pinning = tpx::Pinning::none,
                                          .idle_spin = std::chrono::nanoseconds(0),
                                          .idle_linger = std::chrono::hours(1)});
  REQUIRE(ex.submit([] { return 1; }).result(tpx_test::kHang) == 1);
  REQUIRE(until_parked(ex, 2));
  // The lingering one is searching, never counted as parked, for the hour.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(ex.stats().parked_workers == 2);
  // It takes the next task without a wake-up, and shutdown stops it at once.
  REQUIRE(ex.submit([] { return 2; }).result(tpx_test::kHang) == 2);
  const auto start = std::chrono::steady_clock::now();
  ex.shutdown(true);
  REQUIRE(std::chrono::steady_clock::now() - start < tpx_test::kHang);
}

TEST_CASE("idle_linger 0 and idle_spin 0: every idle worker parks", "[behaviour]") {
  tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 2,
                                          .pinning = tpx::Pinning::none,
                                          .idle_spin = std::chrono::nanoseconds(0),
                                          .idle_linger = std::chrono::nanoseconds(0)});
  REQUIRE(ex.submit([] { return 1; }).result(tpx_test::kHang) == 1);
  REQUIRE(until_parked(ex, 2));
  REQUIRE(ex.submit([] { return 2; }).result(tpx_test::kHang) == 2);  // and wakes for the next task
}

TEST_CASE("idle_linger runs out: the lingering worker parks too", "[behaviour]") {
  tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 2,
                                          .pinning = tpx::Pinning::none,
                                          .idle_spin = std::chrono::microseconds(10),
                                          .idle_linger = std::chrono::milliseconds(5)});
  for (int round = 0; round < 3; ++round) {
    REQUIRE(ex.submit([round] { return round; }).result(tpx_test::kHang) == round);
    REQUIRE(until_parked(ex, 2));  // a pool with nothing to do uses no CPU
  }
}
