// tpx/detail/shared_state.hpp — the state a Future and its producer share.
//
// Lifecycle: a StateWord (see state_word.hpp) — one atomic word, also the futex.
//
// Done callbacks hang off a lock-free list (a push-only Treiber stack). The
// completer swaps in a `closed` sentinel and runs the detached list in the
// order the callbacks were added. A callback added to a state already done()
// or whose push finds `closed` runs at once, on the adding thread (so once
// result() has returned, an added callback has run when add returns, as in
// Python). Nodes are only ever removed by that one whole-list exchange, so
// there is no ABA. A callback added concurrently with completion runs exactly
// once: either its push precedes the exchange (the completer runs it) or it is
// never pushed (the adder runs it).
//
// A waiter that gives up (wait/as_completed returning with futures still
// pending) takes its node back off the list: remove_callback. Removal is the
// one operation on the list that is not lock-free: the remover sets kListLocked
// in the head word, unlinks, and stores the new head without it; pushers and
// the completer wait while the bit is set (a few pointer hops). So a node is
// either removed (its remover frees it) or taken by the completer (fired once),
// never both: the completer's detaching CAS cannot succeed while a remover
// holds the list, and a remover that finds `closed` removes nothing.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

#include "tpx/detail/deadline.hpp"
#include "tpx/detail/helper.hpp"
#include "tpx/detail/state_block.hpp"
#include "tpx/detail/state_word.hpp"

namespace tpx::detail {

class StateBase;

// What running a queued task did (for the pool's statistics).
enum class RunOutcome : std::uint8_t {
  completed,    // ran; its future holds a value
  failed,       // ran; its future holds an exception
  not_pending,  // not run here: cancelled, or claimed by a waiting thread first
};

// A done callback or a multi-future waiter, linked into a state's callback list.
class CallbackNode {
 public:
  CallbackNode* next = nullptr;
  // Runs once when the state completes (at once if it already had); owns the node from then on.
  virtual void fire(StateBase& state) noexcept = 0;
  // Called instead of fire() when the state is destroyed without ever completing.
  virtual void discard() noexcept = 0;

 protected:
  ~CallbackNode() = default;
};

class StateBase {
 public:
  StateBase() noexcept = default;
  StateBase(const StateBase&) = delete;
  StateBase& operator=(const StateBase&) = delete;

  // Every state lives in a recycled block (state_block.hpp): no malloc per
  // submit in steady state. The sized delete gets the most derived type's
  // size through the virtual destructor. Over-aligned states use the global
  // allocator.
  static void* operator new(std::size_t size) { return allocate_state_block(size); }
  static void operator delete(void* block, std::size_t size) noexcept { free_state_block(block, size); }
  static void* operator new(std::size_t size, std::align_val_t align) { return ::operator new(size, align); }
  static void operator delete(void* block, std::size_t /*size*/, std::align_val_t align) noexcept {
    ::operator delete(block, align);  // unsized: clang enables sized deallocation only with -fsized-deallocation
  }

  std::uint32_t phase() const noexcept { return word_.phase(); }
  bool done() const noexcept { return word_.done(); }
  bool cancelled() const noexcept { return phase() == StateWord::kCancelled; }
  bool running() const noexcept { return phase() == StateWord::kRunning; }

  // kPending -> kRunning: the caller may now set the value or error, then finish().
  bool try_start() noexcept { return word_.try_start(); }

  // Python semantics: true when pending (now cancelled) or already cancelled;
  // false once running or finished. Wakes waiters and runs callbacks.
  bool cancel() noexcept;

  // kRunning -> kFinished after the value or error was written; wakes and runs callbacks.
  void finish() noexcept;

  // kPending -> kFinished with `error` (a broken executor, a dropped promise).
  // False when the state was not pending.
  bool fail_if_pending(const std::exception_ptr& error) noexcept {
    if (!try_start()) return false;
    on_dropped();
    set_error(error);
    finish();
    return true;
  }

  void set_error(std::exception_ptr error) noexcept { error_ = std::move(error); }
  // Valid once done() was observed.
  const std::exception_ptr& error() const noexcept { return error_; }

  // Blocks until done or `deadline`; true when done. A worker of the executor
  // that owns this task, finding it still queued, claims it and runs it inline
  // (so nested submit-and-wait needs stack only for the recursion, not for
  // every queued task); otherwise it waits, helping with queued tasks.
  // A timed wait claims the task only before its deadline.
  bool wait_until(Clock::time_point deadline) noexcept {
    if ((deadline == kNoDeadline || Clock::now() < deadline) && try_run_inline()) return true;
    return word_.wait_until(deadline);
  }

  // On a worker of the owning executor (or any thread, with Options::caller_runs),
  // claims the still-queued task and runs it here; true only when this call
  // completed the state (ran it, or failed it because the pool is broken), so
  // the caller may read the result at once. False when the task was already
  // claimed elsewhere (it may still be running: the caller must wait on the
  // word) or there was nothing to claim.
  // A worker first takes the task back off its own deque when it is the
  // newest there (the common case: it waits for what it just submitted), so
  // no claimed husk stays queued for another worker to dequeue and free.
  bool try_run_inline() noexcept {
    if (owner_ == nullptr || done()) return false;
    // On a worker of the owner, the owner is alive: it claims and counts the run.
    if (owner_ == current_helper()) return owner_->run_inline(*this);
    // Another thread: the owner may be gone, so it is not consulted (see
    // Options::caller_runs on what that means for broken pools and shutdown).
    return caller_runs_ && run_inline_if_pending();
  }

  // A queued submit(): runs the task unless it was claimed or cancelled
  // meanwhile; completes the future with `reason` (cancelled when null) instead
  // when the pool drops it. The caller holds the queue's reference.
  virtual RunOutcome run_queued() noexcept { return RunOutcome::not_pending; }
  virtual void abandon_queued(const std::exception_ptr& reason) noexcept { static_cast<void>(reason); }

  // Claims (kPending -> kRunning) and runs the task on the calling thread;
  // false when it was no longer pending (or there is no task: a Promise).
  virtual bool run_inline_if_pending() noexcept { return false; }

  // The executor whose queue holds this task (null for a Promise's state).
  // Dereferenced only on a worker of that executor (which keeps it alive):
  // a future may outlive its executor.
  void set_owner(Helper* owner) noexcept {
    owner_ = owner;
    caller_runs_ = owner->caller_runs();
  }

  // Appends a callback node, or fires it now when the state is already done.
  void add_callback(CallbackNode* node) noexcept;
  // Takes `node` back off the list: true when it was there (the caller owns it
  // again); false when the completer has taken the list (the node fires, or fired).
  bool remove_callback(CallbackNode* node) noexcept;

  // Before the state is shared with another thread: `refs` references in all
  // (a plain store instead of an RMW per extra reference).
  void set_initial_refs(std::uint32_t refs) noexcept {
    refs_.store(refs, std::memory_order_relaxed);  // relaxed: no other thread knows the state yet
  }
  void add_ref() noexcept {
    // Relaxed: a new reference is made from an existing one, which keeps the state alive.
    refs_.fetch_add(1, std::memory_order_relaxed);
  }
  void release() noexcept {
    // Acq_rel: the last owner must see every other owner's writes before it deletes.
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

 protected:
  virtual ~StateBase();
  // The task will never run (cancelled, or failed before it started): drop the
  // callable and its arguments now rather than when the last Future goes.
  virtual void on_dropped() noexcept {}

 private:
  static CallbackNode* closed() noexcept { return reinterpret_cast<CallbackNode*>(std::uintptr_t{1}); }
  // Set in the head word while a remover walks the list (nodes are at least 4-byte aligned).
  static constexpr std::uintptr_t kListLocked = 2;
  static bool locked(CallbackNode* head) noexcept { return reinterpret_cast<std::uintptr_t>(head) & kListLocked; }
  static_assert(alignof(CallbackNode) > kListLocked, "the lock bit must not overlap a node address");
  void run_callbacks() noexcept;

  StateWord word_;
  std::atomic<std::uint32_t> refs_{1};
  Helper* owner_ = nullptr;  // written before the task is queued, then only read (compared, never followed)
  bool caller_runs_ = false;  // the owner's Options::caller_runs, copied
  std::atomic<CallbackNode*> callbacks_{nullptr};
  std::exception_ptr error_;
};

// The typed part: where the value lives. A reference result is stored as a pointer.
template <class T>
class SharedState : public StateBase {
 public:
  using Stored = std::conditional_t<std::is_reference_v<T>, std::remove_reference_t<T>*, T>;

  template <class... A>
  void emplace_value(A&&... a) {
    if constexpr (std::is_reference_v<T>)
      value_.emplace(std::addressof(a)...);
    else
      value_.emplace(std::forward<A>(a)...);
  }
  // Valid once done() was observed and error() is null.
  std::add_lvalue_reference_t<const T> value() const noexcept {
    if constexpr (std::is_reference_v<T>)
      return **value_;
    else
      return *value_;
  }

 private:
  std::optional<Stored> value_;
};

template <>
class SharedState<void> : public StateBase {
 public:
  void emplace_value() noexcept {}
  void value() const noexcept {}
};

}  // namespace tpx::detail
