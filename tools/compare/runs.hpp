// Grouping files into runs (same machine and commit) and merging the
// repetitions of each benchmark across a run's files.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "names.hpp"

namespace tpx::compare {

// One benchmark in one run.
struct Series {
  BenchName name;
  std::vector<Entry> iterations;  // raw repetitions from every file of the run
  // Aggregates, per file, used only when no file has raw repetitions.
  std::vector<std::map<std::string, Entry>> aggregate_sets;
  std::set<std::string> files;
  std::optional<int> workers;  // name's workers:N, else the counter, else threads:N
  bool has_raw() const { return !iterations.empty(); }
  std::size_t repetitions() const;  // raw count, or the count the aggregates summarise
};

struct Summary {
  double center = 0;   // median of the repetitions (or the median aggregate)
  double cv = 0;       // coefficient of variation, as a fraction
  std::size_t n = 0;   // repetitions
  bool from_aggregates = false;
};

// Raw values of the metric over the repetitions (empty when aggregates only).
std::vector<double> samples(const Series& s, std::string_view metric);
std::optional<Summary> summarize(const Series& s, std::string_view metric);

// Files of one machine at one commit.
struct Run {
  std::string label;       // short, unique among the runs: host, then @commit, then #k
  std::string machine_id;  // host | cpu model | cores | pus
  std::string commit;
  std::vector<std::string> commits;  // distinct commits of its files (merge_all may mix them)
  std::map<std::string, std::string> context;  // of the run's first file
  std::vector<std::string> files;
  std::vector<std::string> notes;  // from loading its files
  bool structured = false;         // some file was read with a name format (workload/contender)
  bool declares_name_format = false;  // some file's own context names its format
  std::vector<Series> series;      // in order of first appearance
  std::size_t machines = 1;        // distinct machines among the files (merge_all may mix them)

  const Series* find(std::string_view run_name) const;
};

// Groups the files by machine and commit, in order of first appearance.
std::vector<Run> group_runs(const std::vector<BenchFile>& files);

// Merges every file into one run regardless of machine (diff's OLD or NEW side).
Run merge_all(const std::vector<BenchFile>& files, std::string label);

}  // namespace tpx::compare
