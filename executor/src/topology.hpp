// topology.hpp (internal) — which CPUs the process may use, and binding workers to them (hwloc).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tpx/options.hpp"

namespace tpx::detail {

// The allowed cores (or PUs), each as the OS indexes of its allowed PUs, in
// hwloc's logical order. "Allowed": in this thread's affinity mask and in the
// cgroup cpuset. Never empty.
std::vector<std::vector<unsigned>> allowed_cores();
std::vector<std::vector<unsigned>> allowed_pus();

// Binds the calling thread to `cpus`. On failure returns false and says why.
bool bind_current_thread(const std::vector<unsigned>& cpus, std::string& why);

// Names the calling thread (cut to the kernel's 15 bytes).
void name_current_thread(const std::string& name) noexcept;

}  // namespace tpx::detail
