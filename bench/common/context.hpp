// The machine a run happened on, recorded in Google Benchmark's JSON context
// block (keys tpx_*), and the compare_* fields that tell tpx-compare how to
// read the file: its name format, the reference contender, and which tpx_*
// fields name the commit, the machine, the usable CPUs and the build type
// (tools/compare/README.md, "Input contract"; bench/targets.json repeats
// them as defaults for files written before).
#pragma once

#include <map>
#include <string>

namespace tpx::bench {

// The machine's fields and the compare_* fields, for benchmark::AddCustomContext.
std::map<std::string, std::string> machine_context();

// "0-3,8" form of this process's affinity mask.
std::string allowed_cpu_list();

// Cpus_allowed_list of each thread whose name starts with `prefix`, as
// "<name>=<cpus> ..." sorted by name; empty when none.
std::string thread_affinity_map(const std::string& prefix);

}  // namespace tpx::bench
