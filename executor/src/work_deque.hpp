// work_deque.hpp (internal) — a worker's own bounded work-stealing deque.
//
// Chase-Lev, in the C11 formulation of Lê, Pop, Cohen and Zappa Nardelli
// ("Correct and Efficient Work-Stealing for Weak Memory Models", PPoPP 2013),
// with a fixed ring and no growth: push() fails when full and the caller falls
// back to the shared queue, so the hot path never allocates.
//
// The owner pushes and pops at the bottom (LIFO: the task it just spawned is
// the one it is about to wait for, still hot in its cache); other threads
// steal at the top (FIFO: the oldest, usually the biggest piece of a recursive
// split). Elements are plain pointers, so a thief may read a slot before it
// wins the CAS that makes the element its own.
//
// Memory ordering: everything the owner wrote before push(x) is visible to the
// thread that gets x from steal(). Every store to bottom_ is a release and
// every thief loads it with acquire, so a thief synchronizes with the owner
// whichever bottom_ value it reads (the paper's release fence before a relaxed
// store, written as a release store, because TSAN does not model fences). The
// two seq_cst fences order "bottom_ moved" against "top_ read" between the
// owner's pop and a thief's steal: at most one of them gets the last element,
// decided by the CAS on top_.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace tpx::detail {

template <class T, std::size_t kCapacity = 256, template <class> class Atom = std::atomic>
class WorkDeque {
  static_assert(kCapacity >= 2 && (kCapacity & (kCapacity - 1)) == 0, "capacity: a power of two");
  static constexpr std::size_t kMask = kCapacity - 1;

 public:
  WorkDeque() = default;
  WorkDeque(const WorkDeque&) = delete;
  WorkDeque& operator=(const WorkDeque&) = delete;

  // Owner only. False when the deque is full (x is then still the caller's).
  bool push(T* x) noexcept {
    const std::int64_t b = bottom_.load(std::memory_order_relaxed);  // relaxed: only the owner writes bottom_
    // Acquire: a slot is reused only after the thief that emptied it read it.
    const std::int64_t t = top_.load(std::memory_order_acquire);
    if (b - t >= static_cast<std::int64_t>(kCapacity)) return false;
    slots_[static_cast<std::size_t>(b) & kMask].store(x, std::memory_order_relaxed);  // relaxed: published below
    bottom_.store(b + 1, std::memory_order_release);  // release: x and what it points to, to thieves
    return true;
  }

  // Owner only: the newest element, or null.
  T* pop() noexcept {
    const std::int64_t b = bottom_.load(std::memory_order_relaxed) - 1;  // relaxed: only the owner writes bottom_
    bottom_.store(b, std::memory_order_release);  // release: keeps every bottom_ store a release (see above)
    std::atomic_thread_fence(std::memory_order_seq_cst);  // the claim on slot b before reading top_
    std::int64_t t = top_.load(std::memory_order_relaxed);  // relaxed: ordered by the fence
    T* x = nullptr;
    if (t <= b) {
      x = slots_[static_cast<std::size_t>(b) & kMask].load(std::memory_order_relaxed);  // relaxed: our own store
      if (t == b) {
        // The last element: race the thieves for it on top_.
        // Seq_cst: the paper's order, so that the CAS sits in the fences' total order.
        if (!top_.compare_exchange_strong(t, t + 1, std::memory_order_seq_cst, std::memory_order_relaxed))
          x = nullptr;
        bottom_.store(b + 1, std::memory_order_release);  // release: see above
      }
    } else {
      bottom_.store(b + 1, std::memory_order_release);  // empty: undo; release: see above
    }
    return x;
  }

  // Owner only: pops the newest element if it is `x`; false otherwise
  // (x was stolen, or newer work sits above it), leaving the deque unchanged.
  bool pop_if_newest(const T* x) noexcept {
    const std::int64_t b = bottom_.load(std::memory_order_relaxed);  // relaxed: only the owner writes bottom_
    // Relaxed: a hint: a stale top_ only sends us to pop(), which decides.
    if (b <= top_.load(std::memory_order_relaxed)) return false;
    if (slots_[static_cast<std::size_t>(b - 1) & kMask].load(std::memory_order_relaxed) != x) return false;
    T* got = pop();
    if (got == x) return true;
    // A thief took x between the peek and the pop, and pop() returned null:
    // the deque is empty and unchanged.
    return false;
  }

  // Any thread: the oldest element, or null. Null with `lost` set means the
  // deque was not empty but another thread took that element first: it made
  // progress, and the caller may try again.
  T* steal(bool& lost) noexcept {
    lost = false;
    std::int64_t t = top_.load(std::memory_order_acquire);  // acquire: pairs with the CAS of an earlier thief
    std::atomic_thread_fence(std::memory_order_seq_cst);   // read top_ before bottom_ (see pop)
    const std::int64_t b = bottom_.load(std::memory_order_acquire);  // acquire: pairs with the owner's release
    if (t >= b) return nullptr;
    T* x = slots_[static_cast<std::size_t>(t) & kMask].load(std::memory_order_relaxed);  // relaxed: published by bottom_
    // Seq_cst: the paper's order (see pop); relaxed on failure: we return at once.
    if (!top_.compare_exchange_strong(t, t + 1, std::memory_order_seq_cst, std::memory_order_relaxed)) {
      lost = true;
      return nullptr;
    }
    return x;
  }

  // Any thread: the oldest element, retrying lost races; null only when the
  // deque was seen empty.
  T* steal() noexcept {
    bool lost = true;
    T* x = nullptr;
    while (x == nullptr && lost) x = steal(lost);
    return x;
  }

  // Elements now, for a statistics gauge: exact when nobody pushes or takes.
  std::size_t size_hint() const noexcept {
    // Relaxed: a gauge, not a synchronizer; never negative.
    const std::int64_t n = bottom_.load(std::memory_order_relaxed) - top_.load(std::memory_order_relaxed);
    return n > 0 ? static_cast<std::size_t>(n) : 0;
  }

  // Any thread, a hint: true when the deque looks non-empty.
  bool maybe_nonempty() const noexcept {
    // Relaxed: a hint for wake-up decisions and spin loops; steal() decides.
    return bottom_.load(std::memory_order_relaxed) > top_.load(std::memory_order_relaxed);
  }

 private:
  // top_ is written by thieves, bottom_ only by the owner: separate lines, so
  // an owner pushing and popping does not bounce the line thieves CAS.
  alignas(128) Atom<std::int64_t> top_{0};
  alignas(128) Atom<std::int64_t> bottom_{0};
  Atom<T*> slots_[kCapacity] = {};
};

}  // namespace tpx::detail
