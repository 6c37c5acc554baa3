// What the test process holds, read from the system: its threads, the CPUs it
// may run on, the bytes its heap holds.
#pragma once

#include <dirent.h>
#include <sched.h>

#include <chrono>
#include <cstddef>
#include <thread>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// Exported by both runtimes (GCC ships no allocator_interface.h).
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#else
#include <malloc.h>
#endif

namespace tpx_test {

// Threads of this process: the entries of /proc/self/task.
inline std::size_t thread_count() {
  std::size_t n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (const dirent* e = readdir(d))
      if (e->d_name[0] != '.') ++n;
    closedir(d);
  }
  return n;
}

// A joined thread can linger in /proc/self/task for a moment after join()
// returns (the kernel reaps it just after it clears its tid). Waits, bounded,
// until the count is back to `expected`; returns the last count seen.
inline std::size_t settle_thread_count(std::size_t expected) {
  std::size_t n = thread_count();
  for (int i = 0; i < 5000 && n > expected; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    n = thread_count();
  }
  return n;
}

// CPUs in this process's affinity mask (what `taskset` narrows).
inline std::size_t affinity_cpu_count() {
  cpu_set_t set;
  CPU_ZERO(&set);
  sched_getaffinity(0, sizeof set, &set);
  return static_cast<std::size_t>(CPU_COUNT(&set));
}

// Bytes the heap holds for the program now.
inline std::size_t heap_in_use() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return __sanitizer_get_current_allocated_bytes();
#else
  return mallinfo2().uordblks;
#endif
}

}  // namespace tpx_test
