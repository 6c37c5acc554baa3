#include "targets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "contract.hpp"
#include "metric.hpp"
#include "stats.hpp"

namespace tpx::compare {
namespace {

// ---- Reading figures -------------------------------------------------------

// Arguments a benchmark must have: key:value, or (no value) no key:… at all.
using Args = std::vector<std::pair<std::string, std::optional<std::string>>>;

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : std::string(sep)) + p;
  return out;
}

void add_unique(std::vector<std::string>& list, std::string item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
}

bool has_args(const BenchName& n, const Args& required) {
  return std::all_of(required.begin(), required.end(), [&](const auto& rule) {
    // Not a structured binding: clang 14 (the fuzzer's compiler) cannot capture one.
    const std::string& key = rule.first;
    if (rule.second) return std::find(n.args.begin(), n.args.end(), std::pair(key, *rule.second)) != n.args.end();
    return std::none_of(n.args.begin(), n.args.end(), [&](const auto& a) { return a.first == key; });
  });
}

std::string pattern(std::string_view workload, std::string_view contender, const Args& args) {
  std::string s = fmt::format("{}/{}", workload, contender);
  std::vector<std::string> without;
  for (const auto& [k, v] : args) {
    if (v)
      s += "/" + (k.empty() ? *v : k + ":" + *v);
    else
      without.push_back(k);
  }
  if (!without.empty()) s += " without " + join(without, ", ");
  return s;
}

// Nanoseconds per unit of a time metric (the loader already turned
// real_time into ns, whatever the file's time_unit); 0 for other metrics.
double ns_per_unit(std::string_view metric) {
  if (is_time_metric(metric) || metric.ends_with("_ns")) return 1;
  if (metric.ends_with("_us")) return 1e3;
  if (metric.ends_with("_ms")) return 1e6;
  return 0;
}

using Metric = std::vector<std::string>;  // a product of metrics

// "vs_ideal×ideal_ms": as the spec names it.
std::string metric_text(const Metric& m) { return join(m, "×"); }

// {"p50_us"} -> "p50", {"vs_ideal", "ideal_ms"} -> "vs_ideal×ideal", {"real_time"} -> "".
std::string metric_label(const Metric& metric) {
  if (metric == Metric{"real_time"}) return "";
  std::string out;
  for (std::string_view factor : metric) {
    if (ns_per_unit(factor) != 0 && !is_time_metric(factor)) factor.remove_suffix(3);
    out += (out.empty() ? "" : "×") + std::string(factor);
  }
  return out;
}

struct Value {
  double v = 1;
  bool time = false;  // in ns
};

std::string value_text(const Value& v) {
  if (v.time) return format_value(v.v, "real_time");
  // Three significant digits, never rounded away: 1.40, 0.0116, 0.000214; whole numbers as such.
  if (std::fabs(v.v) < 1e6 && v.v == std::round(v.v)) return fmt::format("{:.0f}", v.v);
  return fmt::format("{:#.3g}", v.v);
}

// Which figures were not a single file's median aggregate (said once, below the table).
struct Ledger {
  std::set<std::string> pooled;    // in several files of one side: the mean of their medians
  std::set<std::string> raw_only;  // no median aggregate: the median of the repetitions
};

// The median aggregate of one counter or time of a series.
std::optional<double> median_figure(const Series& s, std::string_view metric, Ledger& ledger) {
  std::vector<double> medians;
  for (const auto& set : s.aggregate_sets)
    if (const auto it = set.find("median"); it != set.end())
      if (const auto v = metric_value(it->second, metric)) medians.push_back(*v);
  if (!medians.empty()) {
    if (medians.size() > 1) ledger.pooled.insert(s.name.full);
    return mean(medians);
  }
  const auto raw = samples(s, metric);
  if (raw.empty()) return std::nullopt;
  ledger.raw_only.insert(s.name.full);
  return median(raw);
}

// A metric, or a product of metrics, of a series; times in ns.
std::optional<Value> read_metric(const Series& s, const Metric& metric, Ledger& ledger) {
  Value out;
  for (const auto& factor : metric) {
    const auto v = median_figure(s, factor, ledger);
    if (!v) return std::nullopt;
    const double scale = ns_per_unit(factor);
    out.v *= scale != 0 ? *v * scale : *v;
    out.time = out.time || scale != 0;
  }
  return out;
}

// Every way a pick may be read, in order: itself, then its fallbacks.
std::vector<const Pick*> chain(const Pick& p) {
  std::vector<const Pick*> out{&p};
  for (const Pick& f : p.fallbacks) out.push_back(&f);
  return out;
}

// A pick's arguments, with those taken from the subject's figures filled in.
std::optional<Args> resolve_args(const Pick& pick, const Series* subject, Ledger& ledger, std::string& missing) {
  Args out;
  for (const ArgRule& rule : pick.args) {
    switch (rule.kind) {
      case ArgRule::Kind::equals: out.emplace_back(rule.key, rule.value); break;
      case ArgRule::Kind::absent: out.emplace_back(rule.key, std::nullopt); break;
      case ArgRule::Kind::from_subject: {
        const auto v = subject != nullptr ? median_figure(*subject, rule.value, ledger) : std::nullopt;
        if (!v) {
          // Without a subject there is nothing to say here: the subject's absence says it.
          if (subject != nullptr) missing = fmt::format("{} has no {}", subject->name.full, rule.value);
          return std::nullopt;
        }
        out.emplace_back(rule.key, fmt::format("{:g}", *v));
        break;
      }
    }
  }
  return out;
}

struct Found {
  const Series* series = nullptr;
  std::string missing;    // what is not in the run, when series is null
  std::string ambiguity;  // several benchmarks matched
};

// A benchmark by its full name.
Found find_named(const Run& run, const std::string& name) {
  if (const Series* s = run.find(name)) return {s, {}, {}};
  return {nullptr, name, {}};
}

// The benchmark of one contender: the given worker count, or (none given)
// the largest the contender ran, or the only one when it has no worker count.
Found find_series(const Run& run, std::string_view workload, std::string_view contender, const Args& args,
                  std::optional<int> workers) {
  std::vector<const Series*> candidates;
  for (const Series& s : run.series)
    if (s.name.structured && s.name.workload == workload && s.name.contender == contender && has_args(s.name, args))
      candidates.push_back(&s);
  const std::string what = pattern(workload, contender, args);
  if (candidates.empty()) return {nullptr, what, {}};
  if (!workers)
    for (const Series* s : candidates)
      if (s->workers && (!workers || *s->workers > *workers)) workers = s->workers;
  std::vector<const Series*> at;
  for (const Series* s : candidates)
    if (!workers || s->workers == workers) at.push_back(s);
  if (at.empty()) {
    std::set<int> counts;
    for (const Series* s : candidates)
      if (s->workers) counts.insert(*s->workers);
    std::vector<std::string> ran;
    for (int c : counts) ran.push_back(std::to_string(c));
    return {nullptr,
            fmt::format("{} at {} workers (ran at {})", what, *workers,
                        ran.empty() ? std::string("no worker count") : join(ran, ", ")),
            {}};
  }
  Found f{at.front(), {}, {}};
  if (at.size() > 1)
    f.ambiguity = fmt::format("{} benchmarks match {}{}; used {}", at.size(), what,
                              workers ? fmt::format(" at {} workers", *workers) : std::string{},
                              at.front()->name.full);
  return f;
}

// One side of a figure.
struct Side {
  std::optional<Value> value;
  const Series* series = nullptr;  // the chosen contender's
  std::string text;                // "base 573 ns", "best a 455 ns (b 479 ns)"
  std::vector<std::string> missing;
  std::vector<std::string> notes;
};

// How a side is read: `metric` replaces every way's own metric (worst_of);
// `workers` applies when `own_workload`; `with_metric` names the metric in
// the text (the two sides read different ones).
struct Reading {
  std::optional<Metric> metric;
  std::optional<int> workers;
  bool own_workload = true;
  bool with_metric = false;
  const Series* subject = nullptr;  // for arguments taken from the subject
};

Side read_side(const Run& run, const Pick& pick, const Reading& how, Ledger& ledger) {
  struct Candidate {
    std::string label;
    Value value;
    const Pick* way;
    const Series* series;
  };
  Side side;
  std::vector<Candidate> found;
  std::vector<std::string> absent;
  const auto ways = chain(pick);
  const Metric main_metric = how.metric.value_or(pick.metric);
  for (const auto& who : pick.by_workload() ? pick.contenders : pick.benchmarks) {
    std::vector<std::string> tried;    // why each way gave nothing
    std::vector<std::string> lacked;   // of those, benchmarks found without the metric
    const Series* lacking = nullptr;  // the first way's benchmark, when it lacked the metric
    bool taken = false;
    for (std::size_t i = 0; i < ways.size() && !taken; ++i) {
      const Pick& way = *ways[i];
      const Metric metric = how.metric.value_or(way.metric);
      std::string unresolved;
      const auto args = resolve_args(way, how.subject, ledger, unresolved);
      if (!args) {
        if (!unresolved.empty()) add_unique(tried, unresolved);
        continue;
      }
      const Found f = way.by_workload()
                          ? find_series(run, way.workload, who, *args, how.own_workload ? how.workers : std::nullopt)
                          : find_named(run, who);
      if (f.series == nullptr) {
        add_unique(tried, f.missing);
        continue;
      }
      if (!f.ambiguity.empty()) add_unique(side.notes, f.ambiguity);
      const auto v = read_metric(*f.series, metric, ledger);
      if (!v) {
        const std::string why = fmt::format("{} has no {}", f.series->name.full, metric_text(metric));
        add_unique(tried, why);
        add_unique(lacked, why);
        if (i == 0) lacking = f.series;
        continue;
      }
      taken = true;
      // A benchmark of another workload (a physical limit, say) is named in
      // full: its arguments say which one.
      const std::string label = !way.by_workload() ? who
                                : how.own_workload ? who
                                                   : pattern(way.workload, who, *args);
      found.push_back({label, *v, &way, f.series});
      if (i == 0) continue;
      const std::string why = way.note.empty() ? std::string{} : fmt::format(" ({})", way.note);
      if (lacking == f.series)
        side.notes.push_back(fmt::format("{} has no {}: its {} ({}) stands in for it{}", f.series->name.full,
                                         metric_text(main_metric), metric_text(metric), value_text(*v), why));
      else  // Another benchmark: said once for every metric read from it, so without a value.
        side.notes.push_back(fmt::format("no {}: {}{} stands in for it{}", join(tried, ", no "), f.series->name.full,
                                         metric == main_metric ? std::string{} : "'s " + metric_text(metric), why));
    }
    // A benchmark found without the metric says more than the names not found.
    if (!taken && !tried.empty()) absent.push_back(join(lacked.empty() ? tried : lacked, " or "));
  }
  if (found.empty()) {
    side.missing = std::move(absent);
    return side;
  }
  const bool higher = better_direction(main_metric.front()) == Better::higher;
  const auto best = std::min_element(found.begin(), found.end(), [&](const Candidate& a, const Candidate& b) {
    return higher ? a.value.v > b.value.v : a.value.v < b.value.v;
  });
  side.value = best->value;
  side.series = best->series;
  // Named when the two sides read different metrics: then real_time is named too.
  const std::string label = !how.with_metric               ? std::string{}
                            : main_metric == Metric{"real_time"} ? std::string("real_time")
                                                                 : metric_label(main_metric);
  const auto describe = [&](const Candidate& c, bool name_metric) {
    std::string text = fmt::format("{}{}{} {}", c.label, name_metric && !label.empty() ? " " : "",
                                   name_metric ? label : std::string{}, value_text(c.value));
    const Metric used = how.metric.value_or(c.way->metric);
    if (used != main_metric) text += fmt::format(" ({}: no {})", metric_text(used), metric_text(main_metric));
    return text;
  };
  side.text = describe(*best, true);
  if (found.size() + absent.size() > 1) {
    std::vector<std::string> others;
    for (const auto& c : found)
      if (&c != &*best) others.push_back(describe(c, false));
    for (const auto& a : absent) others.push_back("not measured: " + a);
    side.text = fmt::format("best {}{}", side.text, others.empty() ? "" : " (" + join(others, ", ") + ")");
  }
  return side;
}

// The subject's benchmarks of the first way that has any (its workload and
// arguments; none for benchmarks named in full, whose count is their own).
std::vector<const Series*> subject_series(const Run& run, const Pick& subject, Ledger& ledger) {
  std::vector<const Series*> out;
  for (const Pick* way : chain(subject)) {
    if (!way->by_workload()) {
      for (const auto& name : way->benchmarks)
        if (const Series* s = run.find(name)) out.push_back(s);
    } else {
      std::string unresolved;
      const auto args = resolve_args(*way, nullptr, ledger, unresolved);
      if (!args) continue;
      for (const Series& s : run.series)
        if (s.name.structured && s.name.workload == way->workload && has_args(s.name, *args)) out.push_back(&s);
    }
    if (!out.empty()) break;
  }
  return out;
}

std::optional<int> row_workers(const Run& run, const TargetSpec& t, Ledger& ledger) {
  if (t.workers > 0) return t.workers;
  std::optional<int> n;
  if (!t.subject.by_workload()) return n;
  for (const Series* s : subject_series(run, t.subject, ledger))
    if (s->workers && (!n || *s->workers > *n)) n = s->workers;
  return n;
}

bool present(const Run& run, const TargetSpec& t, Ledger& ledger) { return !subject_series(run, t.subject, ledger).empty(); }

bool worse(double a, double b, Cmp cmp) { return cmp == Cmp::at_most ? a > b : a < b; }

TargetReading evaluate(const Run& run, const TargetSpec& t, Ledger& ledger) {
  TargetReading r;
  const auto workers = row_workers(run, t, ledger);
  const std::string at = workers ? fmt::format(", {} workers", *workers) : std::string{};
  // A versus on the subject's workload reads at the subject's worker count.
  const bool versus_own = t.versus && t.versus->by_workload() && t.versus->workload == t.subject.workload;
  std::vector<std::string> missing, partial;
  const auto take_notes = [&](Side& s) {
    for (auto& n : s.notes) add_unique(r.notes, std::move(n));
  };

  if (!t.worst_of.empty() && t.versus) {
    std::optional<double> worst;
    for (const auto& name : t.worst_of) {
      const Metric metric{name};
      Side s = read_side(run, t.subject, {metric, workers, true, false, nullptr}, ledger);
      Side v = read_side(run, *t.versus, {metric, workers, versus_own, false, s.series}, ledger);
      take_notes(s);
      take_notes(v);
      if (!s.value || !v.value || v.value->v == 0) {
        for (auto& m : s.missing) add_unique(missing, std::move(m));
        for (auto& m : v.missing) add_unique(missing, std::move(m));
        if (s.value && v.value) add_unique(missing, fmt::format("{} {} is 0: no ratio", v.text, name));
        continue;
      }
      const double ratio = s.value->v / v.value->v;
      if (!worst || worse(ratio, *worst, t.cmp)) {
        worst = ratio;
        r.basis = fmt::format("worst {}: {} / {}", metric_label(metric), s.text, v.text);
      }
    }
    if (worst) {
      r.figure = worst;
      partial = std::move(missing);
      missing.clear();
    }
  } else {
    // One metric on both sides is named once, before them.
    const bool same_metric = !t.versus || t.versus->metric == t.subject.metric;
    const std::string label = metric_label(t.subject.metric);
    const std::string prefix = same_metric && !label.empty() ? label + ": " : std::string{};
    Side s = read_side(run, t.subject, {std::nullopt, workers, true, !same_metric, nullptr}, ledger);
    take_notes(s);
    for (auto& m : s.missing) add_unique(missing, std::move(m));
    if (!t.versus) {
      if (s.value) {
        r.figure = s.value->v;
        r.basis = prefix + s.text;
      }
    } else {
      Side v = read_side(run, *t.versus, {std::nullopt, workers, versus_own, !same_metric, s.series}, ledger);
      take_notes(v);
      for (auto& m : v.missing) add_unique(missing, std::move(m));
      if (s.value && v.value && v.value->v != 0) {
        r.figure = s.value->v / v.value->v;
        r.basis = fmt::format("{}{} / {}", prefix, s.text, v.text);
      } else if (s.value && v.value) {
        missing.push_back(fmt::format("{} is 0: no ratio", v.text));
      } else {
        std::vector<std::string> have;
        if (s.value) have.push_back(s.text);
        if (v.value) have.push_back(v.text);
        if (!have.empty()) partial.push_back("measured " + prefix + join(have, ", "));
      }
    }
  }

  if (r.figure) {
    r.basis += at;
    if (!partial.empty()) r.basis += "; not measured: " + join(partial, ", ");
    const bool met = t.cmp == Cmp::at_most ? *r.figure <= t.limit : *r.figure >= t.limit;
    r.verdict = met ? TargetVerdict::met : TargetVerdict::not_met;
  } else {
    r.basis = "missing: " + (missing.empty() ? std::string("the benchmarks") : join(missing, ", "));
    if (!partial.empty()) r.basis += " (" + join(partial, "; ") + at + ")";
  }
  return r;
}

// "map/*/chunk:0", or the benchmarks' names: what a pick looks for.
std::string pick_text(const Pick& p, Ledger& ledger) {
  if (!p.by_workload()) return join(p.benchmarks, " or ");
  std::string unresolved;
  const auto args = resolve_args(p, nullptr, ledger, unresolved);
  return pattern(p.workload, "*", args.value_or(Args{}));
}

// Some benchmark of the run is one the spec looks for.
bool looks_like(const Run& r, const Spec& spec) {
  std::set<std::string> workloads, benchmarks;
  for (const TargetSpec& t : spec.targets)
    for (const Pick* side : {&t.subject, t.versus ? &*t.versus : nullptr})
      if (side != nullptr)
        for (const Pick* way : chain(*side)) {
          if (way->by_workload()) workloads.insert(way->workload);
          benchmarks.insert(way->benchmarks.begin(), way->benchmarks.end());
        }
  return std::any_of(r.series.begin(), r.series.end(), [&](const Series& s) {
    return (s.name.structured && workloads.contains(s.name.workload)) || benchmarks.contains(s.name.full);
  });
}

// "workloads empty, map, …; benchmarks BM_Foo": for messages.
std::string spec_names(const Spec& spec) {
  std::vector<std::string> workloads, benchmarks;
  for (const TargetSpec& t : spec.targets)
    for (const Pick* side : {&t.subject, t.versus ? &*t.versus : nullptr})
      if (side != nullptr)
        for (const Pick* way : chain(*side)) {
          if (way->by_workload()) add_unique(workloads, way->workload);
          for (const auto& b : way->benchmarks) add_unique(benchmarks, b);
        }
  const auto some = [](const std::vector<std::string>& v) {
    std::vector<std::string> head(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(v.size(), 6)));
    return join(head, ", ") + (v.size() > 6 ? ", …" : "");
  };
  std::vector<std::string> parts;
  if (!workloads.empty()) parts.push_back("workloads " + some(workloads));
  if (!benchmarks.empty()) parts.push_back("benchmarks " + some(benchmarks));
  return join(parts, "; ");
}

std::string short_commit(const std::string& c) {
  if (c.empty()) return "unknown commit";
  return c.size() > 7 ? c.substr(0, 7) + (c.ends_with("-dirty") ? "-dirty" : "") : c;
}

std::string describe(const Run& r) {
  std::vector<std::string> commits;
  for (const auto& c : r.commits) commits.push_back(short_commit(c));
  const std::string host = context_field(r.context, "host_name");
  if (r.commits == std::vector<std::string>{""})
    return fmt::format("{} file(s) from {}, no commit recorded ({} names none)", r.files.size(),
                       host.empty() ? "an unknown host" : host, kCommitKeyKey);
  return fmt::format("{} file(s) from {}, {} {}{}", r.files.size(), host.empty() ? "an unknown host" : host,
                     commits.size() == 1 ? "commit" : "commits", join(commits, ", "),
                     commits.size() > 1 ? " (taken together, as diff takes a side)" : "");
}

Style verdict_style(TargetVerdict v) {
  switch (v) {
    case TargetVerdict::met: return Style::good;
    case TargetVerdict::not_met: return Style::bad;
    case TargetVerdict::not_measured: break;
  }
  return Style::warn;
}

Cell figure_cell(const TargetReading& r, FigureKind kind) {
  if (!r.figure) return {"—", {}, Style::dim};
  return {figure_text(*r.figure, kind), *r.figure, Style::plain};
}

}  // namespace

const char* target_verdict_text(TargetVerdict v) {
  switch (v) {
    case TargetVerdict::met: return "met";
    case TargetVerdict::not_met: return "NOT met";
    case TargetVerdict::not_measured: break;
  }
  return "not measured";
}

std::string figure_text(double figure, FigureKind kind) {
  if (!std::isfinite(figure)) return "n/a";
  switch (kind) {
    case FigureKind::ratio: return std::fabs(figure) >= 0.01 || figure == 0 ? format_ratio(figure)
                                                                            : fmt::format("{:.2g}×", figure);
    case FigureKind::percent: return fmt::format("{:.3g}%", figure);
    case FigureKind::count: break;
  }
  // Three significant digits, never rounded to 0: 0.0116 stays 0.0116.
  return fmt::format("{:.3g}", figure);
}

std::string goal_text(const TargetSpec& t) {
  if (!t.goal.empty()) return std::string(t.goal);
  const char* cmp = t.cmp == Cmp::at_most ? "≤" : "≥";
  switch (t.kind) {
    case FigureKind::ratio: return fmt::format("{} {:g}×", cmp, t.limit);
    case FigureKind::percent: return fmt::format("{} {:g}%", cmp, t.limit);
    case FigureKind::count: break;
  }
  return fmt::format("{} {:g}", cmp, t.limit);
}

TargetsData compute_targets(const Run& measured, const Run* before, const Spec& spec) {
  TargetsData d;
  Ledger ledger;
  std::size_t before_measured = 0;
  for (const TargetSpec& t : spec.targets) {
    if (t.only_if_present && !present(measured, t, ledger) && (before == nullptr || !present(*before, t, ledger))) {
      d.notes.push_back({false, fmt::format("{} left out (\"{}\"): no {} benchmark in the files", t.id,
                                            t.wording, pick_text(t.subject, ledger))});
      continue;
    }
    TargetRow row{&t, evaluate(measured, t, ledger), std::nullopt};
    for (const auto& n : row.measured.notes) d.notes.push_back({false, fmt::format("{}: {}", t.id, n)});
    if (before != nullptr) {
      row.before = evaluate(*before, t, ledger);
      for (const auto& n : row.before->notes) d.notes.push_back({false, fmt::format("{} (before): {}", t.id, n)});
      if (row.before->verdict != TargetVerdict::not_measured) ++before_measured;
    }
    if (row.measured.verdict != TargetVerdict::not_measured) ++d.measured;
    if (row.measured.verdict == TargetVerdict::not_met) ++d.not_met;
    d.rows.push_back(std::move(row));
  }
  // Files unlike the spec's are bad input; files that name their format
  // themselves, or have some of the spec's benchmarks (a filtered run), only
  // draw a warning.
  const auto none = [&](const Run& r, std::string_view which) {
    if (!r.declares_name_format && !looks_like(r, spec)) {
      std::string why = fmt::format("none of their benchmarks is one {} names ({})", spec.path, spec_names(spec));
      if (!r.structured)
        why += fmt::format("; their names were read without a name format (no {} in their context: give one "
                           "with --name-format or the spec's context_defaults)",
                           kNameFormatKey);
      throw InputError(fmt::format("{}not one target can be measured from {}: {}", which, join(r.files, ", "), why));
    }
    d.notes.insert(d.notes.begin(), {true, fmt::format("{}not one target can be measured from these files "
                                                       "(a filtered run?)",
                                                       which)});
  };
  if (d.measured == 0 && !d.rows.empty()) none(measured, "");
  if (before != nullptr && before_measured == 0 && !d.rows.empty()) none(*before, "--before: ");

  const auto examples = [](const std::set<std::string>& names) {
    std::vector<std::string> some;
    for (const auto& n : names) {
      if (some.size() == 3) break;
      some.push_back(n);
    }
    return join(some, ", ") + (names.size() > 3 ? ", …" : "");
  };
  if (!ledger.pooled.empty())
    d.notes.push_back({false, fmt::format("{} benchmark(s) are in several files of one side: their figure "
                                          "is the mean of the files' medians, e.g. {}",
                                          ledger.pooled.size(), examples(ledger.pooled))});
  if (!ledger.raw_only.empty())
    d.notes.push_back({true, fmt::format("{} benchmark(s) have no median aggregate (run with "
                                         "--benchmark_repetitions=N, N ≥ 2): their figure is the median of "
                                         "their repetitions, e.g. {}",
                                         ledger.raw_only.size(), examples(ledger.raw_only))});
  return d;
}

Report targets_report(const Run& measured, const Run* before, const Spec& spec, const TargetsData& d) {
  Report report;
  Section s;
  s.title = before != nullptr ? "Targets — before and now" : "Targets";
  s.notes.push_back({false, "targets: " + spec.path});
  s.notes.push_back({false, "figure: the median aggregate (*_median) of each benchmark, times per task, at "
                            "the largest worker count present for the workload unless the target names "
                            "one; a ratio compares two benchmarks of the same run"});
  s.notes.push_back({false, "measured: " + describe(measured)});
  if (before != nullptr) s.notes.push_back({false, "before: " + describe(*before)});
  for (const Run* r : {&measured, before}) {
    if (r == nullptr) continue;
    const std::string who = r == before ? "before" : "measured";
    if (r->machines > 1)
      s.notes.push_back({true, fmt::format("{}: the files come from {} different machines; a ratio may pair "
                                           "benchmarks of two machines",
                                           who, r->machines)});
    if (const auto [build, key] = build_type_of(r->context); is_debug_build(build))
      s.notes.push_back({true, fmt::format("{}: the benchmarks were built in Debug ({}={}): the verdicts mean "
                                           "nothing; build Release",
                                           who, key, build)});
  }
  if (before != nullptr && before->machine_id != measured.machine_id)
    s.notes.push_back({true, "before and measured ran on different machines: compare the ratios; the "
                             "absolute figures (idle CPU, allocations, futex calls) depend on the machine"});
  const std::size_t met = d.measured - d.not_met;
  s.notes.push_back({d.not_met > 0, fmt::format("{} of {} target(s) measured: {} met, {} NOT met", d.measured,
                                                d.rows.size(), met, d.not_met)});

  Table t;
  t.columns = {{"#", Align::left}, {"target", Align::left}, {"goal", Align::right}};
  if (before != nullptr) t.columns.push_back({"before", Align::right});
  t.columns.insert(t.columns.end(), {{"measured", Align::right}, {"verdict", Align::left}, {"figures", Align::left}});
  for (const TargetRow& row : d.rows) {
    const TargetSpec& target = *row.spec;
    std::vector<Cell> cells{{target.id, {}, Style::plain},
                            {target.wording, {}, Style::plain},
                            {goal_text(target), target.limit, Style::plain}};
    if (before != nullptr) cells.push_back(figure_cell(*row.before, target.kind));
    cells.push_back(figure_cell(row.measured, target.kind));
    cells.push_back({target_verdict_text(row.measured.verdict), {}, verdict_style(row.measured.verdict)});
    cells.push_back({row.measured.basis, {}, Style::plain});
    t.rows.push_back(std::move(cells));
  }
  s.table = std::move(t);
  report.sections.push_back(std::move(s));

  if (!d.notes.empty()) {
    Section notes;
    notes.title = "Notes on the targets";
    notes.notes = d.notes;
    report.sections.push_back(std::move(notes));
  }
  return report;
}

}  // namespace tpx::compare
