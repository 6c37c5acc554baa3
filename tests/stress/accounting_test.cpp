// Exact accounting under load [stress]: every task runs exactly once, every
// future completes exactly once, every done callback is called exactly once.
// In tpx_reliability_tests (the reliability binary's serial [stress] run).
#include <catch2/catch.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/support.hpp"

using tpx_test::kHang;

namespace {

struct Counters {
  explicit Counters(std::size_t n) : ran(n), called(n) {}
  std::vector<std::atomic<std::uint32_t>> ran;
  std::vector<std::atomic<std::uint32_t>> called;
};

}  // namespace

TEST_CASE("many producers x many tasks: each task, future and callback exactly once", "[stress]") {
  const std::size_t producers = 4;
  const std::size_t per_producer = tpx_test::scaled(20000);
  const std::size_t total = producers * per_producer;
  std::uint64_t pushed = 0;
  std::uint64_t lost_or_duplicated = 0;

  tpx_test::Budget budget(200);
  while (budget.next()) {
    const std::size_t workers = 1 + budget.rounds() % 4;  // 1..4 workers, so parking paths vary
    tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = workers,
                                            .pinning = tpx::Pinning::none,
                                            .idle_spin = std::chrono::nanoseconds(budget.rounds() % 2 ? 0 : 20000),
                                            .idle_linger = std::chrono::nanoseconds(budget.rounds() % 3 ? 0 : 100000)});
    Counters c(total);
    std::vector<std::vector<tpx::Future<std::uint64_t>>> futures(producers);
    std::atomic<std::uint64_t> posted_ran{0};
    std::vector<std::thread> threads;
    for (std::size_t p = 0; p < producers; ++p) {
      threads.emplace_back([&, p] {
        auto& mine = futures[p];
        mine.reserve(per_producer);
        for (std::size_t i = 0; i < per_producer; ++i) {
          const std::size_t id = p * per_producer + i;
          if (i % 8 == 7) {
            // post(): no future; counted through ran only.
            ex.post([&c, &posted_ran, id] {
              c.ran[id].fetch_add(1, std::memory_order_relaxed);
              posted_ran.fetch_add(1, std::memory_order_relaxed);
            });
            c.called[id].fetch_add(1, std::memory_order_relaxed);  // posted tasks have no callback
            mine.emplace_back();
            continue;
          }
          auto f = ex.submit([&c, id] {
            c.ran[id].fetch_add(1, std::memory_order_relaxed);
            return std::uint64_t{id} * 3 + 1;
          });
          // Half the callbacks are added right away (racing with completion).
          if (i % 2 == 0) f.add_done_callback([&c, id](const tpx::Future<std::uint64_t>&) {
            c.called[id].fetch_add(1, std::memory_order_relaxed);
          });
          mine.push_back(std::move(f));
        }
      });
    }
    for (auto& t : threads) t.join();
    for (std::size_t p = 0; p < producers; ++p) {
      for (std::size_t i = 0; i < per_producer; ++i) {
        const std::size_t id = p * per_producer + i;
        auto& f = futures[p][i];
        if (!f.valid()) continue;
        REQUIRE(f.result(kHang) == std::uint64_t{id} * 3 + 1);
        if (i % 2 != 0)  // added after completion: runs at once on this thread
          f.add_done_callback([&c, id](const tpx::Future<std::uint64_t>&) {
            c.called[id].fetch_add(1, std::memory_order_relaxed);
          });
      }
    }
    ex.shutdown(true);  // posted tasks have no future: shutdown(wait) drains them
    for (std::size_t id = 0; id < total; ++id) {
      const auto r = c.ran[id].load(std::memory_order_relaxed);
      const auto k = c.called[id].load(std::memory_order_relaxed);
      if (r != 1 || k != 1) {
        ++lost_or_duplicated;
        INFO("task " << id << " ran " << r << " times, callback called " << k << " times");
        CHECK(r == 1);
        CHECK(k == 1);
      }
    }
    pushed += total;
  }
  WARN("stress: " << pushed << " tasks through " << budget.rounds() << " rounds, " << lost_or_duplicated
                  << " lost or duplicated");
  REQUIRE(lost_or_duplicated == 0);
}

TEST_CASE("nested submit-and-wait from inside tasks completes every level exactly once", "[stress]") {
  std::uint64_t pushed = 0;
  tpx_test::Budget budget(500);
  while (budget.next()) {
    tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 2, .pinning = tpx::Pinning::none});
    std::atomic<std::uint64_t> ran{0};
    const int fanout = 4;
    const int leaves = static_cast<int>(tpx_test::scaled(200));
    std::vector<tpx::Future<int>> roots;
    for (int r = 0; r < leaves; ++r) {
      roots.push_back(ex.submit([&ex, &ran] {
        ran.fetch_add(1, std::memory_order_relaxed);
        std::vector<tpx::Future<int>> kids;
        for (int k = 0; k < fanout; ++k)
          kids.push_back(ex.submit([&ran, k] {
            ran.fetch_add(1, std::memory_order_relaxed);
            return k;
          }));
        int sum = 0;
        for (auto& f : kids) sum += f.result();  // a worker waiting helps: no deadlock on 2 workers
        return sum;
      }));
    }
    for (auto& f : roots) REQUIRE(f.result(kHang) == 0 + 1 + 2 + 3);
    ex.shutdown(true);
    REQUIRE(ran.load() == static_cast<std::uint64_t>(leaves) * (1 + fanout));
    pushed += static_cast<std::uint64_t>(leaves) * (1 + fanout);
  }
  WARN("stress: " << pushed << " nested tasks through " << budget.rounds() << " rounds");
}
