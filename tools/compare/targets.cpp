#include "targets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <utility>

#include "metric.hpp"
#include "stats.hpp"

namespace tpx::compare {
namespace {

// ---- The targets -------------------------------------------------------------
//
// One row per check, in the issue's order and words. A row reads
// subject / versus at the largest worker count present for the subject's
// workload (the "all cores" case) unless it names one; a versus on another
// workload (a floor) takes its own.

constexpr std::string_view kPercentiles = "p50_us,p90_us,p99_us,p999_us,max_us";

constexpr std::array kTargets = {
    TargetSpec{.id = "1a",
               .wording = "empty: tpx tasks/s ≥ 10× mutex_pool's",
               .subject = {.workload = "empty", .contenders = "mutex_pool"},
               .versus = Pick{.workload = "empty", .contenders = "tpx"},
               .cmp = Cmp::at_least,
               .limit = 10},
    TargetSpec{.id = "1b",
               .wording = "empty: tpx tasks/s ≥ 5× the best of onetbb and asio",
               .subject = {.workload = "empty", .contenders = "onetbb|asio"},
               .versus = Pick{.workload = "empty", .contenders = "tpx"},
               .cmp = Cmp::at_least,
               .limit = 5},
    TargetSpec{.id = "2a",
               .wording = "post_empty: tpx time per task ≤ 2× the queue floor",
               .subject = {.workload = "post_empty", .contenders = "tpx"},
               .versus = Pick{.workload = "queue_enqdeq", .contenders = "floor"},
               .cmp = Cmp::at_most,
               .limit = 2},
    TargetSpec{.id = "2b",
               .wording = "post_empty: mutex_pool time / tpx time ≥ 4",
               .subject = {.workload = "post_empty", .contenders = "mutex_pool"},
               .versus = Pick{.workload = "post_empty", .contenders = "tpx"},
               .cmp = Cmp::at_least,
               .limit = 4},
    TargetSpec{.id = "3a",
               .wording = "roundtrip (hot): tpx p50 ≤ 2.5× the cache-line ping-pong floor's p50",
               .subject = {.workload = "roundtrip", .contenders = "tpx", .metric = "p50_us"},
               .versus = Pick{.workload = "cacheline_pingpong", .contenders = "floor", .metric = "p50_us",
                              .fallback = "real_time"},
               .cmp = Cmp::at_most,
               .limit = 2.5},
    TargetSpec{.id = "3b",
               .wording = "roundtrip (hot): tpx p99 ≤ 3× tpx p50",
               .subject = {.workload = "roundtrip", .contenders = "tpx", .metric = "p99_us"},
               .versus = Pick{.workload = "roundtrip", .contenders = "tpx", .metric = "p50_us"},
               .cmp = Cmp::at_most,
               .limit = 3},
    TargetSpec{.id = "4a",
               .wording = "roundtrip_cold: tpx p50 ≤ 1.2× the futex round-trip floor's p50",
               .subject = {.workload = "roundtrip_cold", .contenders = "tpx", .metric = "p50_us"},
               .versus = Pick{.workload = "futex_roundtrip", .contenders = "floor", .metric = "p50_us",
                              .args = "same_core:0", .fallback = "real_time"},
               .cmp = Cmp::at_most,
               .limit = 1.2},
    TargetSpec{.id = "4b",
               .wording = "roundtrip_cold: every tpx percentile ≤ mutex_pool's (worst tpx / mutex_pool)",
               .subject = {.workload = "roundtrip_cold", .contenders = "tpx"},
               .versus = Pick{.workload = "roundtrip_cold", .contenders = "mutex_pool"},
               .cmp = Cmp::at_most,
               .limit = 1,
               .worst_of = kPercentiles},
    TargetSpec{.id = "5",
               .wording = "fanout_fib: tpx time ≤ onetbb's",
               .subject = {.workload = "fanout_fib", .contenders = "tpx"},
               .versus = Pick{.workload = "fanout_fib", .contenders = "onetbb"},
               .cmp = Cmp::at_most,
               .limit = 1},
    TargetSpec{.id = "6a",
               .wording = "map, chunk:1024: tpx time ≤ 1.2× onetbb's",
               .subject = {.workload = "map", .contenders = "tpx", .args = "chunk:1024"},
               .versus = Pick{.workload = "map", .contenders = "onetbb", .args = "chunk:1024"},
               .cmp = Cmp::at_most,
               .limit = 1.2},
    TargetSpec{.id = "6b",
               .wording = "map, chunk:0 (one chunk per worker): tpx time ≤ 1.2× onetbb's",
               .subject = {.workload = "map", .contenders = "tpx", .args = "chunk:0"},
               .versus = Pick{.workload = "map", .contenders = "onetbb", .args = "chunk:0"},
               .cmp = Cmp::at_most,
               .limit = 1.2,
               .only_if_present = true},
    TargetSpec{.id = "7",
               .wording = "work_10us: tpx speedup ≥ the best peer's",
               .subject = {.workload = "work_10us", .contenders = "tpx", .metric = "speedup"},
               .versus = Pick{.workload = "work_10us", .contenders = "asio|mutex_pool|onetbb|std_async",
                              .metric = "speedup"},
               .cmp = Cmp::at_least,
               .limit = 1},
    TargetSpec{.id = "8",
               .wording = "sleep_1ms on 64 workers: tpx wall time ≤ 1.05× the sleep floor of as many rounds",
               .subject = {.workload = "sleep_1ms", .contenders = "tpx", .metric = "wall_ms",
                           .fallback = "vs_ideal*ideal_ms"},
               .versus = Pick{.workload = "sleep_floor", .contenders = "floor", .metric = "wall_ms",
                              .args = "rounds:{ideal_ms}"},
               .cmp = Cmp::at_most,
               .limit = 1.05,
               .workers = 64},
    TargetSpec{.id = "9",
               .wording = "idle: tpx idle CPU ≤ 1% of one core",
               .subject = {.workload = "idle_cpu", .contenders = "tpx", .metric = "idle_cpu_pct_of_core"},
               .cmp = Cmp::at_most,
               .limit = 1,
               .kind = FigureKind::percent},
    TargetSpec{.id = "10a",
               .wording = "allocations: post allocates 0 per task",
               .subject = {.workload = "alloc_post", .contenders = "tpx", .metric = "allocs_per_task"},
               .cmp = Cmp::at_most,
               .limit = 0.001,  // 0, with room for rounding of a median over repetitions
               .kind = FigureKind::count,
               .goal = "0 (≤ 0.001)"},
    TargetSpec{.id = "10b",
               .wording = "allocations: submit allocates ≤ 1 per task",
               .subject = {.workload = "alloc_submit", .contenders = "tpx", .metric = "allocs_per_task"},
               .cmp = Cmp::at_most,
               .limit = 1,
               .kind = FigureKind::count},
    TargetSpec{.id = "11",
               .wording = "syscalls: 0 futex calls per task with a worker awake",
               .subject = {.workload = "futex_calls", .contenders = "tpx", .metric = "futex_calls_per_task"},
               .cmp = Cmp::at_most,
               .limit = 0.001,
               .kind = FigureKind::count,
               .goal = "0 (≤ 0.001)"},
};

// ---- Reading figures -------------------------------------------------------

using Args = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  if (s.empty()) return out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : std::string(sep)) + p;
  return out;
}

void add_unique(std::vector<std::string>& list, std::string item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
}

Args parse_args(std::string_view text) {
  Args out;
  for (const auto seg : split(text, '/')) {
    const auto colon = seg.find(':');
    if (colon == std::string_view::npos)
      out.emplace_back("", std::string(seg));
    else
      out.emplace_back(std::string(seg.substr(0, colon)), std::string(seg.substr(colon + 1)));
  }
  return out;
}

bool has_args(const BenchName& n, const Args& required) {
  return std::all_of(required.begin(), required.end(), [&](const auto& kv) {
    return std::find(n.args.begin(), n.args.end(), kv) != n.args.end();
  });
}

std::string pattern(std::string_view workload, std::string_view contender, const Args& args) {
  std::string s = fmt::format("{}/{}", workload, contender);
  for (const auto& [k, v] : args) s += "/" + (k.empty() ? v : k + ":" + v);
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

// "p50_us" -> "p50", "vs_ideal*ideal_ms" -> "vs_ideal×ideal", "real_time" -> "".
std::string metric_label(std::string_view metric) {
  if (metric == "real_time") return "";
  std::string out;
  for (auto factor : split(metric, '*')) {
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
std::optional<Value> read_metric(const Series& s, std::string_view expr, Ledger& ledger) {
  Value out;
  for (const auto factor : split(expr, '*')) {
    const auto v = median_figure(s, factor, ledger);
    if (!v) return std::nullopt;
    const double scale = ns_per_unit(factor);
    out.v *= scale != 0 ? *v * scale : *v;
    out.time = out.time || scale != 0;
  }
  return out;
}

struct Found {
  const Series* series = nullptr;
  std::string missing;    // what is not in the run, when series is null
  std::string ambiguity;  // several benchmarks matched
};

// The benchmark of one contender: the given worker count, or (none given)
// the largest the contender ran, or the only one when it has no worker count.
Found find_series(const Run& run, std::string_view workload, std::string_view contender, const Args& args,
                  std::optional<int> workers) {
  std::vector<const Series*> candidates;
  for (const Series& s : run.series)
    if (s.name.project_style && s.name.workload == workload && s.name.contender == contender &&
        has_args(s.name, args))
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
  std::string text;                // "mutex_pool 573 ns", "best onetbb 455 ns (asio 479 ns)"
  std::vector<std::string> missing;
  std::vector<std::string> notes;
};

// `with_metric`: name the metric in the text (the two sides read different ones).
Side read_side(const Run& run, const Pick& pick, std::string_view metric, const Args& args,
               std::optional<int> workers, bool own_workload, bool with_metric, Ledger& ledger) {
  struct Candidate {
    std::string label;
    Value value;
    bool fallback;
    const Series* series;
  };
  Side side;
  std::vector<Candidate> found;
  std::vector<std::string> absent;
  for (const auto contender : split(pick.contenders, '|')) {
    const Found f = find_series(run, pick.workload, contender, args, own_workload ? workers : std::nullopt);
    if (f.series == nullptr) {
      absent.push_back(f.missing);
      continue;
    }
    if (!f.ambiguity.empty()) side.notes.push_back(f.ambiguity);
    auto v = read_metric(*f.series, metric, ledger);
    const bool fallback = !v && !pick.fallback.empty();
    if (fallback) {
      v = read_metric(*f.series, pick.fallback, ledger);
      if (v)
        side.notes.push_back(fmt::format("{} has no {} counter (an older file?): its {} ({}) stands in "
                                         "for it",
                                         f.series->name.full, metric,
                                         pick.fallback == "real_time" ? "real_time per round trip"
                                                                      : std::string(pick.fallback),
                                         value_text(*v)));
    }
    if (!v) {
      absent.push_back(fmt::format("{} has no {}", f.series->name.full, metric));
      continue;
    }
    // A floor (another workload) is named in full: its arguments say which floor.
    found.push_back({own_workload ? std::string(contender) : pattern(pick.workload, contender, args), *v,
                     fallback, f.series});
  }
  if (found.empty()) {
    side.missing = std::move(absent);
    return side;
  }
  const bool higher = better_direction(metric) == Better::higher;
  const auto best = std::min_element(found.begin(), found.end(), [&](const Candidate& a, const Candidate& b) {
    return higher ? a.value.v > b.value.v : a.value.v < b.value.v;
  });
  side.value = best->value;
  side.series = best->series;
  const std::string label = with_metric ? metric_label(metric) : std::string{};
  const auto describe = [&](const Candidate& c, bool name_metric) {
    std::string text = fmt::format("{}{}{} {}", c.label, name_metric && !label.empty() ? " " : "",
                                   name_metric ? label : std::string{}, value_text(c.value));
    if (c.fallback) text += fmt::format(" ({}: no {})", pick.fallback, metric);
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

// "rounds:{ideal_ms}" with the subject's ideal_ms figure.
std::optional<std::string> substitute(std::string_view args, const Series* subject, Ledger& ledger,
                                      std::vector<std::string>& missing) {
  std::string out;
  while (!args.empty()) {
    const auto open = args.find('{');
    const auto close = args.find('}', open);
    if (open == std::string_view::npos || close == std::string_view::npos) {
      out += args;
      break;
    }
    out += args.substr(0, open);
    const std::string_view counter = args.substr(open + 1, close - open - 1);
    const auto v = subject != nullptr ? median_figure(*subject, counter, ledger) : std::nullopt;
    if (!v) {
      if (subject != nullptr) missing.push_back(fmt::format("{} has no {}", subject->name.full, counter));
      return std::nullopt;
    }
    out += fmt::format("{:g}", *v);
    args.remove_prefix(close + 1);
  }
  return out;
}

std::optional<int> row_workers(const Run& run, const TargetSpec& t, const Args& subject_args) {
  if (t.workers > 0) return t.workers;
  std::optional<int> n;
  for (const Series& s : run.series)
    if (s.name.project_style && s.name.workload == t.subject.workload && has_args(s.name, subject_args) &&
        s.workers && (!n || *s.workers > *n))
      n = s.workers;
  return n;
}

bool present(const Run& run, const TargetSpec& t) {
  const Args args = parse_args(t.subject.args);
  return std::any_of(run.series.begin(), run.series.end(), [&](const Series& s) {
    return s.name.project_style && s.name.workload == t.subject.workload && has_args(s.name, args);
  });
}

bool worse(double a, double b, Cmp cmp) { return cmp == Cmp::at_most ? a > b : a < b; }

TargetReading evaluate(const Run& run, const TargetSpec& t, Ledger& ledger) {
  TargetReading r;
  const Args subject_args = parse_args(t.subject.args);
  const auto workers = row_workers(run, t, subject_args);
  const std::string at = workers ? fmt::format(", {} workers", *workers) : std::string{};
  const bool versus_own = t.versus && t.versus->workload == t.subject.workload;
  std::vector<std::string> missing, partial;
  const auto take_notes = [&](Side& s) {
    for (auto& n : s.notes) add_unique(r.notes, std::move(n));
  };

  if (!t.worst_of.empty() && t.versus) {
    const Args versus_args = parse_args(t.versus->args);
    std::optional<double> worst;
    for (const auto metric : split(t.worst_of, ',')) {
      Side s = read_side(run, t.subject, metric, subject_args, workers, true, false, ledger);
      Side v = read_side(run, *t.versus, metric, versus_args, workers, versus_own, false, ledger);
      take_notes(s);
      take_notes(v);
      if (!s.value || !v.value || v.value->v == 0) {
        for (auto& m : s.missing) add_unique(missing, std::move(m));
        for (auto& m : v.missing) add_unique(missing, std::move(m));
        if (s.value && v.value) add_unique(missing, fmt::format("{} {} is 0: no ratio", v.text, metric));
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
    Side s = read_side(run, t.subject, t.subject.metric, subject_args, workers, true, !same_metric, ledger);
    take_notes(s);
    for (auto& m : s.missing) add_unique(missing, std::move(m));
    if (!t.versus) {
      if (s.value) {
        r.figure = s.value->v;
        r.basis = prefix + s.text;
      }
    } else {
      std::optional<std::string> versus_args = t.versus->args.find('{') == std::string_view::npos
                                                   ? std::optional(std::string(t.versus->args))
                                                   : substitute(t.versus->args, s.series, ledger, missing);
      Side v;
      if (versus_args) {
        v = read_side(run, *t.versus, t.versus->metric, parse_args(*versus_args), workers, versus_own,
                      !same_metric, ledger);
        take_notes(v);
        for (auto& m : v.missing) add_unique(missing, std::move(m));
      }
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

std::string short_commit(const std::string& c) {
  if (c.empty()) return "unknown commit";
  return c.size() > 7 ? c.substr(0, 7) + (c.ends_with("-dirty") ? "-dirty" : "") : c;
}

std::string describe(const Run& r) {
  std::vector<std::string> commits;
  for (const auto& c : r.commits) commits.push_back(short_commit(c));
  const std::string host = context_field(r.context, "host_name");
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

std::span<const TargetSpec> target_specs() { return kTargets; }

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

TargetsData compute_targets(const Run& measured, const Run* before, std::span<const TargetSpec> specs) {
  TargetsData d;
  Ledger ledger;
  std::size_t before_measured = 0;
  for (const TargetSpec& t : specs) {
    if (t.only_if_present && !present(measured, t) && (before == nullptr || !present(*before, t))) {
      d.notes.push_back({false, fmt::format("{} left out (\"{}\"): no {} benchmark in the files", t.id,
                                            t.wording, pattern(t.subject.workload, "*", parse_args(t.subject.args)))});
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
  // Files of another program are bad input; the tpx benchmarks' own files
  // with none of these workloads (a filtered run) are only a warning.
  const auto none = [&](const Run& r, std::string_view which) {
    if (!r.project_context)
      throw InputError(fmt::format("{}not one target can be measured from {}: these are not the tpx "
                                   "benchmarks' files (no tpx_* context fields; expected names such as "
                                   "empty/tpx/threads:N, alloc_post/tpx/threads:N)",
                                   which, join(r.files, ", ")));
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

Report targets_report(const Run& measured, const Run* before, const TargetsData& d) {
  Report report;
  Section s;
  s.title = before != nullptr ? "Targets — before and now" : "Targets";
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
    const std::string build = context_field(r->context, "tpx_build_type");
    if (build == "Debug" || build == "debug")
      s.notes.push_back({true, who + ": the benchmarks were built in Debug: the verdicts mean nothing; "
                                     "build Release"});
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
    const TargetSpec& spec = *row.spec;
    std::vector<Cell> cells{{std::string(spec.id), {}, Style::plain},
                            {std::string(spec.wording), {}, Style::plain},
                            {goal_text(spec), spec.limit, Style::plain}};
    if (before != nullptr) cells.push_back(figure_cell(*row.before, spec.kind));
    cells.push_back(figure_cell(row.measured, spec.kind));
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
