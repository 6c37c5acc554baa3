// tpx/detail/task.hpp — the move-only, type-erased unit of work in the queue.
//
// A callable of up to kInlineBytes (and nothrow-movable) is stored inline: a
// post() of a small lambda allocates nothing. Larger ones go to the heap.
// A callable may define `void abandon(const std::exception_ptr&) noexcept`:
// it is called instead of running when the pool drops the task (shutdown with
// cancel_futures: null reason; broken pool: the BrokenExecutor error).
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <type_traits>
#include <utility>

namespace tpx::detail {

template <class F>
concept Abandonable = requires(F& f, const std::exception_ptr& e) {
  { f.abandon(e) } noexcept;
};

class Task {
 public:
  static constexpr std::size_t kInlineBytes = 48;

  Task() noexcept = default;

  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, Task>)
  explicit Task(F&& fn) {
    using Fn = std::remove_cvref_t<F>;
    if constexpr (fits_inline<Fn>) {
      ::new (static_cast<void*>(buf_)) Fn(std::forward<F>(fn));
      ops_ = &kInlineOps<Fn>;
    } else {
      ::new (static_cast<void*>(buf_)) Fn*(new Fn(std::forward<F>(fn)));
      ops_ = &kHeapOps<Fn>;
    }
  }

  Task(Task&& other) noexcept : ops_(other.ops_), stamp_(other.stamp_) {
    if (ops_) ops_->relocate(buf_, other.buf_), other.ops_ = nullptr;
  }
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      reset();
      ops_ = other.ops_;
      stamp_ = other.stamp_;
      if (ops_) ops_->relocate(buf_, other.buf_), other.ops_ = nullptr;
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { reset(); }

  explicit operator bool() const noexcept { return ops_ != nullptr; }

  // When the pool queued it (steady clock, ns), with Options::record_latency; else 0.
  std::int64_t stamp() const noexcept { return stamp_; }
  void set_stamp(std::int64_t ns) noexcept { stamp_ = ns; }

  // Runs the callable once and destroys it: afterwards the task is empty, so
  // nothing the callable captured outlives its run. An exception from the
  // callable propagates after the callable is destroyed.
  void run() {
    const Ops* ops = std::exchange(ops_, nullptr);
    ops->run_and_destroy(buf_);
  }

  // Drops the task without running it (see the header comment).
  void abandon(const std::exception_ptr& reason) noexcept {
    if (const Ops* ops = std::exchange(ops_, nullptr)) ops->abandon_and_destroy(buf_, reason);
  }

  void reset() noexcept {
    if (const Ops* ops = std::exchange(ops_, nullptr)) ops->destroy(buf_);
  }

 private:
  struct Ops {
    void (*run_and_destroy)(void* self);
    void (*abandon_and_destroy)(void* self, const std::exception_ptr& reason) noexcept;
    void (*relocate)(void* dst, void* src) noexcept;
    void (*destroy)(void* self) noexcept;
  };

  template <class Fn>
  static constexpr bool fits_inline = sizeof(Fn) <= kInlineBytes &&
                                      alignof(Fn) <= alignof(std::max_align_t) &&
                                      std::is_nothrow_move_constructible_v<Fn>;

  template <class Fn>
  static void abandon_fn(Fn& fn, const std::exception_ptr& reason) noexcept {
    if constexpr (Abandonable<Fn>) fn.abandon(reason);
  }

  template <class Fn>
  struct InlineOps {
    static Fn& self(void* p) noexcept { return *std::launder(static_cast<Fn*>(p)); }
    static void run_and_destroy(void* p) {
      struct Destroy {
        void* p;
        ~Destroy() { self(p).~Fn(); }
      } guard{p};
      self(p)();
    }
    static void abandon_and_destroy(void* p, const std::exception_ptr& reason) noexcept {
      abandon_fn(self(p), reason);
      self(p).~Fn();
    }
    static void relocate(void* dst, void* src) noexcept {
      ::new (dst) Fn(std::move(self(src)));
      self(src).~Fn();
    }
    static void destroy(void* p) noexcept { self(p).~Fn(); }
  };

  template <class Fn>
  struct HeapOps {
    static Fn*& ptr(void* p) noexcept { return *std::launder(static_cast<Fn**>(p)); }
    static void run_and_destroy(void* p) {
      struct Destroy {
        Fn* fn;
        ~Destroy() { delete fn; }
      } guard{ptr(p)};
      (*guard.fn)();
    }
    static void abandon_and_destroy(void* p, const std::exception_ptr& reason) noexcept {
      abandon_fn(*ptr(p), reason);
      delete ptr(p);
    }
    static void relocate(void* dst, void* src) noexcept { ::new (dst) Fn*(ptr(src)); }
    static void destroy(void* p) noexcept { delete ptr(p); }
  };

  template <class Fn>
  static constexpr Ops kInlineOps{&InlineOps<Fn>::run_and_destroy, &InlineOps<Fn>::abandon_and_destroy,
                                  &InlineOps<Fn>::relocate, &InlineOps<Fn>::destroy};
  template <class Fn>
  static constexpr Ops kHeapOps{&HeapOps<Fn>::run_and_destroy, &HeapOps<Fn>::abandon_and_destroy,
                                &HeapOps<Fn>::relocate, &HeapOps<Fn>::destroy};

  alignas(std::max_align_t) unsigned char buf_[kInlineBytes];
  const Ops* ops_ = nullptr;
  std::int64_t stamp_ = 0;  // in what would be padding: a Task stays 64 bytes
};

static_assert(sizeof(Task) <= 64, "a Task fits one cache line");

}  // namespace tpx::detail
