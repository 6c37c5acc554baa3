// Bounded stress [stress]: many producers, every task counted exactly once;
// bursts that park and wake the workers.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/support.hpp"

using tpx_test::kHang;
using tpx_test::scaled;

TEST_CASE("8 producers x 200k tasks: every task runs exactly once", "[stress]") {
  const std::size_t producers = 8;
  const std::size_t per_producer = scaled(200'000);
  const std::size_t total = producers * per_producer;
  auto runs = std::make_unique<std::atomic<std::uint8_t>[]>(total);
  for (std::size_t i = 0; i < total; ++i) runs[i].store(0);
  std::atomic<std::size_t> completed_futures{0};
  {
    tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 2, .idle_spin = std::chrono::microseconds(5)});
    std::vector<std::thread> threads;
    for (std::size_t p = 0; p < producers; ++p)
      threads.emplace_back([&, p] {
        std::vector<tpx::Future<std::size_t>> fs;
        for (std::size_t i = 0; i < per_producer; ++i) {
          const std::size_t id = p * per_producer + i;
          if (i % 2 == 0) {
            ex.post([&runs, id] { runs[id].fetch_add(1, std::memory_order_relaxed); });
          } else {
            fs.push_back(ex.submit([&runs, id] {
              runs[id].fetch_add(1, std::memory_order_relaxed);
              return id;
            }));
          }
          // Wait for a window now and then, so futures are waited on while work flows.
          if (fs.size() == 512) {
            for (auto& f : fs)
              if (f.result(kHang) <= total) completed_futures.fetch_add(1);
            fs.clear();
          }
        }
        for (auto& f : fs)
          if (f.result(kHang) <= total) completed_futures.fetch_add(1);
      });
    for (auto& t : threads) t.join();
  }  // the destructor waits for the posted tasks
  std::size_t once = 0, other = 0;
  for (std::size_t i = 0; i < total; ++i) (runs[i].load() == 1 ? once : other) += 1;
  REQUIRE(other == 0);
  REQUIRE(once == total);
  REQUIRE(completed_futures.load() == total / 2);
}

TEST_CASE("bursts separated by idle gaps never strand a task (parking, waking)", "[stress]") {
  // Workers park between bursts (idle_spin and idle_linger 0): each burst must wake them.
  tpx::ThreadPoolExecutor ex(tpx::Options{
      .max_workers = 2, .idle_spin = std::chrono::nanoseconds(0), .idle_linger = std::chrono::nanoseconds(0)});
  const std::size_t rounds = scaled(2'000);
  std::atomic<std::size_t> ran{0};
  for (std::size_t r = 0; r < rounds; ++r) {
    const std::size_t burst = 1 + r % 7;
    std::vector<tpx::Future<void>> fs;
    for (std::size_t i = 0; i < burst; ++i) fs.push_back(ex.submit([&] { ran.fetch_add(1); }));
    for (auto& f : fs) f.result(kHang);  // a lost wake-up would time out here
    if (r % 64 == 0) std::this_thread::yield();
  }
  std::size_t expected = 0;
  for (std::size_t r = 0; r < rounds; ++r) expected += 1 + r % 7;
  REQUIRE(ran.load() == expected);
}
