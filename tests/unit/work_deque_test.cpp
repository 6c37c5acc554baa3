// WorkDeque [unit]: a worker's bounded Chase-Lev deque (owner LIFO, thieves FIFO).
#include <catch2/catch.hpp>

#include <cstddef>
#include <vector>

#include <tpx/tpx.hpp>

#include "work_deque.hpp"  // internal (executor/src), through tpx::internals

#include "support/support.hpp"

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
