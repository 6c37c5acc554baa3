// The three views. Each computes its data (which plots also draw from) and
// turns it into a Report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report.hpp"
#include "runs.hpp"
#include "stats.hpp"

namespace tpx::compare {

struct Options {
  std::string metric = "real_time";  // real_time, cpu_time or a counter name
  // show: the contender ratios are taken against; empty: the files' own
  // (compare_reference), else no ratios.
  std::string ref;
  double threshold = 0.05;           // diff: changes within ±threshold are noise
  double alpha = 0.05;               // diff: significance level and 1-alpha intervals
  double cv_limit = 0.10;            // warn above this coefficient of variation
  bool counters = true;              // diff: compare counters as well
};

// ---- show ------------------------------------------------------------------

struct ShowRow {
  const Series* series = nullptr;
  std::string run;
  Summary summary;
  std::optional<double> ratio;  // to the reference contender in the same run and slot
  bool is_ref = false;
};

struct ShowData {
  std::string ref;                     // the reference contender used ("" = none: no ratios)
  std::vector<std::string> workloads;  // in order of first appearance; "" = not structured
  std::vector<std::vector<ShowRow>> rows;  // per workload
  std::vector<Note> notes;
};

ShowData compute_show(const std::vector<Run>& runs, const Options& options);
Report show_report(const std::vector<Run>& runs, const ShowData& data, const Options& options);

// ---- diff ------------------------------------------------------------------

enum class Verdict { regression, improvement, changed, noise, not_significant, untestable };
const char* verdict_text(Verdict v);

struct DiffRow {
  std::string benchmark;
  std::string metric;
  Summary old_summary, new_summary;
  std::optional<UTest> test;
  double change = 0;                        // relative, Hodges–Lehmann (or of medians if untestable)
  std::optional<double> ci_low, ci_high;    // relative
  Verdict verdict = Verdict::untestable;
  std::string reason;                       // why untestable
};

struct DiffData {
  std::vector<DiffRow> primary;   // the --metric
  std::vector<DiffRow> counters;  // every other counter both sides have
  std::vector<std::string> only_old, only_new;
  bool regression = false;        // a primary-metric regression: exit code 1
};

// Throws InputError when OLD and NEW have no benchmark in common.
DiffData compute_diff(const Run& old_run, const Run& new_run, const Options& options);
Report diff_report(const Run& old_run, const Run& new_run, const DiffData& data, const Options& options);

// Judges one change; exposed for tests.
Verdict judge(double change, double p, std::string_view metric, const Options& options);

// ---- scaling ---------------------------------------------------------------

struct ScalingPoint {
  int workers = 0;
  double throughput = 0;
  double speedup = 1;     // throughput / throughput at the smallest count
  double efficiency = 1;  // speedup / (workers / smallest count)
};

struct ScalingCurve {
  std::string run;
  std::string workload;   // workload, or the name stem for non-project names
  std::string variant;    // the curve's other arguments, e.g. "chunk:1024"
  std::string contender;
  std::string unit;       // what throughput counts: "items/s" or "iterations/s"
  std::vector<ScalingPoint> points;  // by workers
  int peak_workers = 0;
};

struct ScalingData {
  std::vector<ScalingCurve> curves;
  std::vector<Note> notes;
};

ScalingData compute_scaling(const std::vector<Run>& runs, const Options& options);
Report scaling_report(const std::vector<Run>& runs, const ScalingData& data, const Options& options);

}  // namespace tpx::compare
