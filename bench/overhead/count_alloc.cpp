// A counting allocator for bench_overhead only: replaces the global operator
// new/delete of that binary. Counting is per thread and only while armed, so
// workers' allocations and the harness's own are not charged to the producer.
#include "overhead/count_alloc.hpp"

#include <cstdlib>
#include <new>

namespace tpx::bench {
namespace {
thread_local bool t_armed = false;
thread_local std::uint64_t t_allocations = 0;

void* allocate(std::size_t n) {
  if (t_armed) ++t_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* allocate_aligned(std::size_t n, std::align_val_t al) {
  if (t_armed) ++t_allocations;
  const auto a = static_cast<std::size_t>(al);
  if (void* p = std::aligned_alloc(a, (n + a - 1) / a * a)) return p;
  throw std::bad_alloc();
}
}  // namespace

AllocationCount::AllocationCount() noexcept : start_(t_allocations) { t_armed = true; }
AllocationCount::~AllocationCount() { t_armed = false; }
std::uint64_t AllocationCount::count() const noexcept { return t_allocations - start_; }

}  // namespace tpx::bench

void* operator new(std::size_t n) { return tpx::bench::allocate(n); }
void* operator new[](std::size_t n) { return tpx::bench::allocate(n); }
void* operator new(std::size_t n, std::align_val_t al) { return tpx::bench::allocate_aligned(n, al); }
void* operator new[](std::size_t n, std::align_val_t al) { return tpx::bench::allocate_aligned(n, al); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return tpx::bench::allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return tpx::bench::allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
