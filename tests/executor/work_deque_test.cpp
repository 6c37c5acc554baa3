// WorkDeque: a worker's bounded Chase-Lev deque (owner LIFO, thieves FIFO),
// and what the executor builds on it: nested submissions stay on the
// submitting worker and are stolen by idle ones.
#include <catch2/catch.hpp>
#include <tpx/tpx.hpp>

#include <atomic>
#include <cstdint>
#include <latch>
#include <thread>
#include <vector>

#include "work_deque.hpp"  // internal (executor/src), through tpx::internals

#include "test_util.hpp"

using tpx_test::kHang;

namespace {
struct Item {
  int id = 0;
};
}  // namespace

TEST_CASE("the owner pops newest first, thieves steal oldest first", "[unit]") {
  tpx::detail::WorkDeque<Item, 8> deque;
  Item items[3] = {{0}, {1}, {2}};
  for (auto& item : items) REQUIRE(deque.push(&item));
  REQUIRE(deque.maybe_nonempty());
  REQUIRE(deque.steal() == &items[0]);
  REQUIRE(deque.pop() == &items[2]);
  REQUIRE(deque.pop() == &items[1]);
  REQUIRE(deque.pop() == nullptr);
  REQUIRE(deque.steal() == nullptr);
  REQUIRE_FALSE(deque.maybe_nonempty());
}

TEST_CASE("a full deque refuses a push and keeps what it holds", "[unit]") {
  tpx::detail::WorkDeque<Item, 4> deque;
  std::vector<Item> items(5);
  for (int i = 0; i < 4; ++i) REQUIRE(deque.push(&items[static_cast<std::size_t>(i)]));
  REQUIRE_FALSE(deque.push(&items[4]));
  REQUIRE(deque.steal() == &items[0]);  // room again: the ring wraps
  REQUIRE(deque.push(&items[4]));
  for (int i = 4; i >= 1; --i) REQUIRE(deque.pop() == &items[static_cast<std::size_t>(i)]);
  REQUIRE(deque.pop() == nullptr);
}

TEST_CASE("pop_if_newest takes only the newest element", "[unit]") {
  tpx::detail::WorkDeque<Item, 8> deque;
  Item a{1}, b{2};
  REQUIRE_FALSE(deque.pop_if_newest(&a));  // empty
  REQUIRE(deque.push(&a));
  REQUIRE(deque.push(&b));
  REQUIRE_FALSE(deque.pop_if_newest(&a));  // b sits above it
  REQUIRE(deque.pop_if_newest(&b));
  REQUIRE(deque.pop_if_newest(&a));
  REQUIRE_FALSE(deque.maybe_nonempty());
}

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

TEST_CASE("a task submitted from a worker is stolen by an idle worker", "[behaviour]") {
  // The outer task blocks (without helping) until the inner one has run: only
  // another worker stealing from the outer worker's deque can run it.
  tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 2, .pinning = tpx::Pinning::none});
  std::latch inner_ran(1);
  std::thread::id outer_id, inner_id;
  auto outer = ex.submit([&] {
    outer_id = std::this_thread::get_id();
    auto inner = ex.submit([&] {
      inner_id = std::this_thread::get_id();
      inner_ran.count_down();
    });
    inner_ran.wait();
    return inner;
  });
  auto inner = outer.result(kHang);
  inner.result(kHang);
  REQUIRE(inner_id != outer_id);
}

TEST_CASE("a worker waiting on its own nested submissions runs them itself, deep recursion included",
          "[behaviour]") {
  tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 2, .pinning = tpx::Pinning::none});
  // Deeper than the deque (256): the overflow goes to the shared queue.
  struct Fib {
    tpx::ThreadPoolExecutor& ex;
    std::int64_t operator()(int n) const {
      if (n < 2) return n;
      auto left = ex.submit(*this, n - 1);
      const std::int64_t right = (*this)(n - 2);
      return left.result(kHang) + right;
    }
  };
  REQUIRE(ex.submit(Fib{ex}, 20).result(kHang) == 6765);
  struct Chain {
    tpx::ThreadPoolExecutor& ex;
    int operator()(int n) const { return n == 0 ? 0 : 1 + ex.submit(*this, n - 1).result(kHang); }
  };
  REQUIRE(ex.submit(Chain{ex}, 400).result(kHang) == 400);
}

TEST_CASE("shutdown(cancel_futures) cancels tasks waiting in a worker's deque", "[behaviour]") {
  tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 1, .pinning = tpx::Pinning::none});
  std::latch submitted(1), release(1);
  std::vector<tpx::Future<int>> inner;
  auto outer = ex.submit([&] {
    for (int i = 0; i < 10; ++i) inner.push_back(ex.submit([i] { return i; }));
    submitted.count_down();
    release.wait();  // the only worker is busy: the inner tasks stay queued
  });
  submitted.wait();
  std::thread stopper([&] { ex.shutdown(true, true); });
  // shutdown() cancels the queued tasks before it joins; give it until every
  // inner future is cancelled, then let the outer task end. (Releasing it
  // after the first only would race the drain: the worker, back from the
  // outer task, may pop and run the newest ones before the drain reaches them,
  // which is allowed: they started before they were cancelled.)
  const auto all_cancelled = [&] {
    for (auto& f : inner)
      if (!f.cancelled()) return false;
    return true;
  };
  for (auto start = std::chrono::steady_clock::now(); !all_cancelled();) {
    REQUIRE(std::chrono::steady_clock::now() - start < kHang);
    std::this_thread::yield();
  }
  release.count_down();
  stopper.join();
  outer.result(kHang);
  for (auto& f : inner) REQUIRE(f.cancelled());
}
