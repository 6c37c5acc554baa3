// Counts the calling thread's heap allocations (operator new) while alive.
// Only bench_overhead links the replacement allocator that feeds it.
#pragma once

#include <cstdint>

namespace tpx::bench {

class AllocationCount {
 public:
  AllocationCount() noexcept;
  ~AllocationCount();
  AllocationCount(const AllocationCount&) = delete;
  AllocationCount& operator=(const AllocationCount&) = delete;
  std::uint64_t count() const noexcept;

 private:
  std::uint64_t start_;
};

}  // namespace tpx::bench
