#include "cli.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "contract.hpp"
#include "load.hpp"
#include "metric.hpp"
#include "plot.hpp"
#include "spec.hpp"
#include "targets.hpp"
#include "views.hpp"

namespace tpx::compare {
namespace {

struct Settings {
  std::vector<std::string> files, old_files, new_files, before_files;
  std::string spec;                                   // --spec
  std::string name_format, commit_key, machine_keys;  // override the files' contract fields
  std::string format = "text";
  bool no_color = false;
  std::string plot_dir;
  std::string gnuplot;
  std::string threshold = "5";
  bool no_counters = false;
  Options options;
};

constexpr const char* kExamples = R"(
Input: Google Benchmark JSON (--benchmark_out=FILE --benchmark_out_format=json),
preferably with --benchmark_repetitions=10. Files of one machine and commit are
merged (their repetitions pooled); different machines are shown side by side.
What the tool knows beyond Google Benchmark's fields comes from the files'
context (compare_name_format, compare_reference, compare_commit_key,
compare_machine_keys, compare_cpus_key, compare_build_type_key), from a spec's
context_defaults (--spec) for files that lack them, or from options.

Examples:
  tpx-compare show runs/*.json
  tpx-compare show --ref baseline --format markdown laptop.json server.json > RESULTS.md
  tpx-compare diff main.json branch.json                 # exit 1 on a regression
  tpx-compare diff --old a1.json a2.json --new b.json --threshold 3 --metric cpu_time
  tpx-compare scaling --plot charts/ server.json
  tpx-compare check --spec targets.json new/*.json --before old/*.json  # exit 1 if a target is not met

Exit codes: 0 no significant regression (every measured target met), 1 a
significant regression past the threshold (diff) or a measured target not met
(check), 2 invalid or incomparable input (the message names the file).
Run 'tpx-compare <command> --help' for each command's options.)";

// How to read the files: every command has these.
void add_input(CLI::App* app, Settings& s, bool targets) {
  app->add_option("--spec", s.spec,
                  targets ? "The spec file (JSON, required): the targets, and context_defaults that fill in "
                            "the compare_* fields files lack (older files)"
                          : "A spec file (JSON): its context_defaults fill in the compare_* fields files lack "
                            "(older files); its targets are for check")
      ->type_name("FILE");
  app->add_option("--name-format", s.name_format,
                  "How benchmark names read, overriding the files' compare_name_format: "
                  "workload/contender/args or contender/workload/args")
      ->type_name("FORMAT");
  app->add_option("--commit-key", s.commit_key,
                  "The context field holding the commit, overriding the files' compare_commit_key")
      ->type_name("KEY");
  app->add_option("--machine-keys", s.machine_keys,
                  "Context fields that identify the machine besides host_name, comma-separated, overriding "
                  "the files' compare_machine_keys (default: num_cpus)")
      ->type_name("K1,K2");
}

void add_common(CLI::App* app, Settings& s) {
  add_input(app, s, false);
  app->add_option("--metric", s.options.metric,
                  "What to compare: real_time, cpu_time or a counter (e.g. items_per_second, p99_us)")
      ->default_str("real_time");
  app->add_option("--format", s.format, "Output format")
      ->check(CLI::IsMember({"text", "markdown", "csv", "json"}))
      ->default_str("text");
  app->add_flag("--no-color", s.no_color, "No ANSI colours (also off when stdout is not a terminal or NO_COLOR is set)");
  app->add_option("--plot", s.plot_dir, "Also write PNG and SVG charts (and their gnuplot scripts) into DIR")
      ->type_name("DIR");
  app->add_option("--gnuplot", s.gnuplot, "The gnuplot executable (default: $TPX_GNUPLOT, then gnuplot on $PATH)")
      ->type_name("PATH");
  app->add_option("--cv-warn", s.options.cv_limit,
                  "Warn when repetitions vary by more than this coefficient of variation (fraction)")
      ->default_str("0.10")
      ->check(CLI::Range(0.0, 100.0));
}

double parse_threshold(std::string text) {
  if (!text.empty() && text.back() == '%') text.pop_back();
  std::size_t used = 0;
  double v = -1;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !(v >= 0 && v < 1000))
    throw InputError(fmt::format("--threshold {}: expected a percentage such as 5 or 2.5%", text));
  return v / 100;
}

std::vector<BenchFile> load_all(const std::vector<std::string>& paths, const ContractInput& contract,
                                std::ostream& err) {
  std::vector<BenchFile> files;
  std::set<std::string> seen;
  for (const auto& p : paths) {
    std::error_code ec;
    const auto canonical = std::filesystem::weakly_canonical(p, ec);
    const std::string key = ec ? p : canonical.string();
    if (!seen.insert(key).second) {
      err << fmt::format("tpx-compare: warning: {} is given twice; read once (its repetitions would "
                         "otherwise count twice)\n",
                         p);
      continue;
    }
    files.push_back(load_file(p));
    apply_contract(files.back(), contract);
    // A malformed format, whether the file's own or a default, fails here, naming the file.
    (void)name_format_of(files.back().context, p);
  }
  return files;
}

// The options and the spec's defaults, validated, as one ContractInput.
ContractInput contract_input(const Settings& s, const Spec* spec) {
  ContractInput in;
  if (spec != nullptr) in.defaults = spec->context_defaults;
  const auto set = [&](std::string_view key, const std::string& value, const char* option) {
    if (value.empty()) return;
    check_contract_value(key, value, option);
    in.overrides[std::string(key)] = value;
  };
  set(kNameFormatKey, s.name_format, "--name-format");
  set(kCommitKeyKey, s.commit_key, "--commit-key");
  set(kMachineKeysKey, s.machine_keys, "--machine-keys");
  return in;
}

// The metric must exist somewhere, or every table would be empty.
void check_metric(const std::vector<const Run*>& runs, const std::string& metric) {
  if (is_time_metric(metric)) return;
  std::set<std::string> counters;
  for (const Run* r : runs)
    for (const Series& s : r->series) {
      if (summarize(s, metric)) return;
      for (const Entry& e : s.iterations)
        for (const auto& [k, v] : e.counters) counters.insert(k);
      for (const auto& set : s.aggregate_sets)
        for (const auto& [a, e] : set)
          for (const auto& [k, v] : e.counters) counters.insert(k);
    }
  std::string list = "real_time, cpu_time";
  for (const auto& c : counters) list += ", " + c;
  throw InputError(fmt::format("no benchmark has the metric \"{}\"; available: {}", metric, list));
}

void report_plots(const PlotResult& r, const std::string& dir, std::ostream& err) {
  for (const auto& e : r.errors) err << "tpx-compare: error: --plot: " << e << '\n';
  if (r.written.empty() && r.errors.empty())
    err << fmt::format("tpx-compare: note: --plot: nothing to chart in this view\n");
  else if (!r.written.empty())
    err << fmt::format("tpx-compare: wrote {} chart file(s) to {}\n", r.written.size(), dir);
}

template <class Plotter>
void maybe_plot(const Settings& s, std::ostream& err, Plotter&& plotter) {
  if (s.plot_dir.empty()) return;
  const auto gnuplot = find_gnuplot(s.gnuplot);
  if (!gnuplot) {
    err << fmt::format("tpx-compare: warning: --plot: gnuplot not found ({}); no charts written. "
                       "Install it (apt install gnuplot-nox) or pass --gnuplot PATH.\n",
                       !s.gnuplot.empty() ? "--gnuplot " + s.gnuplot + " is not executable"
                       : std::getenv("TPX_GNUPLOT") != nullptr && *std::getenv("TPX_GNUPLOT") != '\0'
                           ? fmt::format("TPX_GNUPLOT={} is not executable", std::getenv("TPX_GNUPLOT"))
                           : std::string("not on $PATH"));
    return;
  }
  report_plots(plotter(*gnuplot), s.plot_dir, err);
}

Format parse_format(const std::string& f) {
  if (f == "markdown") return Format::markdown;
  if (f == "csv") return Format::csv;
  if (f == "json") return Format::json;
  return Format::text;
}

int run_command(CLI::App& app, CLI::App* show, CLI::App* diff, CLI::App* scaling, CLI::App* check,
                Settings& s, std::ostream& out, std::ostream& err, bool color_capable) {
  s.options.threshold = parse_threshold(s.threshold);
  s.options.counters = !s.no_counters;
  const Format format = parse_format(s.format);
  const char* no_color_env = std::getenv("NO_COLOR");
  const bool color = color_capable && !s.no_color && format == Format::text &&
                     (no_color_env == nullptr || *no_color_env == '\0');
  (void)app;

  if (check->parsed() && s.spec.empty())
    throw InputError("check needs the targets to check: pass a spec file with --spec FILE (e.g. --spec "
                     "bench/targets.json; run 'tpx-compare check --help' for its format)");
  std::optional<Spec> spec;
  if (!s.spec.empty()) spec = load_spec(s.spec);
  const ContractInput contract = contract_input(s, spec ? &*spec : nullptr);

  if (show->parsed() || scaling->parsed()) {
    const auto files = load_all(s.files, contract, err);
    const auto runs = group_runs(files);
    std::vector<const Run*> ptrs;
    for (const auto& r : runs) ptrs.push_back(&r);
    check_metric(ptrs, s.options.metric);
    if (show->parsed()) {
      const ShowData data = compute_show(runs, s.options);
      render(show_report(runs, data, s.options), format, color, out, err);
      maybe_plot(s, err, [&](const std::string& g) { return plot_show(data, s.options, s.plot_dir, g); });
    } else {
      const ScalingData data = compute_scaling(runs, s.options);
      render(scaling_report(runs, data, s.options), format, color, out, err);
      maybe_plot(s, err, [&](const std::string& g) { return plot_scaling(data, s.plot_dir, g); });
    }
    return kExitOk;
  }

  if (diff->parsed()) {
    const bool named = !s.old_files.empty() || !s.new_files.empty();
    if (named && !s.files.empty())
      throw InputError("diff: give either two files (OLD NEW) or --old FILES… --new FILES…, not both");
    if (named && (s.old_files.empty() || s.new_files.empty()))
      throw InputError("diff: --old and --new must both be given, each with at least one file");
    if (!named && s.files.size() != 2)
      throw InputError(fmt::format("diff: expected two files (OLD NEW), got {}; for several files per "
                                   "side use --old FILES… --new FILES…",
                                   s.files.size()));
    const auto old_files = load_all(named ? s.old_files : std::vector{s.files[0]}, contract, err);
    const auto new_files = load_all(named ? s.new_files : std::vector{s.files[1]}, contract, err);
    const Run old_run = merge_all(old_files, "OLD");
    const Run new_run = merge_all(new_files, "NEW");
    check_metric({&old_run, &new_run}, s.options.metric);
    const DiffData data = compute_diff(old_run, new_run, s.options);
    render(diff_report(old_run, new_run, data, s.options), format, color, out, err);
    maybe_plot(s, err, [&](const std::string& g) { return plot_diff(data, s.options, s.plot_dir, g); });
    return data.regression ? kExitRegression : kExitOk;
  }

  if (check->parsed()) {
    // Like one side of diff: the files are taken together (merge_all), so a
    // run split into several files, or extended by a later family, is one run.
    for (const auto& f : s.before_files)
      if (f.starts_with("--"))
        throw InputError(fmt::format("check: --before takes file names, not the option \"{}\"; give it "
                                     "at least one file",
                                     f));
    const Run measured = merge_all(load_all(s.files, contract, err), "measured");
    std::optional<Run> before;
    if (!s.before_files.empty()) before = merge_all(load_all(s.before_files, contract, err), "before");
    const Run* before_ptr = before ? &*before : nullptr;
    const TargetsData data = compute_targets(measured, before_ptr, *spec);
    render(targets_report(measured, before_ptr, *spec, data), format, color, out, err);
    return data.not_met > 0 ? kExitTargetNotMet : kExitOk;
  }
  return kExitInvalid;
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, bool color_capable) {
  try {
    Settings s;
    CLI::App app{"tpx-compare: compare Google Benchmark results across contenders, machines and commits",
                 "tpx-compare"};
    app.footer(kExamples);
    app.require_subcommand(1);

    CLI::App* show = app.add_subcommand(
        "show", "Per workload, every contender on every machine: median, spread, and the ratio to a "
                "reference contender measured in the same run");
    show->add_option("FILES", s.files, "Google Benchmark JSON files")->required();
    show->add_option("--ref", s.options.ref,
                     "Reference contender for the ratios (default: the files' compare_reference; without "
                     "either, no ratios)")
        ->type_name("CONTENDER");
    add_common(show, s);
    show->footer("\nExamples:\n  tpx-compare show runs/*.json\n"
                 "  tpx-compare show --ref baseline --metric p99_us laptop.json server.json\n"
                 "  tpx-compare show --name-format workload/contender/args --ref std other-project.json\n"
                 "  tpx-compare show --format markdown --plot docs/charts runs/*.json > RESULTS.md\n\n"
                 "Ratios are contender / reference on the same machine and run, with the same arguments: "
                 "the figure that compares across machines. Names are split into workload and contender "
                 "only with a name format (the files' compare_name_format, --name-format, or a spec's "
                 "context_defaults); other names are listed on their own.");

    CLI::App* diff = app.add_subcommand(
        "diff", "Per benchmark, the change from OLD to NEW, with a Mann-Whitney U test over the repetitions "
                "and a Hodges-Lehmann confidence interval; exit code 1 on a significant regression");
    diff->add_option("FILES", s.files, "OLD NEW: two files (or use --old/--new)");
    diff->add_option("--old", s.old_files, "OLD side: one or more files (repetitions pooled)");
    diff->add_option("--new", s.new_files, "NEW side: one or more files (repetitions pooled)");
    diff->add_option("--threshold", s.threshold,
                     "Noise threshold in percent: smaller changes are never a regression")
        ->default_str("5");
    diff->add_option("--alpha", s.options.alpha, "Significance level of the U test (and 1-alpha intervals)")
        ->default_str("0.05")
        ->check(CLI::Range(1e-9, 0.5));
    diff->add_flag("--no-counters", s.no_counters, "Compare only --metric, not the counters");
    add_common(diff, s);
    diff->footer("\nExamples:\n  tpx-compare diff main.json branch.json\n"
                 "  tpx-compare diff --old base-1.json base-2.json --new head.json --threshold 3\n"
                 "  tpx-compare diff --metric items_per_second --format markdown old.json new.json\n\n"
                 "A change is a REGRESSION or an improvement only if p < alpha and |change| > threshold; "
                 "direction follows the metric (times, latencies: lower is better; *_per_second, "
                 "efficiency: higher is better). Counters are compared for information; only --metric "
                 "sets the exit code. Needs raw repetitions (--benchmark_repetitions=N, at least 5).");

    CLI::App* scaling = app.add_subcommand(
        "scaling", "Throughput against worker count per contender and machine: speedup, parallel "
                   "efficiency and the count at the peak");
    scaling->add_option("FILES", s.files, "Google Benchmark JSON files")->required();
    add_common(scaling, s);
    scaling->footer("\nExamples:\n  tpx-compare scaling server.json\n"
                    "  tpx-compare scaling --plot charts laptop.json server.json\n\n"
                    "The worker count comes from workers:N in the name, else a \"workers\" counter, else "
                    "threads:N. Throughput is items_per_second when present, else iterations per second.");

    CLI::App* check = app.add_subcommand(
        "check", "Targets from a spec file (--spec): for each, the measured figure, the goal and a verdict "
                 "(met / NOT met / not measured); exit code 1 when a measured target is not met");
    check->alias("targets");
    check->add_option("FILES", s.files, "Google Benchmark JSON files of one run (taken together)")->required();
    check->add_option("--before", s.before_files,
                      "An earlier run's files: adds a before column with the same figures (takes every "
                      "file up to the next option; or repeat --before per file)")
        ->type_name("FILE");
    add_input(check, s, true);
    check->add_option("--format", s.format, "Output format")
        ->check(CLI::IsMember({"text", "markdown", "csv", "json"}))
        ->default_str("text");
    check->add_flag("--no-color", s.no_color,
                    "No ANSI colours (also off when stdout is not a terminal or NO_COLOR is set)");
    check->footer(R"(
Examples:
  tpx-compare check --spec targets.json runs/*.json
  tpx-compare check --spec targets.json runs/new-*.json --before runs/old-*.json
  tpx-compare targets --spec targets.json --format markdown runs/*.json > targets.md

Each figure is the median aggregate (*_median) of a benchmark, or the ratio of
two measured in the same run, at the largest worker count present for the
workload unless the target names one. A target whose benchmarks are not in the
files is "not measured" and says what is missing; it does not change the exit code.

The spec (JSON):
  {"context_defaults": {"compare_name_format": "workload/contender/args", ...},
   "targets": [
     {"id": "1", "wording": "fast: ours at most half the baseline's time",
      "subject": {"workload": "fast", "contenders": ["ours"]},
      "versus":  {"workload": "fast", "contenders": ["baseline", "other"]},
      "comparison": "at_most", "goal": 0.5}]}
A pick is a workload with contenders (several: the best of them) or
"benchmarks" by full name; "metric" (default real_time) is a metric or a list
of counters to multiply; "args" ({"chunk": 1024}, null: no such argument,
{"from_subject": COUNTER} in versus); "fallback": picks tried in order when
the pick finds nothing, each changing some of its fields, with a "note".
Row fields: id, wording, subject, versus, comparison (at_most, at_least),
goal, goal_text, figure (ratio, percent, count), workers, worst_of (metrics),
only_if_present. The full format is in tpx-compare's README.md.

Exit codes: 0 every measured target met, 1 a measured target NOT met, 2 invalid
input or spec (the message names the file, and for a spec the row and field).)");

    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e, out, err);
      err << "tpx-compare: error: " << e.what() << "\nRun 'tpx-compare --help' for usage.\n";
      return kExitInvalid;
    }
    return run_command(app, show, diff, scaling, check, s, out, err, color_capable);
  } catch (const InputError& e) {
    err << "tpx-compare: error: " << e.what() << '\n';
    return kExitInvalid;
  } catch (const std::exception& e) {
    err << "tpx-compare: internal error: " << e.what() << " (please report this with the input files)\n";
    return kExitInvalid;
  } catch (...) {
    err << "tpx-compare: internal error (please report this with the input files)\n";
    return kExitInvalid;
  }
}

}  // namespace tpx::compare
