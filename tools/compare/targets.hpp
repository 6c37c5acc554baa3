// The project's performance targets, checked against a run: for each target
// the measured figure, the target, and a verdict (met / NOT met / not
// measured), optionally beside the same figure from an earlier run.
//
// The targets themselves are data: one array of TargetSpec in targets.cpp,
// each with the wording. A figure is the median aggregate of a
// benchmark (Google Benchmark's `*_median`), or the ratio of two of them
// measured in the same run.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "report.hpp"
#include "runs.hpp"

namespace tpx::compare {

// What one side of a figure reads from a run.
struct Pick {
  std::string_view workload;    // "empty"
  // "tpx"; "onetbb|asio": the best of these (by the metric's direction:
  // the lowest time, the highest speedup). Peers missing from the run are
  // named and left out of "best"; the figure needs at least one.
  std::string_view contenders;
  // real_time, a counter ("p50_us", "speedup"), or a product of counters
  // ("vs_ideal*ideal_ms"). Times (real_time, *_ns, *_us, *_ms) are compared
  // in ns whatever their unit in the file.
  std::string_view metric = "real_time";
  // Arguments the benchmark must have besides its worker count, e.g.
  // "chunk:1024" or "same_core:0". "{counter}" takes that counter's figure
  // from the row's subject ("rounds:{ideal_ms}").
  std::string_view args = {};
  // Read instead when `metric` is absent (older files), with a note.
  std::string_view fallback = {};
};

enum class Cmp { at_most, at_least };
enum class FigureKind { ratio, percent, count };

struct TargetSpec {
  std::string_view id;       // the numbering: "1a", "2b", …
  std::string_view wording;  // the target in the words
  // The figure is subject / versus (or subject alone without versus).
  Pick subject;
  std::optional<Pick> versus;
  Cmp cmp = Cmp::at_most;
  double limit = 1;
  FigureKind kind = FigureKind::ratio;
  // The worker count the target names (sleep_1ms on 64 workers); 0: the
  // largest count present for the subject's workload ("all cores").
  // A versus on another workload (a floor) takes its own largest count.
  int workers = 0;
  // "p50_us,p90_us,…": the figure is the worst of subject/versus over these
  // counters (the metrics of the picks are then unused).
  std::string_view worst_of = {};
  // A benchmark being added: the row is left out (with a note) when no
  // benchmark of the subject's workload and arguments is in any run.
  bool only_if_present = false;
  // How the goal reads when "≤ limit" would hide the target: "0 (≤ 0.001)".
  std::string_view goal = {};
};

// Every target, in the order.
std::span<const TargetSpec> target_specs();

enum class TargetVerdict { met, not_met, not_measured };
const char* target_verdict_text(TargetVerdict v);

struct TargetReading {
  TargetVerdict verdict = TargetVerdict::not_measured;
  std::optional<double> figure;
  std::string basis;               // the figures behind it, or what is missing
  std::vector<std::string> notes;  // fallbacks taken
};

struct TargetRow {
  const TargetSpec* spec = nullptr;
  TargetReading measured;
  std::optional<TargetReading> before;  // with --before
};

struct TargetsData {
  std::vector<TargetRow> rows;
  std::vector<Note> notes;
  std::size_t measured = 0;  // rows with a verdict
  std::size_t not_met = 0;   // of those, not met: exit code 1
};

// `before` may be null. Throws InputError when not one target can be
// measured in `measured` (or, given, in `before`) and its files are not the
// tpx benchmarks' (no tpx_* context fields); with them, that is a warning.
TargetsData compute_targets(const Run& measured, const Run* before,
                            std::span<const TargetSpec> specs = target_specs());
Report targets_report(const Run& measured, const Run* before, const TargetsData& data);

// The text of a figure and of a goal, as the table prints them.
std::string figure_text(double figure, FigureKind kind);
std::string goal_text(const TargetSpec& spec);

}  // namespace tpx::compare
