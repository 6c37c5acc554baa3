// The machine a run happened on, recorded in Google Benchmark's JSON context
// block (keys tpx_*; tools/compare reads them, so the names are a contract).
#pragma once

#include <map>
#include <string>

namespace tpx::bench {

std::map<std::string, std::string> machine_context();

// "0-3,8" form of this process's affinity mask.
std::string allowed_cpu_list();

// Cpus_allowed_list of each thread whose name starts with `prefix`, as
// "<name>=<cpus> ..." sorted by name; empty when none.
std::string thread_affinity_map(const std::string& prefix);

}  // namespace tpx::bench
