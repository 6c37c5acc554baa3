// Benchmark names: "<workload>/<contender>/<args>[/<Google Benchmark suffixes>]".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tpx::compare {

struct BenchName {
  std::string full;              // the run name, the benchmark's identity
  bool project_style = false;    // workload and contender are meaningful
  std::string workload;          // first segment (project style only)
  std::string contender;         // second segment (project style only)
  std::vector<std::pair<std::string, std::string>> args;  // key:value (key may be empty)
  std::optional<int> workers;    // "workers:N", else Google Benchmark's "threads:N"
  // The name without contender and Google Benchmark suffixes: contenders with
  // equal `slot` ran the same workload with the same arguments.
  std::string slot;
  // `slot` without the worker count: the points of one scaling curve.
  std::string curve;
  std::string args_text() const;  // "chunk:1024/workers:2" (+ "/threads:N" when part of the slot)
};

// The contenders the project's benchmarks use (floor rows start with "floor").
bool is_known_contender(std::string_view segment);

// `project_context`: the file's context says it comes from the tpx benchmarks,
// so any "<identifier>/<identifier>/..." name is read as workload/contender.
BenchName parse_name(std::string_view run_name, bool project_context);

}  // namespace tpx::compare
