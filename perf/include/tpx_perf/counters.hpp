// tpx_perf: counters over a measured region, for the whole process.
//
// Which threads are counted, and why this way:
//   A perf event opened with pid = getpid(), cpu = -1 counts only the main
//   thread (Linux events attach to a *task*, i.e. one thread), and `inherit`
//   only reaches threads created *after* the event was opened. A benchmark's
//   pool is built before its measured region starts, so neither alone covers
//   the workers. Region::start() therefore opens one event per counter for
//   every thread listed in /proc/self/task at that moment, each with
//   `inherit = 1` so that threads those threads create during the region
//   (std::async's thread per task, lazily started TBB workers, httplib's
//   handler threads) are counted as well: an inherited child's count is folded
//   into its parent's event when the child exits, and read() of the parent
//   sums live children. Kernel time is included (exclude_kernel = 0) unless
//   the kernel refuses it, in which case the probe retries user-only and says so.
//   Cost: (threads x counters) file descriptors while a region is open, opened
//   and read outside the timed loop.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tpx::perf {

enum class Counter : std::uint8_t {
  task_clock,        // ns on CPU, all counted threads (software)
  context_switches,  // software
  cpu_migrations,    // software
  page_faults,       // software
  cycles,            // hardware, often absent in VMs
  instructions,      // hardware, often absent in VMs
};
inline constexpr std::size_t kCounterCount = 6;

// Stable names used as benchmark counter stems ("<name>_per_task").
const char* counter_name(Counter c) noexcept;

// What this machine allows, probed once (first call) and printed once to
// stderr when something is missing. Thread-safe.
struct Support {
  std::array<bool, kCounterCount> available{};
  bool kernel_included = false;  // false: user-space only (perf_event_paranoid)
  std::string summary;           // one line, e.g. "task_clock ok, cycles unsupported (ENOENT)"
};
const Support& support();

struct Readings {
  std::array<std::optional<double>, kCounterCount> values{};  // nullopt: not available
  std::size_t threads_counted = 0;
  std::size_t open_failures = 0;  // threads that vanished or fds that could not be opened
  std::optional<double> get(Counter c) const noexcept { return values[static_cast<std::size_t>(c)]; }
};

// One measured region. Not copyable; start() then stop(), once.
class Region {
 public:
  Region() = default;
  Region(const Region&) = delete;
  Region& operator=(const Region&) = delete;
  ~Region();

  void start();      // open on every current thread, read baselines
  Readings stop();   // read, close, return deltas (scaled if multiplexed)

 private:
  struct Event {
    int fd;
    Counter counter;
    std::uint64_t base_value;
    std::uint64_t base_enabled;
    std::uint64_t base_running;
  };
  void close_all() noexcept;
  std::vector<Event> events_;
  std::size_t threads_ = 0;
  std::size_t failures_ = 0;
};

}  // namespace tpx::perf
