// hwloc: allowed cores/PUs, binding, default worker count. Degrades to
// sched_getaffinity when hwloc cannot load a topology.
#include "topology.hpp"

#include <hwloc.h>
#include <pthread.h>
#include <sched.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace tpx::detail {
namespace {

// The machine's topology, loaded once per process (hwloc calls that only read
// it are thread-safe). Null when hwloc cannot load one.
hwloc_topology_t topology() {
  static const hwloc_topology_t topo = [] {
    hwloc_topology_t t = nullptr;
    if (hwloc_topology_init(&t) != 0) return hwloc_topology_t{nullptr};
    if (hwloc_topology_load(t) != 0) {
      hwloc_topology_destroy(t);
      return hwloc_topology_t{nullptr};
    }
    return t;
  }();
  return topo;
}

struct BitmapDeleter {
  void operator()(hwloc_bitmap_s* b) const noexcept { hwloc_bitmap_free(b); }
};
using Bitmap = std::unique_ptr<hwloc_bitmap_s, BitmapDeleter>;

std::vector<unsigned> affinity_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<unsigned> cpus;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    for (unsigned c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &set)) cpus.push_back(c);
  }
  if (cpus.empty()) cpus.push_back(0);  // cannot happen for a running thread; keep "never empty"
  return cpus;
}

// This thread's affinity mask within the topology's allowed (cgroup) set.
Bitmap allowed_set(hwloc_topology_t topo) {
  Bitmap set(hwloc_bitmap_alloc());
  for (unsigned c : affinity_cpus()) hwloc_bitmap_set(set.get(), c);
  hwloc_bitmap_and(set.get(), set.get(), hwloc_topology_get_allowed_cpuset(topo));
  return set;
}

std::vector<std::vector<unsigned>> objects_within(hwloc_obj_type_t type) {
  hwloc_topology_t topo = topology();
  std::vector<std::vector<unsigned>> out;
  if (topo) {
    const Bitmap allowed = allowed_set(topo);
    const int n = hwloc_get_nbobjs_by_type(topo, type);
    for (int i = 0; i < n; ++i) {
      hwloc_obj_t obj = hwloc_get_obj_by_type(topo, type, static_cast<unsigned>(i));
      Bitmap mine(hwloc_bitmap_dup(obj->cpuset));
      hwloc_bitmap_and(mine.get(), mine.get(), allowed.get());
      std::vector<unsigned> pus;
      for (int pu = hwloc_bitmap_first(mine.get()); pu >= 0; pu = hwloc_bitmap_next(mine.get(), pu))
        pus.push_back(static_cast<unsigned>(pu));
      if (!pus.empty()) out.push_back(std::move(pus));
    }
  }
  if (out.empty()) {  // no topology, or no object of that type: one entry per allowed CPU
    for (unsigned c : affinity_cpus()) out.push_back({c});
  }
  return out;
}

}  // namespace

std::vector<std::vector<unsigned>> allowed_cores() { return objects_within(HWLOC_OBJ_CORE); }
std::vector<std::vector<unsigned>> allowed_pus() { return objects_within(HWLOC_OBJ_PU); }

bool bind_current_thread(const std::vector<unsigned>& cpus, std::string& why) {
  hwloc_topology_t topo = topology();
  if (!topo) {
    why = "hwloc could not load the machine's topology";
    return false;
  }
  Bitmap set(hwloc_bitmap_alloc());
  for (unsigned c : cpus) hwloc_bitmap_set(set.get(), c);
  if (hwloc_set_cpubind(topo, set.get(), HWLOC_CPUBIND_THREAD) != 0) {
    why = std::string("hwloc_set_cpubind failed: ") + std::strerror(errno);
    return false;
  }
  return true;
}

void name_current_thread(const std::string& name) noexcept {
  char buf[16] = {};
  std::strncpy(buf, name.c_str(), sizeof buf - 1);  // the kernel keeps 15 bytes and a NUL
  pthread_setname_np(pthread_self(), buf);
}

}  // namespace tpx::detail

namespace tpx {

std::size_t default_max_workers() { return detail::allowed_cores().size(); }

}  // namespace tpx
