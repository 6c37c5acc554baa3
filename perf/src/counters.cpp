#include "tpx_perf/counters.hpp"

#include <dirent.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace tpx::perf {
namespace {

struct Spec {
  Counter counter;
  std::uint32_t type;
  std::uint64_t config;
};
constexpr std::array<Spec, kCounterCount> kSpecs{{
    {Counter::task_clock, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK},
    {Counter::context_switches, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES},
    {Counter::cpu_migrations, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS},
    {Counter::page_faults, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS},
    {Counter::cycles, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES},
    {Counter::instructions, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS},
}};

bool g_exclude_kernel = false;

int open_event(const Spec& spec, pid_t tid, bool exclude_kernel) {
  perf_event_attr attr{};
  attr.size = sizeof(attr);
  attr.type = spec.type;
  attr.config = spec.config;
  attr.inherit = 1;  // threads created by this thread during the region count too
  attr.exclude_kernel = exclude_kernel ? 1 : 0;
  attr.exclude_hv = 1;
  attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
  return static_cast<int>(syscall(SYS_perf_event_open, &attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC));
}

struct Value {
  std::uint64_t value = 0, enabled = 0, running = 0;
};
bool read_event(int fd, Value& v) {
  std::uint64_t buf[3];
  if (::read(fd, buf, sizeof(buf)) != static_cast<ssize_t>(sizeof(buf))) return false;
  v = {buf[0], buf[1], buf[2]};
  return true;
}

std::vector<pid_t> list_threads() {
  std::vector<pid_t> tids;
  if (DIR* d = ::opendir("/proc/self/task")) {
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      tids.push_back(static_cast<pid_t>(std::atoi(e->d_name)));
    }
    ::closedir(d);
  }
  return tids;
}

// Regions open threads x counters descriptors (256-worker pools in the IO
// family): lift the soft fd limit to the hard one once.
void raise_fd_limit() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
}

Support probe() {
  Support s;
  raise_fd_limit();
  if (const char* off = std::getenv("TPX_PERF_DISABLE"); off && *off && *off != '0') {
    s.summary = "disabled by TPX_PERF_DISABLE";
    std::fprintf(stderr, "tpx-perf: counters %s\n", s.summary.c_str());
    return s;
  }
  const pid_t self = static_cast<pid_t>(::syscall(SYS_gettid));
  // Kernel time included if the kernel lets us; else user-only, said below.
  bool exclude_kernel = false;
  {
    int fd = open_event(kSpecs[0], self, false);
    if (fd < 0 && (errno == EACCES || errno == EPERM)) {
      exclude_kernel = true;
    }
    if (fd >= 0) ::close(fd);
  }
  g_exclude_kernel = exclude_kernel;
  s.kernel_included = !exclude_kernel;
  bool all = true;
  std::string missing;
  for (std::size_t i = 0; i < kSpecs.size(); ++i) {
    int fd = open_event(kSpecs[i], self, exclude_kernel);
    if (fd >= 0) {
      s.available[i] = true;
      ::close(fd);
      s.summary += std::string(s.summary.empty() ? "" : ", ") + counter_name(kSpecs[i].counter) + " ok";
    } else {
      all = false;
      const char* why = errno == ENOENT || errno == EOPNOTSUPP ? "not supported on this machine"
                        : errno == EACCES || errno == EPERM   ? "not permitted (perf_event_paranoid)"
                                                              : std::strerror(errno);
      const std::string item = std::string(counter_name(kSpecs[i].counter)) + " " + why;
      s.summary += std::string(s.summary.empty() ? "" : ", ") + item;
      missing += (missing.empty() ? "" : "; ") + item;
    }
  }
  if (exclude_kernel) s.summary += " (user space only: kernel counting not permitted)";
  if (!all || exclude_kernel) {
    std::fprintf(stderr, "tpx-perf: some counters unavailable, benchmarks run without them: %s%s\n",
                 missing.c_str(), exclude_kernel ? " (and kernel time excluded: not permitted)" : "");
  }
  return s;
}

}  // namespace

const char* counter_name(Counter c) noexcept {
  switch (c) {
    case Counter::task_clock: return "task_clock";
    case Counter::context_switches: return "ctx_switches";
    case Counter::cpu_migrations: return "migrations";
    case Counter::page_faults: return "page_faults";
    case Counter::cycles: return "cycles";
    case Counter::instructions: return "instructions";
  }
  return "?";
}

const Support& support() {
  static const Support s = probe();
  return s;
}

Region::~Region() { close_all(); }

void Region::close_all() noexcept {
  for (const Event& e : events_) ::close(e.fd);
  events_.clear();
}

void Region::start() {
  close_all();
  threads_ = 0;
  failures_ = 0;
  const Support& s = support();
  bool any = false;
  for (bool a : s.available) any = any || a;
  if (!any) return;
  for (pid_t tid : list_threads()) {
    bool counted = false;
    for (std::size_t i = 0; i < kSpecs.size(); ++i) {
      if (!s.available[i]) continue;
      int fd = open_event(kSpecs[i], tid, g_exclude_kernel);
      if (fd < 0) {
        ++failures_;  // ESRCH: the thread exited between listing and opening
        continue;
      }
      Value v;
      if (!read_event(fd, v)) {
        ::close(fd);
        ++failures_;
        continue;
      }
      events_.push_back({fd, kSpecs[i].counter, v.value, v.enabled, v.running});
      counted = true;
    }
    if (counted) ++threads_;
  }
}

Readings Region::stop() {
  Readings r;
  r.threads_counted = threads_;
  r.open_failures = failures_;
  std::array<double, kCounterCount> sum{};
  std::array<bool, kCounterCount> seen{};
  for (const Event& e : events_) {
    Value v;
    if (!read_event(e.fd, v)) continue;
    const double delta = static_cast<double>(v.value - e.base_value);
    const double enabled = static_cast<double>(v.enabled - e.base_enabled);
    const double running = static_cast<double>(v.running - e.base_running);
    // Hardware counters may be multiplexed: scale by enabled/running time.
    const double scaled = (running > 0 && running < enabled) ? delta * enabled / running : delta;
    const auto i = static_cast<std::size_t>(e.counter);
    sum[i] += scaled;
    seen[i] = true;
  }
  for (std::size_t i = 0; i < kCounterCount; ++i)
    if (seen[i]) r.values[i] = sum[i];
  close_all();
  return r;
}

}  // namespace tpx::perf
