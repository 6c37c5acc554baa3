#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "machines.hpp"
#include "metric.hpp"
#include "views.hpp"

namespace tpx::compare {
namespace {

// Throughput of a series: the --metric when it is a higher-is-better counter,
// else items_per_second when every point has it, else iterations per second
// from the median time.
struct ThroughputSource {
  std::string metric;  // counter to read directly, or "" for 1e9 / time
  std::string unit;
};

ThroughputSource choose_source(const std::vector<const Series*>& points, const Options& o) {
  const auto all_have = [&](const std::string& counter) {
    return std::all_of(points.begin(), points.end(),
                       [&](const Series* s) { return summarize(*s, counter).has_value(); });
  };
  if (!is_time_metric(o.metric) && better_direction(o.metric) == Better::higher && all_have(o.metric))
    return {o.metric, o.metric};
  if (all_have("items_per_second")) return {"items_per_second", "items/s"};
  return {"", "iterations/s"};
}

std::optional<double> throughput(const Series& s, const ThroughputSource& src, const Options& o) {
  if (!src.metric.empty()) {
    const auto sum = summarize(s, src.metric);
    return sum ? std::optional(sum->center) : std::nullopt;
  }
  const std::string time = is_time_metric(o.metric) ? o.metric : "real_time";
  const auto sum = summarize(s, time);
  if (!sum || sum->center <= 0) return std::nullopt;
  return 1e9 / sum->center;
}

}  // namespace

ScalingData compute_scaling(const std::vector<Run>& runs, const Options& o) {
  ScalingData data;
  std::size_t without_workers = 0, single_point = 0;
  for (const Run& run : runs) {
    // Curves in order of first appearance: (curve key, contender) -> points.
    std::vector<std::pair<std::string, std::vector<const Series*>>> curves;
    for (const Series& s : run.series) {
      if (!s.workers) {
        ++without_workers;
        continue;
      }
      const std::string key = s.name.curve + "\n" + s.name.contender;
      auto it = std::find_if(curves.begin(), curves.end(), [&](const auto& c) { return c.first == key; });
      if (it == curves.end()) {
        curves.emplace_back(key, std::vector<const Series*>{});
        it = std::prev(curves.end());
      }
      it->second.push_back(&s);
    }
    for (auto& [key, points] : curves) {
      std::stable_sort(points.begin(), points.end(),
                       [](const Series* a, const Series* b) { return *a->workers < *b->workers; });
      const Series& first = *points.front();
      ScalingCurve c;
      c.run = run.label;
      c.contender = first.name.contender;
      c.workload = first.name.structured ? first.name.workload : first.name.curve;
      for (const auto& [k, v] : first.name.args)
        if (k != "workers") c.variant += (c.variant.empty() ? "" : "/") + (k.empty() ? v : k + ":" + v);
      if (!first.name.structured) c.variant.clear();
      const ThroughputSource src = choose_source(points, o);
      c.unit = src.unit;
      for (const Series* s : points) {
        const auto t = throughput(*s, src, o);
        if (!t) continue;
        if (!c.points.empty() && c.points.back().workers == *s->workers) continue;  // duplicate count
        c.points.push_back({*s->workers, *t, 1, 1});
      }
      if (c.points.size() < 2) {
        ++single_point;
        continue;
      }
      const ScalingPoint base = c.points.front();
      double peak = -1;
      for (auto& p : c.points) {
        p.speedup = base.throughput > 0 ? p.throughput / base.throughput : 0;
        p.efficiency = p.speedup / (static_cast<double>(p.workers) / base.workers);
        if (p.throughput > peak) {
          peak = p.throughput;
          c.peak_workers = p.workers;
        }
      }
      data.curves.push_back(std::move(c));
    }
  }
  if (without_workers > 0)
    data.notes.push_back({false, fmt::format("{} benchmark(s) have no worker count (workers:N in the "
                                             "name, a \"workers\" counter, or threads:N) and are "
                                             "not in this view",
                                             without_workers)});
  if (single_point > 0)
    data.notes.push_back({false, fmt::format("{} series ran at a single worker count and have no curve",
                                             single_point)});
  return data;
}

Report scaling_report(const std::vector<Run>& runs, const ScalingData& data, const Options& o) {
  Report report;
  report.sections.push_back(machines_section(runs));
  Section warnings{"Warnings", run_warnings(runs, o.metric, o.cv_limit), std::nullopt};
  warnings.notes.insert(warnings.notes.end(), data.notes.begin(), data.notes.end());
  if (data.curves.empty())
    warnings.notes.push_back({true, "no scaling curves: no benchmark ran at two or more worker counts"});
  if (!warnings.notes.empty()) report.sections.push_back(std::move(warnings));

  const bool multi = runs.size() > 1;
  std::vector<std::string> workloads;
  for (const auto& c : data.curves)
    if (std::find(workloads.begin(), workloads.end(), c.workload) == workloads.end())
      workloads.push_back(c.workload);
  for (const auto& w : workloads) {
    Section s;
    s.title = fmt::format("{} — throughput by worker count", w);
    s.notes.push_back({false, "speedup = throughput / throughput at the smallest count; efficiency = "
                              "speedup / (workers / smallest count)"});
    Table t;
    t.columns = {{"args", Align::left}, {"contender", Align::left}};
    if (multi) t.columns.push_back({"run", Align::left});
    t.columns.insert(t.columns.end(), {{"workers", Align::right},
                                       {"throughput", Align::right},
                                       {"speedup", Align::right},
                                       {"efficiency", Align::right},
                                       {"", Align::left}});
    for (const auto& c : data.curves) {
      if (c.workload != w) continue;
      for (const auto& p : c.points) {
        std::vector<Cell> row{{c.variant, {}, Style::plain}, {c.contender, {}, Style::plain}};
        if (multi) row.push_back({c.run, {}, Style::plain});
        const std::string unit = format_value(p.throughput, "count") + " " + c.unit;
        row.push_back({fmt::format("{}", p.workers), static_cast<double>(p.workers), Style::plain});
        row.push_back({unit, p.throughput, Style::plain});
        row.push_back({format_ratio(p.speedup), p.speedup, Style::plain});
        row.push_back({fmt::format("{:.0f}%", p.efficiency * 100), p.efficiency,
                       p.efficiency < 0.5 ? Style::warn : Style::plain});
        row.push_back({p.workers == c.peak_workers ? "◀ peak" : "", {}, Style::strong});
        t.rows.push_back(std::move(row));
      }
    }
    s.table = std::move(t);
    report.sections.push_back(std::move(s));
  }
  return report;
}

}  // namespace tpx::compare
