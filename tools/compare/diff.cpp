#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "machines.hpp"
#include "metric.hpp"
#include "views.hpp"

namespace tpx::compare {
namespace {

std::string file_list(const Run& r) {
  std::string out;
  for (std::size_t i = 0; i < r.files.size() && i < 3; ++i) out += (i ? ", " : "") + r.files[i];
  if (r.files.size() > 3) out += fmt::format(" and {} more", r.files.size() - 3);
  return out;
}

// The relative change from a to b with its interval: on logarithms when every
// value is positive (so +10% and -9.1% are the same factor), else on the
// values, relative to a's median.
void estimate_change(const std::vector<double>& a, const std::vector<double>& b, double alpha,
                     DiffRow& row) {
  const bool positive = std::all_of(a.begin(), a.end(), [](double x) { return x > 0; }) &&
                        std::all_of(b.begin(), b.end(), [](double x) { return x > 0; });
  if (positive) {
    std::vector<double> la, lb;
    for (double x : a) la.push_back(std::log(x));
    for (double x : b) lb.push_back(std::log(x));
    const Shift s = hodges_lehmann(la, lb, alpha);
    row.change = std::expm1(s.estimate);
    if (s.low) row.ci_low = std::expm1(*s.low);
    if (s.high) row.ci_high = std::expm1(*s.high);
    return;
  }
  const double base = std::fabs(median(a));
  const Shift s = hodges_lehmann(a, b, alpha);
  if (base == 0) {
    row.change = s.estimate == 0 ? 0 : NAN;
    return;
  }
  row.change = s.estimate / base;
  if (s.low) row.ci_low = *s.low / base;
  if (s.high) row.ci_high = *s.high / base;
}

std::optional<DiffRow> compare(const Series& a, const Series& b, const std::string& metric,
                               const Run& old_run, const Run& new_run, const Options& o) {
  const auto sa = summarize(a, metric), sb = summarize(b, metric);
  if (!sa || !sb) return std::nullopt;
  DiffRow row;
  row.benchmark = a.name.full;
  row.metric = metric;
  row.old_summary = *sa;
  row.new_summary = *sb;
  if (!a.has_raw() || !b.has_raw()) {
    row.change = sa->center != 0 ? sb->center / sa->center - 1 : NAN;
    row.verdict = Verdict::untestable;
    const Run& which = !a.has_raw() ? old_run : new_run;
    row.reason = fmt::format("{} has aggregates only ({}): the U test needs the raw repetitions",
                             &which == &old_run ? "OLD" : "NEW", file_list(which));
    return row;
  }
  const auto va = samples(a, metric), vb = samples(b, metric);
  row.test = mann_whitney_u(va, vb);
  estimate_change(va, vb, o.alpha, row);
  row.verdict = judge(row.change, row.test->p, metric, o);
  return row;
}

Cell change_cell(const DiffRow& r) {
  const Style style = r.verdict == Verdict::regression    ? Style::bad
                      : r.verdict == Verdict::improvement ? Style::good
                                                          : Style::plain;
  return {format_percent(r.change), std::isfinite(r.change) ? std::optional(r.change) : std::nullopt, style};
}

Cell verdict_cell(const DiffRow& r) {
  const Style style = r.verdict == Verdict::regression    ? Style::bad
                      : r.verdict == Verdict::improvement ? Style::good
                      : r.verdict == Verdict::changed     ? Style::warn
                                                          : Style::dim;
  return {verdict_text(r.verdict), {}, style};
}

std::vector<Cell> row_cells(const DiffRow& r, bool with_metric) {
  std::vector<Cell> row{{r.benchmark, {}, Style::plain}};
  if (with_metric) row.push_back({r.metric, {}, Style::plain});
  row.push_back({format_value(r.old_summary.center, r.metric), r.old_summary.center, Style::plain});
  row.push_back({format_value(r.new_summary.center, r.metric), r.new_summary.center, Style::plain});
  row.push_back(change_cell(r));
  if (r.ci_low && r.ci_high)
    row.push_back({fmt::format("[{}, {}]", format_percent(*r.ci_low), format_percent(*r.ci_high)), {}, Style::plain});
  else
    row.push_back({"—", {}, Style::dim});
  if (r.test)
    row.push_back({fmt::format("{:.3f}{}", r.test->p, r.test->exact ? "" : "~"), r.test->p, Style::plain});
  else
    row.push_back({"—", {}, Style::dim});
  row.push_back({fmt::format("{}/{}", r.old_summary.n, r.new_summary.n), {}, Style::plain});
  row.push_back(verdict_cell(r));
  return row;
}

Table diff_table(const std::vector<DiffRow>& rows, bool with_metric, double alpha) {
  Table t;
  t.columns = {{"benchmark", Align::left}};
  if (with_metric) t.columns.push_back({"counter", Align::left});
  t.columns.insert(t.columns.end(),
                   {{"old", Align::right},
                    {"new", Align::right},
                    {"change", Align::right},
                    {fmt::format("{:g}% CI", (1 - alpha) * 100), Align::right},
                    {"p", Align::right},
                    {"n", Align::right},
                    {"verdict", Align::left}});
  for (const auto& r : rows) t.rows.push_back(row_cells(r, with_metric));
  return t;
}

}  // namespace

const char* verdict_text(Verdict v) {
  switch (v) {
    case Verdict::regression: return "REGRESSION";
    case Verdict::improvement: return "improvement";
    case Verdict::changed: return "changed";
    case Verdict::noise: return "within noise";
    case Verdict::not_significant: return "not significant";
    case Verdict::untestable: return "no test";
  }
  return "?";
}

Verdict judge(double change, double p, std::string_view metric, const Options& o) {
  if (!std::isfinite(change)) return Verdict::not_significant;
  if (p >= o.alpha) return Verdict::not_significant;
  if (std::fabs(change) <= o.threshold) return Verdict::noise;
  switch (better_direction(metric)) {
    case Better::lower: return change > 0 ? Verdict::regression : Verdict::improvement;
    case Better::higher: return change < 0 ? Verdict::regression : Verdict::improvement;
    case Better::unknown: break;
  }
  return Verdict::changed;
}

DiffData compute_diff(const Run& old_run, const Run& new_run, const Options& o) {
  DiffData d;
  for (const Series& a : old_run.series) {
    const Series* b = new_run.find(a.name.full);
    if (b == nullptr) {
      d.only_old.push_back(a.name.full);
      continue;
    }
    if (auto row = compare(a, *b, o.metric, old_run, new_run, o)) d.primary.push_back(std::move(*row));
    if (!o.counters) continue;
    std::set<std::string> names;
    for (const Series* s : {&a, b}) {
      for (const Entry& e : s->iterations)
        for (const auto& [k, v] : e.counters) names.insert(k);
      for (const auto& set : s->aggregate_sets)
        for (const auto& [agg, e] : set)
          for (const auto& [k, v] : e.counters) names.insert(k);
    }
    for (const auto& counter : names) {
      if (counter == o.metric || is_configuration_counter(counter)) continue;
      if (auto row = compare(a, *b, counter, old_run, new_run, o)) d.counters.push_back(std::move(*row));
    }
  }
  for (const Series& b : new_run.series)
    if (old_run.find(b.name.full) == nullptr) d.only_new.push_back(b.name.full);

  if (d.primary.empty()) {
    const auto some = [](const std::vector<std::string>& names) {
      std::string out;
      for (std::size_t i = 0; i < names.size() && i < 3; ++i) out += (i ? ", " : "") + names[i];
      return out.empty() ? std::string("none") : out;
    };
    if (d.only_old.size() + d.only_new.size() > 0 && d.only_old.size() == old_run.series.size())
      throw InputError(fmt::format("no common benchmarks between OLD ({}) and NEW ({}): OLD has {}; "
                                   "NEW has {}",
                                   file_list(old_run), file_list(new_run), some(d.only_old),
                                   some(d.only_new)));
    throw InputError(fmt::format("no common benchmark of OLD ({}) and NEW ({}) has the metric "
                                 "\"{}\"; choose another with --metric",
                                 file_list(old_run), file_list(new_run), o.metric));
  }
  d.regression = std::any_of(d.primary.begin(), d.primary.end(),
                             [](const DiffRow& r) { return r.verdict == Verdict::regression; });
  return d;
}

Report diff_report(const Run& old_run, const Run& new_run, const DiffData& d, const Options& o) {
  Report report;
  report.sections.push_back(machines_section({old_run, new_run}));

  Section warnings{"Warnings", run_warnings({old_run, new_run}, o.metric, o.cv_limit), std::nullopt};
  if (old_run.machine_id != new_run.machine_id)
    warnings.notes.push_back({true, "OLD and NEW ran on different machines: their absolute numbers "
                                    "mix the machine with the code; compare the same-run ratios "
                                    "of `tpx-compare show` instead"});
  for (const Run* r : {&old_run, &new_run})
    if (r->machines > 1)
      warnings.notes.push_back({true, fmt::format("{}'s files come from {} different machines; their "
                                                  "repetitions were pooled",
                                                  r->label, r->machines)});
  if (!d.only_old.empty())
    warnings.notes.push_back({false, fmt::format("{} benchmark(s) only in OLD, e.g. {}", d.only_old.size(), d.only_old.front())});
  if (!d.only_new.empty())
    warnings.notes.push_back({false, fmt::format("{} benchmark(s) only in NEW, e.g. {}", d.only_new.size(), d.only_new.front())});
  // One line says why; the rows themselves say "no test".
  const auto untested = std::find_if(d.primary.begin(), d.primary.end(),
                                     [](const DiffRow& r) { return r.verdict == Verdict::untestable; });
  if (untested != d.primary.end())
    warnings.notes.push_back({true, "no significance test possible: " + untested->reason});
  if (!warnings.notes.empty()) report.sections.push_back(std::move(warnings));

  const auto count = [&](Verdict v) {
    return std::count_if(d.primary.begin(), d.primary.end(), [&](const DiffRow& r) { return r.verdict == v; });
  };
  Section primary;
  primary.title = fmt::format("Change in {} (OLD → NEW)", o.metric);
  primary.notes.push_back(
      {false, fmt::format("change = Hodges–Lehmann estimate of NEW/OLD − 1 over repetitions; p = "
                          "two-sided Mann–Whitney U (~ normal approximation); a change is a "
                          "regression or improvement only if p < {:g} and |change| > {:g}%",
                          o.alpha, o.threshold * 100)});
  primary.notes.push_back({count(Verdict::regression) > 0,
                           fmt::format("{} regression(s), {} improvement(s), {} within noise, {} not "
                                       "significant, {} untested",
                                       count(Verdict::regression), count(Verdict::improvement),
                                       count(Verdict::noise), count(Verdict::not_significant),
                                       count(Verdict::untestable))});
  primary.table = diff_table(d.primary, false, o.alpha);
  report.sections.push_back(std::move(primary));

  if (!d.counters.empty()) {
    Section counters;
    counters.title = "Change in counters (OLD → NEW)";
    counters.notes.push_back({false, "informational: only the main metric sets the exit code"});
    counters.table = diff_table(d.counters, true, o.alpha);
    report.sections.push_back(std::move(counters));
  }
  return report;
}

}  // namespace tpx::compare
