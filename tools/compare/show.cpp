#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "machines.hpp"
#include "metric.hpp"
#include "views.hpp"

namespace tpx::compare {
namespace {

std::size_t index_of(std::vector<std::string>& order, const std::string& key) {
  auto it = std::find(order.begin(), order.end(), key);
  if (it != order.end()) return static_cast<std::size_t>(it - order.begin());
  order.push_back(key);
  return order.size() - 1;
}

Style ratio_style(double ratio, std::string_view metric, const Options& o) {
  const Better b = better_direction(metric);
  if (b == Better::unknown) return Style::plain;
  const bool better = b == Better::lower ? ratio < 1 - o.threshold : ratio > 1 + o.threshold;
  const bool worse = b == Better::lower ? ratio > 1 + o.threshold : ratio < 1 - o.threshold;
  return better ? Style::good : worse ? Style::bad : Style::plain;
}

}  // namespace

ShowData compute_show(const std::vector<Run>& runs, const Options& o) {
  ShowData data;
  std::vector<std::string> slots, contenders;
  std::set<std::string> all_contenders;
  std::size_t missing_metric = 0, missing_ref = 0;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const Run& run = runs[r];
    for (const Series& s : run.series) {
      const auto sum = summarize(s, o.metric);
      if (!sum) {
        ++missing_metric;
        continue;
      }
      const std::string workload = s.name.project_style ? s.name.workload : "";
      const std::size_t w = index_of(data.workloads, workload);
      if (data.rows.size() <= w) data.rows.resize(w + 1);
      ShowRow row{&s, run.label, *sum, std::nullopt, s.name.contender == o.ref};
      if (s.name.project_style) {
        all_contenders.insert(s.name.contender);
        index_of(slots, s.name.slot);
        index_of(contenders, s.name.contender);
        const auto ref = std::find_if(run.series.begin(), run.series.end(), [&](const Series& x) {
          return x.name.project_style && x.name.contender == o.ref && x.name.slot == s.name.slot;
        });
        if (ref != run.series.end()) {
          if (const auto rs = summarize(*ref, o.metric); rs && rs->center != 0)
            row.ratio = sum->center / rs->center;
        } else {
          ++missing_ref;
        }
      }
      data.rows[w].push_back(row);
    }
  }
  // Order: arguments (slot), reference first then contenders by appearance, then run.
  const auto rank = [&](const ShowRow& x) {
    const auto& n = x.series->name;
    const auto slot = std::find(slots.begin(), slots.end(), n.slot) - slots.begin();
    const auto contender = n.contender == o.ref
                               ? -1
                               : std::find(contenders.begin(), contenders.end(), n.contender) - contenders.begin();
    std::size_t run = 0;
    while (run < runs.size() && runs[run].label != x.run) ++run;
    return std::tuple(slot, contender, run);
  };
  for (auto& rows : data.rows)
    std::stable_sort(rows.begin(), rows.end(), [&](const ShowRow& a, const ShowRow& b) {
      if (!a.series->name.project_style) return false;
      return rank(a) < rank(b);
    });

  if (missing_metric > 0)
    data.notes.push_back({true, fmt::format("{} benchmark(s) have no \"{}\" and are not shown",
                                            missing_metric, o.metric)});
  if (!all_contenders.empty() && !all_contenders.contains(o.ref)) {
    std::string list;
    for (const auto& c : all_contenders) list += (list.empty() ? "" : ", ") + c;
    data.notes.push_back({true, fmt::format("no ratios: reference contender \"{}\" is in no run "
                                            "(contenders: {}); choose one with --ref",
                                            o.ref, list)});
  } else if (missing_ref > 0) {
    data.notes.push_back({false, fmt::format("{} row(s) have no ratio: \"{}\" did not run the same "
                                             "workload and arguments on that run",
                                             missing_ref, o.ref)});
  }
  if (std::find(data.workloads.begin(), data.workloads.end(), "") != data.workloads.end())
    data.notes.push_back({false, "benchmarks not named <workload>/<contender>/<args> are listed "
                                 "on their own, without ratios (no contender to compare with)"});
  return data;
}

Report show_report(const std::vector<Run>& runs, const ShowData& data, const Options& o) {
  Report report;
  report.sections.push_back(machines_section(runs));
  Section warnings{"Warnings", run_warnings(runs, o.metric, o.cv_limit), std::nullopt};
  warnings.notes.insert(warnings.notes.end(), data.notes.begin(), data.notes.end());
  if (!warnings.notes.empty()) report.sections.push_back(std::move(warnings));

  const bool multi = runs.size() > 1;
  const Better better = better_direction(o.metric);
  const char* direction = better == Better::lower ? "lower is better"
                          : better == Better::higher ? "higher is better"
                                                     : "direction unknown";
  for (std::size_t w = 0; w < data.workloads.size(); ++w) {
    const bool project = !data.workloads[w].empty();
    Section s;
    s.title = project ? fmt::format("{} — median {} ({}), ratio to {}", data.workloads[w], o.metric,
                                    direction, o.ref)
                      : fmt::format("Benchmarks — median {} ({})", o.metric, direction);
    Table t;
    if (project) t.columns = {{"args", Align::left}, {"contender", Align::left}};
    else t.columns = {{"benchmark", Align::left}};
    if (multi) t.columns.push_back({"run", Align::left});
    t.columns.push_back({"median", Align::right});
    t.columns.push_back({"cv", Align::right});
    t.columns.push_back({"n", Align::right});
    if (project) t.columns.push_back({fmt::format("÷ {}", o.ref), Align::right});
    for (const ShowRow& r : data.rows[w]) {
      std::vector<Cell> row;
      const auto& n = r.series->name;
      if (project) {
        row.push_back({n.args_text(), {}, Style::plain});
        row.push_back({n.contender, {}, r.is_ref ? Style::dim : Style::plain});
      } else {
        row.push_back({n.full, {}, Style::plain});
      }
      if (multi) row.push_back({r.run, {}, Style::plain});
      row.push_back({format_value(r.summary.center, o.metric), r.summary.center, Style::plain});
      row.push_back({r.summary.n > 1 ? fmt::format("±{:.1f}%", r.summary.cv * 100) : "—",
                     r.summary.n > 1 ? std::optional(r.summary.cv) : std::nullopt,
                     r.summary.cv > o.cv_limit ? Style::warn : Style::plain});
      row.push_back({fmt::format("{}{}", r.summary.n, r.summary.from_aggregates ? "ᵃ" : ""),
                     static_cast<double>(r.summary.n), Style::plain});
      if (project) {
        if (r.ratio)
          row.push_back({format_ratio(*r.ratio), *r.ratio,
                         r.is_ref ? Style::dim : ratio_style(*r.ratio, o.metric, o)});
        else
          row.push_back({"—", {}, Style::dim});
      }
      t.rows.push_back(std::move(row));
    }
    if (std::any_of(data.rows[w].begin(), data.rows[w].end(),
                    [](const ShowRow& r) { return r.summary.from_aggregates; }))
      s.notes.push_back({false, "ᵃ from aggregates only: the median aggregate (averaged over files), no repetitions"});
    s.table = std::move(t);
    report.sections.push_back(std::move(s));
  }
  return report;
}

}  // namespace tpx::compare
