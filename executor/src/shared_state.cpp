// Completion, cancellation and done callbacks of a future's shared state.
#include "tpx/detail/shared_state.hpp"

#include "spin.hpp"

namespace tpx::detail {

StateBase::~StateBase() {
  // Relaxed: the last release() (acq_rel) already ordered every owner's writes before us.
  CallbackNode* node = callbacks_.load(std::memory_order_relaxed);
  if (node == closed()) return;
  while (node) {
    CallbackNode* next = node->next;
    node->discard();
    node = next;
  }
}

bool StateBase::cancel() noexcept {
  std::uint32_t old_word = 0;
  const std::uint32_t seen = word_.try_cancel(old_word);
  if (seen == StateWord::kCancelled) return true;
  if (seen != StateWord::kPending) return false;
  on_dropped();
  word_.wake_if(old_word);
  run_callbacks();
  return true;
}

void StateBase::finish() noexcept {
  word_.wake_if(word_.complete(StateWord::kFinished));
  run_callbacks();
}

void StateBase::add_callback(CallbackNode* node) noexcept {
  // A state already done runs the callback now, on this thread, even when the
  // completer has not yet detached its list: whoever saw done() (result()
  // returned) relies on a callback added afterwards having run on return, as
  // in Python. done() loads with acquire, so the value or error is visible.
  // Callbacks pushed before completion still run on the completer; nothing is
  // on both paths, because this node is never pushed.
  if (done()) {
    node->fire(*this);
    return;
  }
  // Acquire: if we see `closed`, the completion (value, error) is visible to the callback.
  CallbackNode* head = callbacks_.load(std::memory_order_acquire);
  Backoff backoff;
  for (;;) {
    if (head == closed()) {
      node->fire(*this);
      return;
    }
    if (locked(head)) {  // a remover walks the list: wait for its unlocking store
      backoff.pause();
      head = callbacks_.load(std::memory_order_acquire);  // acquire: as above
      continue;
    }
    node->next = head;
    // Release: the completer that takes the list sees the node's contents.
    if (callbacks_.compare_exchange_weak(head, node, std::memory_order_release, std::memory_order_acquire)) return;
  }
}

bool StateBase::remove_callback(CallbackNode* node) noexcept {
  CallbackNode* head = callbacks_.load(std::memory_order_relaxed);  // relaxed: only a first guess for the CAS
  Backoff backoff;
  for (;;) {
    if (head == closed() || head == nullptr) return false;  // taken by the completer (or never pushed)
    if (locked(head)) {  // another remover
      backoff.pause();
      head = callbacks_.load(std::memory_order_relaxed);  // relaxed: as above
      continue;
    }
    const auto held = reinterpret_cast<CallbackNode*>(reinterpret_cast<std::uintptr_t>(head) | kListLocked);
    // Acquire: the pushed nodes' next pointers are readable; we walk them next.
    if (callbacks_.compare_exchange_weak(head, held, std::memory_order_acquire, std::memory_order_relaxed)) break;
  }
  // The list is ours until the store below: nobody pushes, detaches or removes.
  CallbackNode* new_head = head;
  bool found = false;
  if (head == node) {
    new_head = node->next;
    found = true;
  } else {
    for (CallbackNode* prev = head; prev->next; prev = prev->next) {
      if (prev->next == node) {
        prev->next = node->next;
        found = true;
        break;
      }
    }
  }
  // Release: the unlinking is visible to whoever takes the list next.
  callbacks_.store(new_head, std::memory_order_release);
  return found;
}

void StateBase::run_callbacks() noexcept {
  // Acq_rel: acquire the pushed nodes' contents; release our completion to
  // late adders that will see `closed` and fire on their own thread. Not
  // while a remover holds the list (see shared_state.hpp).
  CallbackNode* list = callbacks_.load(std::memory_order_relaxed);  // relaxed: only a first guess for the CAS
  Backoff backoff;
  for (;;) {
    if (locked(list)) {
      backoff.pause();
      list = callbacks_.load(std::memory_order_relaxed);  // relaxed: as above
      continue;
    }
    if (callbacks_.compare_exchange_weak(list, closed(), std::memory_order_acq_rel, std::memory_order_relaxed)) break;
  }
  // The stack holds newest first; callbacks run in the order they were added.
  CallbackNode* ordered = nullptr;
  while (list) {
    CallbackNode* next = list->next;
    list->next = ordered;
    ordered = list;
    list = next;
  }
  while (ordered) {
    CallbackNode* next = ordered->next;
    ordered->fire(*this);  // takes ownership of the node
    ordered = next;
  }
}

}  // namespace tpx::detail
