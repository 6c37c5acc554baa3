#include "machines.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "metric.hpp"

namespace tpx::compare {
namespace {

struct Field {
  const char* key;
  const char* label;
};

// Google Benchmark's own context fields, in reading order after the host and
// the fields the files name as identifying the machine (compare_machine_keys).
constexpr std::array kStandardFields = {
    Field{"num_cpus", "CPUs (Google Benchmark)"},
    Field{"mhz_per_cpu", "MHz per CPU"},
    Field{"cpu_scaling_enabled", "frequency scaling"},
    Field{"caches", "caches"},
    Field{"library_build_type", "benchmark library build"},
    Field{"library_version", "benchmark library version"},
};

// Fields that change on every run and say nothing about the machine.
bool is_volatile(const std::string& key) { return key == "date" || key == "load_avg"; }

std::string examples(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 3; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 3) out += fmt::format(", … ({} more)", names.size() - 3);
  return out;
}

}  // namespace

Section machines_section(const std::vector<Run>& runs) {
  Section s;
  s.title = runs.size() == 1 ? "Machine" : fmt::format("Machines ({} runs)", runs.size());
  Table t;
  t.columns.push_back({"field", Align::left});
  for (const Run& r : runs) t.columns.push_back({r.label, Align::left});
  if (runs.size() > 1) t.columns.push_back({"", Align::left});

  // The host, the fields the files say identify the machine and its usable
  // CPUs, Google Benchmark's own, the build type and the commit, every other
  // field by name, then the executable and the date. The contract's own
  // fields say how to read the files, not what ran: they are not shown.
  std::vector<std::pair<std::string, std::string>> fields;
  std::set<std::string> placed;
  const auto place = [&](const std::string& key, const std::string& label) {
    if (placed.insert(key).second) fields.emplace_back(key, label);
  };
  const auto label_of = [](const std::string& key) {
    for (const Field& f : kStandardFields)
      if (key == f.key) return std::string(f.label);
    return key;
  };
  place("host_name", "host");
  for (const Run& r : runs) {
    for (const auto& key : machine_keys_of(r.context)) place(key, label_of(key));
    if (const std::string key = context_field(r.context, kCpusKeyKey); !key.empty()) place(key, key);
  }
  for (const Field& f : kStandardFields) place(f.key, f.label);
  for (const Run& r : runs) {
    if (const std::string key = context_field(r.context, kBuildTypeKeyKey); !key.empty()) place(key, key);
    if (const std::string key = context_field(r.context, kCommitKeyKey); !key.empty()) place(key, key);
  }
  std::set<std::string> extra;  // other custom fields, by name
  for (const Run& r : runs)
    for (const auto& [k, v] : r.context)
      if (!placed.contains(k) && !is_contract_key(k) && k != "executable" && k != "date" && !is_volatile(k))
        extra.insert(k);
  for (const auto& k : extra) place(k, k);
  place("executable", "executable");
  place("date", "date");

  std::size_t differing = 0;
  for (const auto& [key, label] : fields) {
    std::vector<std::string> values;
    for (const Run& r : runs) values.push_back(context_field(r.context, key));
    if (std::all_of(values.begin(), values.end(), [](const auto& v) { return v.empty(); })) continue;
    const bool differs = std::adjacent_find(values.begin(), values.end(), std::not_equal_to<>()) != values.end();
    const bool flag = differs && !is_volatile(key);
    if (flag) ++differing;
    std::vector<Cell> row{{label, {}, flag ? Style::warn : Style::plain}};
    for (const auto& v : values) row.push_back({v.empty() ? "—" : v, {}, flag ? Style::warn : Style::plain});
    if (runs.size() > 1) row.push_back({flag ? "≠" : "", {}, Style::warn});
    t.rows.push_back(std::move(row));
  }
  std::vector<Cell> files{{"files", {}, Style::plain}};
  for (const Run& r : runs) files.push_back({fmt::format("{}", r.files.size()), static_cast<double>(r.files.size()), Style::plain});
  if (runs.size() > 1) files.push_back({"", {}, Style::plain});
  t.rows.push_back(std::move(files));
  if (runs.size() > 1)
    s.notes.push_back({false, differing == 0 ? "the runs' contexts agree on every field"
                                             : fmt::format("{} field(s) differ (marked ≠)", differing)});
  s.table = std::move(t);
  return s;
}

std::vector<Note> run_warnings(const std::vector<Run>& runs, std::string_view metric, double cv_limit) {
  std::vector<Note> notes;
  for (const Run& r : runs) {
    for (const auto& n : r.notes) notes.push_back({false, n});
    const std::string who = runs.size() > 1 ? fmt::format("{}: ", r.label) : std::string{};
    if (const auto [build, key] = build_type_of(r.context); is_debug_build(build))
      notes.push_back({true, fmt::format("{}the benchmarks were built in Debug ({}={}): numbers are not "
                                         "representative; build Release",
                                         who, key, build)});
    if (context_field(r.context, "library_build_type") == "debug")
      notes.push_back({true, who + "Google Benchmark itself is a debug build "
                                   "(library_build_type=debug): timings may be inflated"});
    if (context_field(r.context, "cpu_scaling_enabled") == "true")
      notes.push_back({true, who + "CPU frequency scaling is enabled: expect noisy timings "
                                   "(set the governor to performance)"});

    const CpuCount cpus = cpus_of(r.context);
    std::vector<std::string> oversubscribed, few, noisy, aggregates_only;
    std::size_t min_reps = SIZE_MAX;
    int max_workers = 0;
    const auto& allowed = cpus.count;
    for (const Series& s : r.series) {
      if (allowed && s.workers && *s.workers > *allowed) {
        oversubscribed.push_back(s.name.full);
        max_workers = std::max(max_workers, *s.workers);
      }
      if (!s.has_raw()) aggregates_only.push_back(s.name.full);
      const auto sum = summarize(s, metric);
      if (!sum) continue;
      if (sum->n < kMinRepetitions) {
        few.push_back(s.name.full);
        min_reps = std::min(min_reps, sum->n);
      }
      if (sum->cv > cv_limit) noisy.push_back(fmt::format("{} ({:.0f}%)", s.name.full, sum->cv * 100));
    }
    if (!oversubscribed.empty())
      notes.push_back({true, fmt::format("{}{} benchmark(s) use more workers (up to {}) than the {} "
                                         "allowed CPUs ({}): oversubscribed, e.g. {}",
                                         who, oversubscribed.size(), max_workers, *allowed,
                                         cpus.source, examples(oversubscribed))});
    if (!few.empty())
      notes.push_back({true, fmt::format("{}{} benchmark(s) have fewer than {} repetitions (as few as "
                                         "{}): significance tests are weak or impossible; rerun with "
                                         "--benchmark_repetitions=10, e.g. {}",
                                         who, few.size(), kMinRepetitions, min_reps, examples(few))});
    if (!noisy.empty())
      notes.push_back({true, fmt::format("{}{} benchmark(s) vary by more than {:.0f}% (coefficient of "
                                         "variation of {}): {}",
                                         who, noisy.size(), cv_limit * 100, metric, examples(noisy))});
    if (!aggregates_only.empty())
      notes.push_back({true, fmt::format("{}{} benchmark(s) have aggregates only (mean/median/stddev, no "
                                         "repetitions): shown, but no significance test is possible; "
                                         "rerun without --benchmark_report_aggregates_only, e.g. {}",
                                         who, aggregates_only.size(), examples(aggregates_only))});
  }
  return notes;
}

}  // namespace tpx::compare
