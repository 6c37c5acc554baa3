// Two-thread floor benchmarks pin the benchmark thread and its partner to
// the first two CPUs of the affinity mask (different cores on this machine's
// topology, one PU per core); with a single allowed CPU they run unpinned and
// the label says so. The caller's mask is restored afterwards.
#pragma once

#include <pthread.h>
#include <sched.h>

#include <string>
#include <thread>
#include <utility>

namespace tpx::bench {

struct CpuPair {
  int a = -1, b = -1;
  bool pinned() const noexcept { return a >= 0 && b >= 0; }
  std::string label() const {
    return pinned() ? "pinned to cpus " + std::to_string(a) + "," + std::to_string(b) : "unpinned (one allowed cpu)";
  }
};

inline CpuPair first_two_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  CpuPair p;
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return p;
  for (int i = 0; i < CPU_SETSIZE; ++i) {
    if (!CPU_ISSET(i, &set)) continue;
    if (p.a < 0) p.a = i;
    else if (p.b < 0) { p.b = i; break; }
  }
  if (p.b < 0) p = {};
  return p;
}

inline bool pin_thread(pthread_t t, int cpu) {
  if (cpu < 0) return false;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(t, sizeof(set), &set) == 0;
}

// Pins the calling thread for its lifetime, then restores the old mask.
class ScopedPin {
 public:
  explicit ScopedPin(int cpu) {
    CPU_ZERO(&old_);
    saved_ = cpu >= 0 && pthread_getaffinity_np(pthread_self(), sizeof(old_), &old_) == 0;
    if (saved_) pin_thread(pthread_self(), cpu);
  }
  ~ScopedPin() {
    if (saved_) pthread_setaffinity_np(pthread_self(), sizeof(old_), &old_);
  }
  ScopedPin(const ScopedPin&) = delete;
  ScopedPin& operator=(const ScopedPin&) = delete;

 private:
  cpu_set_t old_;
  bool saved_ = false;
};

}  // namespace tpx::bench
