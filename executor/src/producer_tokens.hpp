// producer_tokens.hpp (internal) — a moodycamel producer token per submitting
// thread, instead of the queue's implicit producers.
//
// A thread that is not a worker of the pool would enqueue through moodycamel's
// implicit producer: a lookup in a hash of thread ids on every enqueue, and a
// sub-queue per distinct thread that ever enqueued, never freed (1.0.3), that
// every failed dequeue and size_approx() walks from then on. Instead, each
// thread keeps, per pool it submits to (a few, most recent first), an
// explicit ProducerToken: a compare of a pool id on every enqueue. A token
// goes back to its pool when the thread exits, and the next thread that needs
// one takes it, so the queue holds as many producers as threads ever
// submitted *at once*, not in all.
//
// Lifetime: the tokens belong to the pool's ProducerTokens, which threads
// share (shared_ptr) with it. The pool destroys every token before its queue
// (close()); a thread that exits afterwards finds its pool closed and
// returns nothing. Pool ids are never reused, so a thread's entry for a dead
// pool is never mistaken for a live one.
#pragma once

#include <concurrentqueue/concurrentqueue.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "tpx/detail/task.hpp"

namespace tpx::detail {

class ProducerTokens {
 public:
  using Queue = moodycamel::ConcurrentQueue<Task>;

  explicit ProducerTokens(Queue& queue) : queue_(&queue) {}
  ProducerTokens(const ProducerTokens&) = delete;
  ProducerTokens& operator=(const ProducerTokens&) = delete;

  // A token for the calling thread: one a thread gave back, or a new one.
  // Null when the pool is closed or memory ran out (enqueue implicitly then).
  moodycamel::ProducerToken* acquire() noexcept;
  // A token from acquire(), no longer used by its thread (it exits, or made room).
  void give_back(moodycamel::ProducerToken* token) noexcept;
  // The pool goes: destroys every token while the queue still exists.
  void close() noexcept;
  // Tokens made so far (tests: threads that come and go reuse them).
  std::size_t made() noexcept;

 private:
  std::mutex mutex_;  // taken once per thread and pool, never per enqueue
  Queue* queue_;      // null once closed
  std::vector<std::unique_ptr<moodycamel::ProducerToken>> tokens_;
  std::vector<moodycamel::ProducerToken*> idle_;  // capacity >= tokens_.size(): give_back never allocates
};

// Which token the calling thread uses for which pool: the last kSlots pools
// it submitted to, most recent first. Gives its tokens back when the thread exits.
class ThreadProducers {
 public:
  static constexpr std::size_t kSlots = 4;

  ThreadProducers() = default;
  ThreadProducers(const ThreadProducers&) = delete;
  ThreadProducers& operator=(const ThreadProducers&) = delete;
  ~ThreadProducers();

  // This thread's token for the pool `pool_id` whose tokens are `tokens`;
  // null when none could be had.
  moodycamel::ProducerToken* get(std::uint64_t pool_id, const std::shared_ptr<ProducerTokens>& tokens) noexcept {
    if (slots_[0].pool_id == pool_id) return slots_[0].token;
    return find_or_install(pool_id, tokens);
  }

 private:
  struct Slot {
    std::uint64_t pool_id = 0;
    moodycamel::ProducerToken* token = nullptr;
    std::shared_ptr<ProducerTokens> tokens;
  };
  moodycamel::ProducerToken* find_or_install(std::uint64_t pool_id, const std::shared_ptr<ProducerTokens>& tokens) noexcept;

  Slot slots_[kSlots];
  bool retired_ = false;  // destroyed (the thread exits)
};

inline thread_local ThreadProducers t_thread_producers;

// A pool id never used before (ids start at 1; 0 marks an empty slot).
std::uint64_t new_pool_id() noexcept;

}  // namespace tpx::detail
