#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "contract.hpp"
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

// --ref, else the first run's compare_reference; a note when the runs name others.
std::string choose_reference(const std::vector<Run>& runs, const Options& o, std::vector<Note>& notes) {
  if (!o.ref.empty()) return o.ref;
  std::string ref;
  std::set<std::string> others;
  for (const Run& r : runs) {
    const std::string named = reference_of(r.context);
    if (named.empty()) continue;
    if (ref.empty())
      ref = named;
    else if (named != ref)
      others.insert(named);
  }
  if (!others.empty()) {
    std::string list;
    for (const auto& c : others) list += (list.empty() ? "" : ", ") + c;
    notes.push_back({true, fmt::format("the files name different reference contenders ({}, {}); ratios are "
                                       "to {}: choose one with --ref",
                                       ref, list, ref)});
  }
  return ref;
}

}  // namespace

ShowData compute_show(const std::vector<Run>& runs, const Options& options) {
  ShowData data;
  data.ref = choose_reference(runs, options, data.notes);
  Options o = options;
  o.ref = data.ref;
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
      const std::string workload = s.name.structured ? s.name.workload : "";
      const std::size_t w = index_of(data.workloads, workload);
      if (data.rows.size() <= w) data.rows.resize(w + 1);
      ShowRow row{&s, run.label, *sum, std::nullopt, s.name.structured && s.name.contender == o.ref};
      if (s.name.structured) {
        all_contenders.insert(s.name.contender);
        index_of(slots, s.name.slot);
        index_of(contenders, s.name.contender);
        const auto ref = std::find_if(run.series.begin(), run.series.end(), [&](const Series& x) {
          return x.name.structured && x.name.contender == o.ref && x.name.slot == s.name.slot;
        });
        if (ref != run.series.end()) {
          if (const auto rs = summarize(*ref, o.metric); rs && rs->center != 0)
            row.ratio = sum->center / rs->center;
        } else if (!o.ref.empty()) {
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
    const auto contender = !o.ref.empty() && n.contender == o.ref
                               ? -1
                               : std::find(contenders.begin(), contenders.end(), n.contender) - contenders.begin();
    std::size_t run = 0;
    while (run < runs.size() && runs[run].label != x.run) ++run;
    return std::tuple(slot, contender, run);
  };
  for (auto& rows : data.rows)
    std::stable_sort(rows.begin(), rows.end(), [&](const ShowRow& a, const ShowRow& b) {
      if (!a.series->name.structured) return false;
      return rank(a) < rank(b);
    });

  if (missing_metric > 0)
    data.notes.push_back({true, fmt::format("{} benchmark(s) have no \"{}\" and are not shown",
                                            missing_metric, o.metric)});
  std::string contender_list;
  for (const auto& c : all_contenders) contender_list += (contender_list.empty() ? "" : ", ") + c;
  if (!all_contenders.empty() && o.ref.empty()) {
    data.notes.push_back({false, fmt::format("no ratios: no reference contender (the files name none in "
                                             "compare_reference); choose one with --ref (contenders: {})",
                                             contender_list)});
  } else if (!all_contenders.empty() && !all_contenders.contains(o.ref)) {
    data.notes.push_back({true, fmt::format("no ratios: reference contender \"{}\" is in no run "
                                            "(contenders: {}); choose one with --ref",
                                            o.ref, contender_list)});
  } else if (missing_ref > 0) {
    data.notes.push_back({false, fmt::format("{} row(s) have no ratio: \"{}\" did not run the same "
                                             "workload and arguments on that run",
                                             missing_ref, o.ref)});
  }
  if (std::find(data.workloads.begin(), data.workloads.end(), "") != data.workloads.end())
    data.notes.push_back({false, "benchmarks not read as <workload>/<contender>/<args> (compare_name_format, "
                                 "--name-format) are listed on their own, without ratios"});
  return data;
}

Report show_report(const std::vector<Run>& runs, const ShowData& data, const Options& options) {
  Options o = options;
  o.ref = data.ref;
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
    s.title = project ? o.ref.empty() ? fmt::format("{} — median {} ({})", data.workloads[w], o.metric, direction)
                                      : fmt::format("{} — median {} ({}), ratio to {}", data.workloads[w], o.metric,
                                                    direction, o.ref)
                      : fmt::format("Benchmarks — median {} ({})", o.metric, direction);
    Table t;
    if (project) t.columns = {{"args", Align::left}, {"contender", Align::left}};
    else t.columns = {{"benchmark", Align::left}};
    if (multi) t.columns.push_back({"run", Align::left});
    t.columns.push_back({"median", Align::right});
    t.columns.push_back({"cv", Align::right});
    t.columns.push_back({"n", Align::right});
    const bool ratios = project && !o.ref.empty();
    if (ratios) t.columns.push_back({fmt::format("÷ {}", o.ref), Align::right});
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
      if (ratios) {
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
