#include "runs.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "metric.hpp"
#include "stats.hpp"

namespace tpx::compare {
namespace {

void add_file(Run& run, const BenchFile& file) {
  run.files.push_back(file.path);
  run.notes.insert(run.notes.end(), file.notes.begin(), file.notes.end());
  if (run.context.empty()) run.context = file.context;
  if (const std::string commit = commit_of(file.context);
      std::find(run.commits.begin(), run.commits.end(), commit) == run.commits.end())
    run.commits.push_back(commit);
  const std::optional<NameFormat> format = name_format_of(file.context, file.path);
  run.structured = run.structured || format.has_value();
  run.declares_name_format = run.declares_name_format || file.declares_name_format;

  std::map<std::string, std::map<std::string, Entry>> aggregates;  // by run name
  for (const Entry& e : file.entries) {
    Series* s = nullptr;
    for (auto& existing : run.series)
      if (existing.name.full == e.run_name) s = &existing;
    if (s == nullptr) {
      run.series.push_back(Series{});
      s = &run.series.back();
      s->name = parse_name(e.run_name, format);
    }
    s->files.insert(file.path);
    if (!s->workers) {
      if (s->name.workers)
        s->workers = s->name.workers;
      else if (const auto w = e.counters.find("workers");
               w != e.counters.end() && w->second >= 1 && w->second <= 1e6)
        s->workers = static_cast<int>(w->second);
    }
    if (e.aggregate)
      aggregates[e.run_name][e.aggregate_name] = e;
    else
      s->iterations.push_back(e);
  }
  for (auto& [name, set] : aggregates)
    for (auto& s : run.series)
      if (s.name.full == name) s.aggregate_sets.push_back(std::move(set));
}

const Entry* aggregate(const std::map<std::string, Entry>& set, const char* name) {
  const auto it = set.find(name);
  return it == set.end() ? nullptr : &it->second;
}

}  // namespace

std::size_t Series::repetitions() const {
  if (has_raw()) return iterations.size();
  std::size_t n = 0;
  for (const auto& set : aggregate_sets)
    if (!set.empty()) n += static_cast<std::size_t>(set.begin()->second.repetitions);
  return n;
}

std::vector<double> samples(const Series& s, std::string_view metric) {
  std::vector<double> out;
  for (const Entry& e : s.iterations)
    if (const auto v = metric_value(e, metric)) out.push_back(*v);
  return out;
}

std::optional<Summary> summarize(const Series& s, std::string_view metric) {
  Summary sum;
  if (s.has_raw()) {
    const auto v = samples(s, metric);
    if (v.empty()) return std::nullopt;
    sum.center = median(v);
    sum.cv = coefficient_of_variation(v);
    sum.n = v.size();
    return sum;
  }
  // Aggregates only: the mean over files of each file's median (or mean).
  std::vector<double> centers, cvs;
  for (const auto& set : s.aggregate_sets) {
    const Entry* center = aggregate(set, "median");
    if (center == nullptr) center = aggregate(set, "mean");
    if (center == nullptr) continue;
    const auto c = metric_value(*center, metric);
    if (!c) continue;
    centers.push_back(*c);
    sum.n += static_cast<std::size_t>(center->repetitions);
    if (const Entry* cv = aggregate(set, "cv"); cv != nullptr && cv->percentage) {
      if (const auto v = metric_value(*cv, metric)) cvs.push_back(*v);
    } else if (const Entry* sd = aggregate(set, "stddev"); sd != nullptr && *c != 0) {
      if (const auto v = metric_value(*sd, metric)) cvs.push_back(*v / std::abs(*c));
    }
  }
  if (centers.empty()) return std::nullopt;
  sum.center = mean(centers);
  sum.cv = cvs.empty() ? 0 : mean(cvs);
  sum.from_aggregates = true;
  return sum;
}

const Series* Run::find(std::string_view run_name) const {
  for (const auto& s : series)
    if (s.name.full == run_name) return &s;
  return nullptr;
}

std::vector<Run> group_runs(const std::vector<BenchFile>& files) {
  std::vector<Run> runs;
  for (const BenchFile& f : files) {
    const std::string machine = machine_identity(f.context);
    const std::string commit = commit_of(f.context);
    auto it = std::find_if(runs.begin(), runs.end(), [&](const Run& r) {
      return r.machine_id == machine && r.commit == commit;
    });
    if (it == runs.end()) {
      runs.push_back(Run{});
      it = std::prev(runs.end());
      it->machine_id = machine;
      it->commit = commit;
    }
    add_file(*it, f);
  }
  // Labels: the host name, made unique by the commit, then by a counter.
  for (auto& r : runs) {
    r.label = context_field(r.context, "host_name");
    if (r.label.empty()) r.label = "unknown-host";
  }
  std::vector<std::string> base;
  for (const auto& r : runs) base.push_back(r.label);
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (std::count(base.begin(), base.end(), base[i]) > 1 && !runs[i].commit.empty())
      runs[i].label = base[i] + "@" + runs[i].commit.substr(0, 7);
  std::map<std::string, int> seen;
  std::vector<std::string> labels;
  for (const auto& r : runs) labels.push_back(r.label);
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (std::count(labels.begin(), labels.end(), labels[i]) > 1)
      runs[i].label = fmt::format("{}#{}", labels[i], ++seen[labels[i]]);
  return runs;
}

Run merge_all(const std::vector<BenchFile>& files, std::string label) {
  Run run;
  run.label = std::move(label);
  std::set<std::string> machines;
  for (const BenchFile& f : files) {
    if (run.files.empty()) {
      run.machine_id = machine_identity(f.context);
      run.commit = commit_of(f.context);
    }
    machines.insert(machine_identity(f.context));
    add_file(run, f);
  }
  run.machines = machines.size();
  return run;
}

}  // namespace tpx::compare
