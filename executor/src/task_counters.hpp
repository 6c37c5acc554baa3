// task_counters.hpp (internal) — the event counters behind stats().
//
// Each worker owns one TaskCounters on its own cache line and is its only
// writer: bump_owned is a relaxed load and store (no read-modify-write, so no
// shared cache-line traffic per task); readers sum them. Threads that are not
// workers (a submitter running a task under WhenFull::caller_runs, shutdown
// draining the queue, a rejection) count into the pool's shared TaskCounters
// with bump_shared, a relaxed fetch_add, on those rare paths only.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace tpx::detail {

enum class TaskEvent : std::size_t { completed, failed, cancelled, expired, stolen, helped, kCount };

struct TaskCounters {
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(TaskEvent::kCount)> counts{};

  std::atomic<std::uint64_t>& operator[](TaskEvent e) noexcept { return counts[static_cast<std::size_t>(e)]; }
  std::uint64_t read(TaskEvent e) const noexcept {
    return counts[static_cast<std::size_t>(e)].load(std::memory_order_relaxed);  // relaxed: a snapshot
  }
  void bump_owned(TaskEvent e) noexcept {
    auto& c = (*this)[e];
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);  // relaxed: one writer
  }
  void bump_shared(TaskEvent e) noexcept {
    (*this)[e].fetch_add(1, std::memory_order_relaxed);  // relaxed: a count; stats() orders nothing
  }
};

}  // namespace tpx::detail
