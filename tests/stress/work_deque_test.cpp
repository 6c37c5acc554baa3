// WorkDeque [stress]: the owner and thieves racing.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

#include <tpx/tpx.hpp>

#include "work_deque.hpp"  // internal (executor/src), through tpx::internals

#include "support/support.hpp"

namespace {

struct Item {
  int id = 0;
};

}  // namespace

TEST_CASE("owner and thieves racing take every element exactly once", "[stress]") {
  // Bounded: a fixed number of elements; the owner pushes in bursts and pops
  // between them, two thieves steal until the owner is done and all is taken.
  constexpr int kThieves = 2;
  const int total = static_cast<int>(tpx_test::scaled(200'000));
  std::vector<Item> items(static_cast<std::size_t>(total));
  for (int i = 0; i < total; ++i) items[static_cast<std::size_t>(i)].id = i;
  std::vector<std::atomic<int>> taken(static_cast<std::size_t>(total));
  tpx::detail::WorkDeque<Item, 64> deque;
  std::atomic<bool> owner_done{false};
  std::atomic<int> count{0};
  auto take = [&](Item* x) {
    taken[static_cast<std::size_t>(x->id)].fetch_add(1, std::memory_order_relaxed);
    count.fetch_add(1, std::memory_order_relaxed);
  };
  std::vector<std::thread> thieves;
  for (int t = 0; t < kThieves; ++t)
    thieves.emplace_back([&] {
      for (;;) {
        if (Item* x = deque.steal()) {
          take(x);
        } else if (owner_done.load(std::memory_order_acquire)) {
          if (!deque.maybe_nonempty()) return;
        } else {
          std::this_thread::yield();
        }
      }
    });
  int next = 0;
  while (next < total) {
    for (int k = 0; k < 5 && next < total; ++k) {
      if (deque.push(&items[static_cast<std::size_t>(next)]))
        ++next;
      else if (Item* x = deque.pop())
        take(x);
    }
    if (Item* x = deque.pop()) take(x);
  }
  while (Item* x = deque.pop()) take(x);
  owner_done.store(true, std::memory_order_release);
  for (auto& t : thieves) t.join();
  REQUIRE(count.load() == total);
  int wrong = 0;
  for (auto& n : taken) wrong += n.load() != 1;
  REQUIRE(wrong == 0);
}
