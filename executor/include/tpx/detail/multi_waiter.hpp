// tpx/detail/multi_waiter.hpp — one thread waiting for whichever of many futures completes first.
//
// The waiter hangs one node on each pending future (O(1) per future). When a
// future completes, its node pushes itself onto the waiter's ready stack and
// wakes the waiter if it is parked. When the wait ends, detach() takes every
// node not yet fired back off its future (StateBase::remove_callback), so a
// wait that returns leaves nothing behind, however often it is repeated on a
// future that stays pending (Python removes its waiter in a `finally`). A node
// the completer already took fires as usual and keeps the waiter alive (one
// reference per node) until it has pushed itself.
//
// No lost wake-up (all four operations seq_cst, so they are totally ordered):
//   waiter:    parked_ = 1; if ready_ is empty: futex_wait(parked_, 1)
//   completer: push onto ready_;  if parked_ == 1: parked_ = 0, FUTEX_WAKE
// Either the completer's push precedes the waiter's check (it sees the node),
// or the waiter's store precedes the completer's load (it sees 1 and wakes;
// the kernel's compare-and-sleep covers the window before futex_wait).
//
// Atom: the atomics seam, as in StateWord: compiled in the library for
// std::atomic; another Atom instantiates executor/src/multi_waiter_impl.hpp.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "tpx/detail/deadline.hpp"
#include "tpx/detail/shared_state.hpp"

namespace tpx::detail {

template <template <class> class Atom = std::atomic>
class BasicMultiWaiter {
 public:
  static BasicMultiWaiter* create() { return new BasicMultiWaiter; }

  // Room for `count` watch() calls; watch() itself then allocates only its node.
  void reserve(std::size_t count) { watched_.reserve(count); }
  // Hangs a node on `state` that reports `index` when it completes (at once if it already has).
  // `state` must outlive the next detach().
  void watch(StateBase& state, std::uint32_t index);
  // Takes every node that has not fired back off its future.
  void detach() noexcept;

  // Appends the indexes completed since the last call, in completion order;
  // false if none. Never allocates: `out` must have room for every index
  // still to come (its capacity at least the number of watched futures), so
  // no completion can be lost to a failed allocation.
  bool take_ready(std::vector<std::uint32_t>& out) noexcept;

  // Parks until some watched state completed, or `deadline`. False on timeout.
  // On a worker thread it runs queued tasks of its executor meanwhile.
  bool wait_until(Clock::time_point deadline);

  // Drops the caller's reference (the waiter is gone for it from now on).
  void release() noexcept;

 private:
  class Node;
  BasicMultiWaiter() = default;
  ~BasicMultiWaiter();
  void push_ready(Node* node) noexcept;

  Atom<Node*> ready_{nullptr};        // completed nodes, newest first
  Atom<std::uint32_t> parked_{0};     // futex word: 1 while the waiter may sleep
  Atom<std::uint32_t> refs_{1};       // the waiter's + one per node not yet fired
  struct Watched {
    StateBase* state;
    Node* node;
  };
  std::vector<Watched> watched_;  // the waiter's own: what detach() takes back
};

using MultiWaiter = BasicMultiWaiter<>;
extern template class BasicMultiWaiter<std::atomic>;

}  // namespace tpx::detail
