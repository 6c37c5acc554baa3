// Per-thread producer tokens (producer_tokens.hpp).
#include "producer_tokens.hpp"

#include <atomic>
#include <utility>

namespace tpx::detail {

moodycamel::ProducerToken* ProducerTokens::acquire() noexcept {
  std::lock_guard lock(mutex_);
  if (queue_ == nullptr) return nullptr;
  if (!idle_.empty()) {
    moodycamel::ProducerToken* token = idle_.back();
    idle_.pop_back();
    return token;
  }
  try {
    idle_.reserve(tokens_.size() + 1);  // so that give_back never allocates
    tokens_.reserve(tokens_.size() + 1);
    auto token = std::make_unique<moodycamel::ProducerToken>(*queue_);
    if (!token->valid()) return nullptr;  // the queue could not allocate a producer
    tokens_.push_back(std::move(token));  // reserved: cannot throw
    return tokens_.back().get();
  } catch (...) {
    return nullptr;  // out of memory: this enqueue goes through the implicit producer
  }
}

void ProducerTokens::give_back(moodycamel::ProducerToken* token) noexcept {
  std::lock_guard lock(mutex_);
  if (queue_ == nullptr) return;  // closed: the pool destroyed it already
  idle_.push_back(token);         // capacity reserved in acquire()
}

void ProducerTokens::close() noexcept {
  std::lock_guard lock(mutex_);
  idle_.clear();
  tokens_.clear();  // a token's destructor marks its producer inactive, in the queue
  queue_ = nullptr;
}

std::size_t ProducerTokens::made() noexcept {
  std::lock_guard lock(mutex_);
  return tokens_.size();
}

ThreadProducers::~ThreadProducers() {
  for (Slot& slot : slots_) {
    if (slot.token) slot.tokens->give_back(slot.token);
    slot = Slot{};
  }
  // A submit from a later thread_local destructor of this thread enqueues implicitly.
  retired_ = true;
}

moodycamel::ProducerToken* ThreadProducers::find_or_install(std::uint64_t pool_id,
                                                            const std::shared_ptr<ProducerTokens>& tokens) noexcept {
  // Found further down: move it to the front (most recent first).
  for (std::size_t i = 1; i < kSlots; ++i) {
    if (slots_[i].pool_id != pool_id) continue;
    Slot found = std::move(slots_[i]);
    for (std::size_t j = i; j > 0; --j) slots_[j] = std::move(slots_[j - 1]);
    slots_[0] = std::move(found);
    return slots_[0].token;
  }
  if (retired_) return nullptr;
  moodycamel::ProducerToken* token = tokens->acquire();
  if (token == nullptr) return nullptr;  // try again next time
  // The least recent slot makes room: its token goes back to its pool.
  Slot& last = slots_[kSlots - 1];
  if (last.token) last.tokens->give_back(last.token);
  for (std::size_t j = kSlots - 1; j > 0; --j) slots_[j] = std::move(slots_[j - 1]);
  slots_[0].pool_id = pool_id;
  slots_[0].token = token;
  slots_[0].tokens = tokens;  // copies a shared_ptr: cannot throw
  return token;
}

std::uint64_t new_pool_id() noexcept {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);  // relaxed: only uniqueness matters
}

}  // namespace tpx::detail
