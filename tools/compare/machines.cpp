#include "machines.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <set>

#include "metric.hpp"

namespace tpx::compare {
namespace {

struct Field {
  const char* key;
  const char* label;
};

// The fields that identify a machine and a build, in reading order.
constexpr std::array kFields = {
    Field{"host_name", "host"},
    Field{"tpx_cpu_model", "CPU model"},
    Field{"tpx_cores", "cores"},
    Field{"tpx_pus", "hardware threads"},
    Field{"num_cpus", "CPUs (Google Benchmark)"},
    Field{"tpx_numa_nodes", "NUMA nodes"},
    Field{"tpx_allowed_cpus", "allowed CPUs"},
    Field{"tpx_cgroup_cpu_limit", "cgroup CPU limit"},
    Field{"tpx_pinning", "pinning"},
    Field{"mhz_per_cpu", "MHz per CPU"},
    Field{"cpu_scaling_enabled", "frequency scaling"},
    Field{"caches", "caches"},
    Field{"tpx_kernel", "kernel"},
    Field{"tpx_compiler", "compiler"},
    Field{"tpx_cxx_flags", "C++ flags"},
    Field{"tpx_build_type", "build type"},
    Field{"library_build_type", "benchmark library build"},
    Field{"tpx_git_commit", "commit"},
    Field{"executable", "executable"},
    Field{"date", "date"},
};

// Fields that change on every run and say nothing about the machine.
bool is_volatile(const std::string& key) { return key == "date" || key == "load_avg"; }

std::optional<long> to_long(const std::string& s) {
  long v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p == s.data()) return std::nullopt;
  return v;
}

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

  std::vector<std::pair<std::string, std::string>> fields;
  std::set<std::string> known;
  for (const Field& f : kFields) {
    fields.emplace_back(f.key, f.label);
    known.insert(f.key);
  }
  std::set<std::string> extra;  // other custom fields, e.g. from other benchmark binaries
  for (const Run& r : runs)
    for (const auto& [k, v] : r.context)
      if (!known.contains(k) && !is_volatile(k)) extra.insert(k);
  for (const auto& k : extra) fields.emplace_back(k, k);

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
    const std::string build = context_field(r.context, "tpx_build_type");
    if (build == "Debug" || build == "debug")
      notes.push_back({true, who + "the benchmarks were built in Debug (tpx_build_type=Debug): "
                                   "numbers are not representative; build Release"});
    if (context_field(r.context, "library_build_type") == "debug")
      notes.push_back({true, who + "Google Benchmark itself is a debug build "
                                   "(library_build_type=debug): timings may be inflated"});
    if (context_field(r.context, "cpu_scaling_enabled") == "true")
      notes.push_back({true, who + "CPU frequency scaling is enabled: expect noisy timings "
                                   "(set the governor to performance)"});

    std::string allowed_text = context_field(r.context, "tpx_allowed_cpus");
    const char* allowed_source = "tpx_allowed_cpus";
    if (!to_long(allowed_text)) {
      allowed_text = context_field(r.context, "num_cpus");
      allowed_source = "num_cpus";
    }
    std::vector<std::string> oversubscribed, few, noisy, aggregates_only;
    std::size_t min_reps = SIZE_MAX;
    int max_workers = 0;
    const auto allowed = to_long(allowed_text);
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
                                         allowed_source, examples(oversubscribed))});
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
