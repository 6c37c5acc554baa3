#include "common/context.hpp"

#include <dirent.h>
#include <sched.h>
#include <sys/utsname.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include "common/build_info.hpp"  // generated: compiler, flags, build type, commit
#include "common/config.hpp"

#if TPX_BENCH_HAVE_HWLOC
#include <hwloc.h>
#endif

namespace tpx::bench {
namespace {

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\n");
  const auto e = s.find_last_not_of(" \t\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return {};
  return trim(line);
}

std::string cpuinfo_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("model name")) {
      if (auto p = line.find(':'); p != std::string::npos) return trim(line.substr(p + 1));
    }
  }
  return "unknown";
}

// cgroup v2 cpu.max ("max 100000" or "<quota> <period>"), else v1
// cfs_quota_us/cfs_period_us; "none" when unlimited or not found.
std::string cgroup_cpu_limit() {
  std::ifstream in("/proc/self/cgroup");
  std::string line, v2_path, v1_path;
  while (std::getline(in, line)) {
    // hierarchy-ID:controller-list:path
    const auto a = line.find(':');
    const auto b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const std::string controllers = line.substr(a + 1, b - a - 1);
    const std::string path = line.substr(b + 1);
    if (line.starts_with("0::")) v2_path = path;
    std::stringstream ss(controllers);
    for (std::string c; std::getline(ss, c, ',');)
      if (c == "cpu") v1_path = path;
  }
  auto format = [](double quota, double period, const std::string& raw) {
    std::ostringstream os;
    os.precision(3);
    os << quota / period << " cpus (" << raw << ")";
    return os.str();
  };
  for (const std::string root : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
    if (v2_path.empty()) break;
    const std::string raw = read_first_line(root + v2_path + "/cpu.max");
    if (raw.empty()) continue;
    if (raw.starts_with("max")) return "none";
    std::istringstream is(raw);
    double q = 0, p = 0;
    if (is >> q >> p && p > 0) return format(q, p, "cpu.max " + raw);
  }
  for (const std::string root : {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"}) {
    if (v1_path.empty()) break;
    const std::string q = read_first_line(root + v1_path + "/cpu.cfs_quota_us");
    const std::string p = read_first_line(root + v1_path + "/cpu.cfs_period_us");
    if (q.empty() || p.empty()) continue;
    if (q == "-1") return "none";
    return format(std::stod(q), std::stod(p), "cfs_quota_us " + q + " / cfs_period_us " + p);
  }
  return "none";
}

struct Topology {
  std::string model = "unknown";
  int cores = 0, pus = 0, numa = 0;
};

Topology topology() {
  Topology t;
  t.model = cpuinfo_model();
#if TPX_BENCH_HAVE_HWLOC
  hwloc_topology_t topo;
  if (hwloc_topology_init(&topo) == 0) {
    if (hwloc_topology_load(topo) == 0) {
      t.cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
      t.pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
      t.numa = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
      if (hwloc_obj_t pkg = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PACKAGE, 0)) {
        if (const char* m = hwloc_obj_get_info_by_name(pkg, "CPUModel"); m && *m) t.model = m;
      }
    }
    hwloc_topology_destroy(topo);
  }
#endif
  return t;
}

std::string kernel() {
  utsname u{};
  if (uname(&u) != 0) return "unknown";
  return std::string(u.sysname) + " " + u.release;
}

}  // namespace

std::string allowed_cpu_list() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return "unknown";
  std::string out;
  for (int i = 0; i < CPU_SETSIZE; ++i) {
    if (!CPU_ISSET(i, &set)) continue;
    int j = i;
    while (j + 1 < CPU_SETSIZE && CPU_ISSET(j + 1, &set)) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(i);
    if (j > i) out += '-' + std::to_string(j);
    i = j;
  }
  return out;
}

std::string thread_affinity_map(const std::string& prefix) {
  std::vector<std::pair<std::string, std::string>> rows;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      const std::string dir = std::string("/proc/self/task/") + e->d_name;
      const std::string name = read_first_line(dir + "/comm");
      if (!name.starts_with(prefix)) continue;
      std::ifstream st(dir + "/status");
      std::string line, cpus = "?";
      while (std::getline(st, line))
        if (line.starts_with("Cpus_allowed_list:")) cpus = trim(line.substr(line.find(':') + 1));
      rows.emplace_back(name, cpus);
    }
    closedir(d);
  }
  // Natural order: tpx_2 before tpx_10.
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.first.size() != b.first.size() ? a.first.size() < b.first.size() : a.first < b.first;
  });
  std::string out;
  for (const auto& [name, cpus] : rows) out += (out.empty() ? "" : " ") + name + "=" + cpus;
  return out;
}

std::map<std::string, std::string> machine_context() {
  const Topology t = topology();
  std::map<std::string, std::string> c;
  c["tpx_cpu_model"] = t.model;
  c["tpx_cores"] = std::to_string(t.cores);
  c["tpx_pus"] = std::to_string(t.pus);
  c["tpx_numa_nodes"] = std::to_string(t.numa);
  // A count (tools/compare reads it as a number); the list is beside it.
  c["tpx_allowed_cpus"] = std::to_string(config().allowed_cpus);
  c["tpx_allowed_cpu_list"] = allowed_cpu_list();
  c["tpx_cgroup_cpu_limit"] = cgroup_cpu_limit();
  c["tpx_kernel"] = kernel();
  c["tpx_compiler"] = TPX_BENCH_COMPILER;
  c["tpx_cxx_flags"] = TPX_BENCH_CXX_FLAGS;
  c["tpx_build_type"] = TPX_BENCH_BUILD_TYPE;
  c["tpx_git_commit"] = TPX_BENCH_GIT_COMMIT;

  // How tpx-compare reads these files (its input contract, tools/compare/README.md):
  // the names, the contender ratios are taken against, and which of the
  // fields above say the commit, the machine, the usable CPUs and the build.
  c["compare_name_format"] = "workload/contender/args";
  c["compare_reference"] = "mutex_pool";
  c["compare_commit_key"] = "tpx_git_commit";
  c["compare_machine_keys"] = "tpx_cpu_model,tpx_cores,tpx_pus";
  c["compare_cpus_key"] = "tpx_allowed_cpus";
  c["compare_build_type_key"] = "tpx_build_type";
  return c;
}

}  // namespace tpx::bench
