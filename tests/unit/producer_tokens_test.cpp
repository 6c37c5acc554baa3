// ProducerTokens / ThreadProducers [unit]: per-thread producer tokens (executor/src/producer_tokens.hpp).
#include <catch2/catch.hpp>

#include <memory>
#include <thread>
#include <vector>

#include <tpx/tpx.hpp>

#include "producer_tokens.hpp"  // internal (executor/src), through tpx::internals

#include "support/held_pool.hpp"
#include "support/support.hpp"

using tpx::detail::ProducerTokens;
using tpx::detail::Task;
using tpx::detail::ThreadProducers;

namespace {

// On a thread of its own: takes its token for (id, tokens), twice (the second
// time from its cache), and enqueues one task with it. (Catch2's REQUIRE is
// for the test's thread only: the thread reports, the test checks.)
bool enqueue_from_new_thread(ProducerTokens::Queue& queue, std::uint64_t id, const std::shared_ptr<ProducerTokens>& tokens,
                             int* ran) {
  bool ok = false;
  std::thread([&] {
    moodycamel::ProducerToken* token = tpx::detail::t_thread_producers.get(id, tokens);
    ok = token != nullptr && tpx::detail::t_thread_producers.get(id, tokens) == token &&
         queue.enqueue(*token, Task([ran] { ++*ran; }));
  }).join();
  return ok;
}

}  // namespace

TEST_CASE("threads that come and go reuse one token: the queue does not grow a producer per thread", "[unit]") {
  ProducerTokens::Queue queue;
  auto tokens = std::make_shared<ProducerTokens>(queue);
  const std::uint64_t id = tpx::detail::new_pool_id();
  int ran = 0;
  for (int i = 0; i < 100; ++i) REQUIRE(enqueue_from_new_thread(queue, id, tokens, &ran));
  REQUIRE(tokens->made() == 1);
  Task task;
  while (queue.try_dequeue(task)) task.run();
  REQUIRE(ran == 100);  // nothing a token enqueued is lost when its thread goes
  tokens->close();
}

TEST_CASE("a thread keeps a token per pool for its last few pools and gives back the oldest", "[unit]") {
  constexpr std::size_t kPools = ThreadProducers::kSlots + 2;
  std::vector<std::unique_ptr<ProducerTokens::Queue>> queues;
  std::vector<std::shared_ptr<ProducerTokens>> tokens;
  std::vector<std::uint64_t> ids;
  for (std::size_t i = 0; i < kPools; ++i) {
    queues.push_back(std::make_unique<ProducerTokens::Queue>());
    tokens.push_back(std::make_shared<ProducerTokens>(*queues.back()));
    ids.push_back(tpx::detail::new_pool_id());
  }
  int got = 0, other_got = 0;
  std::size_t made_first = 0, made_second = 0, made_last = 0;
  std::thread([&] {
    ThreadProducers mine;
    for (std::size_t i = 0; i < kPools; ++i) got += mine.get(ids[i], tokens[i]) != nullptr;
    // The first two were evicted: their tokens went back, so another thread reuses them.
    std::thread([&] {
      for (std::size_t i = 0; i < kPools; ++i) other_got += tpx::detail::t_thread_producers.get(ids[i], tokens[i]) != nullptr;
    }).join();
    made_first = tokens[0]->made();
    made_second = tokens[1]->made();
    made_last = tokens[kPools - 1]->made();
  }).join();
  REQUIRE(got == static_cast<int>(kPools));
  REQUIRE(other_got == static_cast<int>(kPools));
  REQUIRE(made_first == 1);
  REQUIRE(made_second == 1);
  REQUIRE(made_last == 2);  // still held by `mine` then: the other thread made its own
  for (auto& t : tokens) t->close();
}

TEST_CASE("a thread that exits after its pool closed gives nothing back and touches no queue", "[unit]") {
  auto queue = std::make_unique<ProducerTokens::Queue>();
  auto tokens = std::make_shared<ProducerTokens>(*queue);
  const std::uint64_t id = tpx::detail::new_pool_id();
  tpx_test::Gate has_token, closed;
  bool got = false;
  std::thread user([&] {
    got = tpx::detail::t_thread_producers.get(id, tokens) != nullptr;
    has_token.open();
    closed.wait();
  });
  has_token.wait();
  REQUIRE(got);
  tokens->close();   // the pool goes first: its tokens are destroyed with the queue still there
  queue.reset();     // then the queue (ASAN: a later touch of a producer would be a use after free)
  REQUIRE(tokens->acquire() == nullptr);  // closed: no new tokens either
  closed.open();
  user.join();       // the thread's exit gives back nothing
}

TEST_CASE("an executor fed by many short-lived threads runs every task", "[unit]") {
  tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 2, .pinning = tpx::Pinning::none});
  const int threads = static_cast<int>(tpx_test::scaled(200));
  std::vector<int> results(static_cast<std::size_t>(threads), 0);
  for (int i = 0; i < threads; ++i)
    std::thread([&ex, &results, i] { results[static_cast<std::size_t>(i)] = ex.submit([i] { return i; }).result(tpx_test::kHang); })
        .join();
  for (int i = 0; i < threads; ++i) REQUIRE(results[static_cast<std::size_t>(i)] == i);
}
