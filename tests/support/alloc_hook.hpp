// Allocation failure injection (alloc_hook.cpp): a test binary that links
// alloc_hook.cpp replaces the global operator new (and, in builds without a
// sanitizer, malloc) with versions that can be armed, per thread, to fail.
// Only tpx_reliability_tests links it (see tests/CMakeLists.txt).
#pragma once

namespace tpx_test::alloc {

// On the calling thread: let `skip` allocations succeed, then fail the next `count`.
void arm(unsigned skip, unsigned count) noexcept;
void disarm() noexcept;
// Allocations failed on purpose on the calling thread since the last arm().
unsigned injected() noexcept;
// Calls of the global operator new (any form) on the calling thread so far, armed or not.
unsigned long news() noexcept;
// True when malloc itself is hooked (no sanitizer), so allocations made with
// malloc (moodycamel's queue blocks and producers) fail too.
bool hooks_malloc() noexcept;

class Armed {
 public:
  Armed(unsigned skip, unsigned count) noexcept { arm(skip, count); }
  ~Armed() { disarm(); }
  Armed(const Armed&) = delete;
  Armed& operator=(const Armed&) = delete;
};

}  // namespace tpx_test::alloc
