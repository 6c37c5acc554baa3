// MultiWaiter: as_completed / wait's one-waiter-many-futures parking.
#include "tpx/detail/multi_waiter.hpp"

#include <algorithm>

#include "tpx/detail/futex.hpp"
#include "tpx/detail/helper.hpp"

namespace tpx::detail {

class MultiWaiter::Node final : public CallbackNode {
 public:
  Node(MultiWaiter* owner, std::uint32_t index) noexcept : owner_(owner), index_(index) {}
  std::uint32_t index() const noexcept { return index_; }
  Node* ready_next = nullptr;

  void fire(StateBase&) noexcept override {
    MultiWaiter* owner = owner_;  // read before the push: afterwards the waiter may delete this node
    owner->push_ready(this);
    owner->release();
  }
  void discard() noexcept override {
    MultiWaiter* owner = owner_;
    delete this;
    owner->release();
  }

 private:
  MultiWaiter* owner_;
  std::uint32_t index_;
};

MultiWaiter::~MultiWaiter() {
  // Relaxed: the last release() (acq_rel) ordered every push before this.
  Node* node = ready_.load(std::memory_order_relaxed);
  while (node) delete std::exchange(node, node->ready_next);
}

void MultiWaiter::watch(StateBase& state, std::uint32_t index) {
  // Room first, before the node exists: nothing to undo if this throws.
  if (watched_.size() == watched_.capacity()) watched_.reserve(std::max<std::size_t>(8, 2 * watched_.size()));
  auto* node = new Node(this, index);
  refs_.fetch_add(1, std::memory_order_relaxed);  // relaxed: the caller's reference keeps us alive
  // Recorded before it is added: a node that fires at once is then only
  // compared by address in detach(), never followed (its state is done).
  watched_.push_back({&state, node});
  state.add_callback(node);
}

void MultiWaiter::detach() noexcept {
  for (const Watched& w : watched_) {
    if (!w.state->remove_callback(w.node)) continue;  // it fired or fires: the node is the completer's
    delete w.node;
    // Relaxed: never the last reference (the caller holds its own).
    refs_.fetch_sub(1, std::memory_order_relaxed);
  }
  watched_.clear();
}

void MultiWaiter::push_ready(Node* node) noexcept {
  // Seq_cst: the push and the parked_ load below are one side of the Dekker
  // pair described in the header (the waiter's store and check are the other).
  Node* head = ready_.load(std::memory_order_relaxed);  // relaxed: only a first guess for the CAS
  do {
    node->ready_next = head;
  } while (!ready_.compare_exchange_weak(head, node, std::memory_order_seq_cst, std::memory_order_relaxed));
  if (parked_.load(std::memory_order_seq_cst) != 0 && parked_.exchange(0, std::memory_order_seq_cst) != 0)
    futex_wake(parked_, 1);
}

bool MultiWaiter::take_ready(std::vector<std::uint32_t>& out) noexcept {
  // Acquire: pairs with the pushes' release, so the nodes' fields are readable.
  Node* list = ready_.exchange(nullptr, std::memory_order_acquire);
  if (!list) return false;
  const std::size_t first = out.size();
  for (Node* n = list; n; n = n->ready_next) out.push_back(n->index());
  std::reverse(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());  // newest first -> completion order
  while (list) delete std::exchange(list, list->ready_next);
  return true;
}

bool MultiWaiter::wait_until(Clock::time_point deadline) {
  Helper* const helper = current_helper();
  auto nap = std::chrono::nanoseconds(std::chrono::microseconds(50));
  for (;;) {
    if (ready_.load(std::memory_order_acquire)) return true;  // acquire: the taker reads the nodes
    if (helper && helper->run_one_queued(deadline)) continue;
    const auto now = Clock::now();
    if (deadline != kNoDeadline && now >= deadline) return false;
    parked_.store(1, std::memory_order_seq_cst);  // seq_cst: see the header's no-lost-wake-up argument
    if (ready_.load(std::memory_order_seq_cst)) {
      parked_.store(0, std::memory_order_relaxed);  // relaxed: only we read it as "parked" from here
      return true;
    }
    if (helper) {
      // A helping worker naps briefly and then looks at its queue again.
      auto budget = nap;
      if (deadline != kNoDeadline) budget = std::min<std::chrono::nanoseconds>(budget, deadline - now);
      futex_wait_for(parked_, 1, budget);
      nap = std::min<std::chrono::nanoseconds>(nap * 2, std::chrono::milliseconds(1));
    } else if (deadline == kNoDeadline) {
      futex_wait(parked_, 1);
    } else {
      futex_wait_for(parked_, 1, deadline - now);
    }
  }
}

void MultiWaiter::release() noexcept {
  // Acq_rel: the last owner sees every node's push before deleting.
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

}  // namespace tpx::detail
