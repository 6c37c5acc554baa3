// The data read from Google Benchmark JSON files, before any grouping.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace tpx::compare {

// One entry of a file's "benchmarks" array: a repetition or an aggregate.
struct Entry {
  std::string name;            // as written ("fill/ours/workers:2_median")
  std::string run_name;        // the benchmark itself, without aggregate suffix
  bool aggregate = false;      // run_type == "aggregate"
  std::string aggregate_name;  // mean, median, stddev, cv, or a user statistic
  bool percentage = false;     // aggregate_unit == "percentage" (cv): values are fractions
  int repetitions = 1;         // as declared by the run
  int threads = 1;             // Google Benchmark's ->Threads(N)
  double real_time_ns = 0;     // normalised from time_unit
  double cpu_time_ns = 0;
  std::map<std::string, double> counters;  // every other numeric field
};

// One input file.
struct BenchFile {
  std::string path;
  std::map<std::string, std::string> context;  // scalar context fields, as text
  std::vector<Entry> entries;
  std::vector<std::string> notes;  // what was skipped and why
  // The file's own context names its name format (contract.hpp): it was
  // written for tpx-compare, not only given a format by an option or a spec.
  bool declares_name_format = false;
};

// Invalid or incomparable input: exit code 2, with a message naming the file.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace tpx::compare
