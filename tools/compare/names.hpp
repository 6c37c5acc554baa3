// Benchmark names: "<workload>/<contender>/<args>[/<Google Benchmark suffixes>]"
// when the file declares that format (contract.hpp), else "<stem>/<args>".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contract.hpp"

namespace tpx::compare {

struct BenchName {
  std::string full;              // the run name, the benchmark's identity
  bool structured = false;       // read with a name format: workload and contender are meaningful
  std::string workload;          // (structured only)
  std::string contender;         // (structured only)
  std::vector<std::pair<std::string, std::string>> args;  // key:value (key may be empty)
  std::optional<int> workers;    // "workers:N", else Google Benchmark's "threads:N"
  // The name without contender and Google Benchmark suffixes: contenders with
  // equal `slot` ran the same workload with the same arguments.
  std::string slot;
  // `slot` without the worker count: the points of one scaling curve.
  std::string curve;
  std::string args_text() const;  // "chunk:1024/workers:2" (+ "/threads:N" when part of the slot)
};

// With a format, a name whose leading segments are identifiers is read as
// workload and contender; without one (or when they are not identifiers, as
// in "BM_Sort/1024"), the first segment is the name's stem and the rest are
// arguments.
BenchName parse_name(std::string_view run_name, const std::optional<NameFormat>& format);

}  // namespace tpx::compare
