// multi_waiter_impl.hpp (internal) — BasicMultiWaiter's members: as_completed
// and wait's one-waiter-many-futures parking. Compiled for std::atomic in
// multi_waiter.cpp; include this for another Atom.
#pragma once

#include <algorithm>
#include <optional>
#include <utility>

#include "futex.hpp"
#include "tpx/detail/helper.hpp"
#include "tpx/detail/multi_waiter.hpp"
#include "wait_on_word.hpp"

namespace tpx::detail {

template <template <class> class Atom>
class BasicMultiWaiter<Atom>::Node final : public CallbackNode {
 public:
  Node(BasicMultiWaiter* owner, std::uint32_t index) noexcept : owner_(owner), index_(index) {}
  std::uint32_t index() const noexcept { return index_; }
  Node* ready_next = nullptr;

  void fire(StateBase&) noexcept override {
    BasicMultiWaiter* owner = owner_;  // read before the push: afterwards the waiter may delete this node
    owner->push_ready(this);
    owner->release();
  }
  void discard() noexcept override {
    BasicMultiWaiter* owner = owner_;
    delete this;
    owner->release();
  }

 private:
  BasicMultiWaiter* owner_;
  std::uint32_t index_;
};

template <template <class> class Atom>
BasicMultiWaiter<Atom>::~BasicMultiWaiter() {
  // Relaxed: the last release() (acq_rel) ordered every push before this.
  Node* node = ready_.load(std::memory_order_relaxed);
  while (node) delete std::exchange(node, node->ready_next);
}

template <template <class> class Atom>
void BasicMultiWaiter<Atom>::watch(StateBase& state, std::uint32_t index) {
  // Room first, before the node exists: nothing to undo if this throws.
  if (watched_.size() == watched_.capacity()) watched_.reserve(std::max<std::size_t>(8, 2 * watched_.size()));
  auto* node = new Node(this, index);
  refs_.fetch_add(1, std::memory_order_relaxed);  // relaxed: the caller's reference keeps us alive
  // Recorded before it is added: a node that fires at once is then only
  // compared by address in detach(), never followed (its state is done).
  watched_.push_back({&state, node});
  state.add_callback(node);
}

template <template <class> class Atom>
void BasicMultiWaiter<Atom>::detach() noexcept {
  for (const Watched& w : watched_) {
    if (!w.state->remove_callback(w.node)) continue;  // it fired or fires: the node is the completer's
    delete w.node;
    // Relaxed: never the last reference (the caller holds its own).
    refs_.fetch_sub(1, std::memory_order_relaxed);
  }
  watched_.clear();
}

template <template <class> class Atom>
void BasicMultiWaiter<Atom>::push_ready(Node* node) noexcept {
  // Seq_cst: the push and the parked_ load below are one side of the Dekker
  // pair described in the header (the waiter's store and check are the other).
  Node* head = ready_.load(std::memory_order_relaxed);  // relaxed: only a first guess for the CAS
  do {
    node->ready_next = head;
  } while (!ready_.compare_exchange_weak(head, node, std::memory_order_seq_cst, std::memory_order_relaxed));
  if (parked_.load(std::memory_order_seq_cst) != 0 && parked_.exchange(0, std::memory_order_seq_cst) != 0)
    futex_wake(parked_, 1);
}

template <template <class> class Atom>
bool BasicMultiWaiter<Atom>::take_ready(std::vector<std::uint32_t>& out) noexcept {
  // Acquire: pairs with the pushes' release, so the nodes' fields are readable.
  Node* list = ready_.exchange(nullptr, std::memory_order_acquire);
  if (!list) return false;
  const std::size_t first = out.size();
  for (Node* n = list; n; n = n->ready_next) out.push_back(n->index());
  std::reverse(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());  // newest first -> completion order
  while (list) delete std::exchange(list, list->ready_next);
  return true;
}

template <template <class> class Atom>
bool BasicMultiWaiter<Atom>::wait_until(Clock::time_point deadline) {
  struct Waiting {
    BasicMultiWaiter& self;
    bool ready() const noexcept {
      return self.ready_.load(std::memory_order_acquire) != nullptr;  // acquire: the taker reads the nodes
    }
    // No lost wake-up: the Dekker pair of the header. parked_ = 1, then the
    // re-check of ready_ (both seq_cst) against the completer's push, then its
    // load of parked_ (both seq_cst): one of the two sees the other's store.
    std::optional<std::uint32_t> arm() noexcept {
      self.parked_.store(1, std::memory_order_seq_cst);
      if (self.ready_.load(std::memory_order_seq_cst) != nullptr) {
        self.parked_.store(0, std::memory_order_relaxed);  // relaxed: only we read it as "parked" from here
        return std::nullopt;
      }
      return 1;
    }
    Atom<std::uint32_t>& word() noexcept { return self.parked_; }
  } waiting{*this};
  return wait_on_word(waiting, deadline, current_helper());
}

template <template <class> class Atom>
void BasicMultiWaiter<Atom>::release() noexcept {
  // Acq_rel: the last owner sees every node's push before deleting.
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

}  // namespace tpx::detail
