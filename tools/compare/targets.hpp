// Targets checked against a run: for each target the measured figure, the
// goal, and a verdict (met / NOT met / not measured), optionally beside the
// same figure from an earlier run.
//
// The targets are data: a spec file (spec.hpp) read by `check --spec FILE`.
// A figure is the median aggregate of a benchmark (Google Benchmark's
// `*_median`), or the ratio of two of them measured in the same run.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report.hpp"
#include "runs.hpp"

namespace tpx::compare {

// One argument a pick requires of a benchmark's name ("chunk:1024").
struct ArgRule {
  enum class Kind {
    equals,        // the name has key:value
    absent,        // the name has no key:… segment at all
    from_subject,  // key:<the subject's median of counter `value`> (versus only)
  };
  std::string key;
  Kind kind = Kind::equals;
  std::string value;
};

// What one side of a figure reads from a run.
struct Pick {
  // Either a workload and its contenders (names read with a name format,
  // contract.hpp), or benchmarks by their full run name. Several: the best of
  // them by the metric's direction (the lowest time, the highest speedup);
  // those missing from the run are named and left out of "best".
  std::string workload;
  std::vector<std::string> contenders;
  std::vector<std::string> benchmarks;
  // A metric (real_time, cpu_time, a counter), or a product of counters.
  // Times (real_time, *_ns, *_us, *_ms) are compared in ns whatever their unit.
  std::vector<std::string> metric{"real_time"};
  // Arguments the benchmark must have besides its worker count (workload picks).
  std::vector<ArgRule> args;
  // Tried in order, per contender, when this pick finds no benchmark or no
  // metric (older files); each is complete (fields it does not set are this
  // pick's). A note says when one stands in, with `note` appended.
  std::vector<Pick> fallbacks;
  std::string note;

  bool by_workload() const { return !workload.empty(); }
};

enum class Cmp { at_most, at_least };
enum class FigureKind { ratio, percent, count };

struct TargetSpec {
  std::string id;       // "1a", "2b", …
  std::string wording;  // the target in words
  // The figure is subject / versus (or subject alone without versus).
  Pick subject;
  std::optional<Pick> versus;
  Cmp cmp = Cmp::at_most;
  double limit = 1;
  FigureKind kind = FigureKind::ratio;
  // The worker count the target names; 0: the largest present for the
  // subject's workload ("all cores"). A versus on another workload takes its
  // own largest count.
  int workers = 0;
  // The figure is the worst of subject/versus over these metrics (the picks'
  // own metrics are then unused).
  std::vector<std::string> worst_of;
  // A benchmark being added: the row is left out (with a note) when no
  // benchmark of the subject's workload and arguments is in any run.
  bool only_if_present = false;
  // How the goal reads when "≤ limit" would hide the target: "0 (≤ 0.001)".
  std::string goal;
};

// A spec file: its targets, and context fields for files that lack them.
struct Spec {
  std::string path;
  std::map<std::string, std::string> context_defaults;
  std::vector<TargetSpec> targets;
};

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
// measured in `measured` (or, given, in `before`) and the files do not look
// like the spec's: none of their benchmarks belongs to a workload or is a
// benchmark the spec names, and none declares a name format itself. Files
// that declare one (a filtered run) get a warning instead.
TargetsData compute_targets(const Run& measured, const Run* before, const Spec& spec);
Report targets_report(const Run& measured, const Run* before, const Spec& spec, const TargetsData& data);

// The text of a figure and of a goal, as the table prints them.
std::string figure_text(double figure, FigureKind kind);
std::string goal_text(const TargetSpec& spec);

}  // namespace tpx::compare
