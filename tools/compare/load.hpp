// Reading and validating Google Benchmark JSON files.
#pragma once

#include <string>
#include <string_view>

#include "model.hpp"

namespace tpx::compare {

// Reads one file; throws InputError saying which file and what is wrong
// (missing, empty, not JSON, not Google Benchmark JSON, no usable benchmarks).
BenchFile load_file(const std::string& path);

// Parses text already in memory; `path` only names it in messages.
BenchFile parse_benchmark_json(std::string_view text, const std::string& path);

}  // namespace tpx::compare
