// Test-only replacements of the global allocation functions, armed per thread
// to fail (see alloc_hook.hpp). Everything else allocates normally. They
// replace the allocator of the whole binary, which is why the tests that use
// them have a binary of their own (tpx_reliability_tests).
//
// Without a sanitizer, malloc itself is replaced (forwarding to glibc's
// __libc_malloc), so the queue's own allocations (moodycamel uses malloc) can
// fail too, and operator new, which calls malloc, is counted there once. Under
// ASAN/TSAN the sanitizer owns malloc, so only operator new is hooked.
#include <cstddef>
#include <cstdlib>
#include <new>

#include "support/alloc_hook.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TPX_TEST_HOOK_MALLOC 0
#else
#define TPX_TEST_HOOK_MALLOC 1
#endif

namespace {

// Constant-initialized, initial-exec: usable from malloc at any time, in any thread.
__attribute__((tls_model("initial-exec"))) thread_local bool t_armed = false;
__attribute__((tls_model("initial-exec"))) thread_local unsigned t_skip = 0;
__attribute__((tls_model("initial-exec"))) thread_local unsigned t_fail = 0;
__attribute__((tls_model("initial-exec"))) thread_local unsigned t_injected = 0;
__attribute__((tls_model("initial-exec"))) thread_local unsigned long t_news = 0;

bool should_fail() noexcept {
  if (!t_armed) return false;
  if (t_skip > 0) {
    --t_skip;
    return false;
  }
  if (t_fail > 0) {
    --t_fail;
    ++t_injected;
    if (t_fail == 0) t_armed = false;
    return true;
  }
  return false;
}

void* plain_alloc(std::size_t n) {
  ++t_news;
#if !TPX_TEST_HOOK_MALLOC
  if (should_fail()) throw std::bad_alloc();
#endif
  void* p = std::malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  return p;
}

void* aligned_alloc_or_throw(std::size_t n, std::align_val_t al) {
  ++t_news;
  if (should_fail()) throw std::bad_alloc();  // aligned_alloc does not go through malloc
  const std::size_t a = static_cast<std::size_t>(al);
  const std::size_t size = ((n ? n : 1) + a - 1) / a * a;
  void* p = std::aligned_alloc(a, size);
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace

#if TPX_TEST_HOOK_MALLOC
extern "C" void* __libc_malloc(std::size_t);
extern "C" void* malloc(std::size_t n) {
  if (should_fail()) return nullptr;
  return __libc_malloc(n);
}
#endif

namespace tpx_test::alloc {
void arm(unsigned skip, unsigned count) noexcept {
  t_skip = skip;
  t_fail = count;
  t_injected = 0;
  t_armed = count > 0;
}
void disarm() noexcept { t_armed = false; }
unsigned injected() noexcept { return t_injected; }
unsigned long news() noexcept { return t_news; }
bool hooks_malloc() noexcept { return TPX_TEST_HOOK_MALLOC != 0; }
}  // namespace tpx_test::alloc

void* operator new(std::size_t n) { return plain_alloc(n); }
void* operator new[](std::size_t n) { return plain_alloc(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return plain_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return plain_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(std::size_t n, std::align_val_t a) { return aligned_alloc_or_throw(n, a); }
void* operator new[](std::size_t n, std::align_val_t a) { return aligned_alloc_or_throw(n, a); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return aligned_alloc_or_throw(n, a);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return aligned_alloc_or_throw(n, a);
  } catch (...) {
    return nullptr;
  }
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
