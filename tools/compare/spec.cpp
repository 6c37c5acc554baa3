#include "spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "contract.hpp"

namespace tpx::compare {
namespace {

using nlohmann::json;

// Where a value sits in the spec, for messages: "FILE: targets[3] (id "2b"): field "versus.args"".
class Where {
 public:
  Where(std::string path, std::string row, std::string field)
      : path_(std::move(path)), row_(std::move(row)), field_(std::move(field)) {}
  Where operator/(std::string_view child) const {
    return {path_, row_, field_.empty() ? std::string(child) : fmt::format("{}.{}", field_, child)};
  }
  Where operator[](std::size_t i) const { return {path_, row_, fmt::format("{}[{}]", field_, i)}; }
  Where row(std::string row) const { return {path_, std::move(row), {}}; }

  [[noreturn]] void fail(std::string_view what) const {
    std::string where = path_;
    if (!row_.empty()) where += ": " + row_;
    if (!field_.empty()) where += fmt::format(": field \"{}\"", field_);
    throw InputError(fmt::format("{}: {}", where, what));
  }
  const std::string& field() const { return field_; }

 private:
  std::string path_, row_, field_;
};

std::string type_of(const json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return "an integer";
  if (v.is_number()) return "a number";
  if (v.is_string()) return fmt::format("the string \"{}\"", v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_null()) return "null";
  if (v.is_array()) return "a list";
  return "an object";
}

void expect_fields(const json& obj, const Where& at, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : obj.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string list;
    for (const auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    (at / key).fail(fmt::format("unknown field (expected one of: {})", list));
  }
}

const json* find(const json& obj, std::string_view key) {
  const auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

std::string text(const json& v, const Where& at) {
  if (!v.is_string() || v.get<std::string>().empty())
    at.fail(fmt::format("expected a non-empty string, got {}", type_of(v)));
  return v.get<std::string>();
}

std::vector<std::string> text_list(const json& v, const Where& at) {
  if (!v.is_array() || v.empty())
    at.fail(fmt::format("expected a non-empty list of strings, got {}{}", type_of(v),
                        v.is_string() ? fmt::format(" (write [\"{}\"])", v.get<std::string>()) : ""));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.size(); ++i) out.push_back(text(v[i], at[i]));
  return out;
}

// A metric, or a product of metrics: "p50_us" or ["vs_ideal", "ideal_ms"].
std::vector<std::string> metric(const json& v, const Where& at) {
  if (v.is_string()) return {text(v, at)};
  if (v.is_array()) return text_list(v, at);
  at.fail(fmt::format("expected a metric (\"real_time\", a counter) or a list of counters to multiply, got {}",
                      type_of(v)));
}

std::string arg_text(const json& v, const Where& at) {
  if (v.is_string()) return text(v, at);
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (!std::isfinite(d)) at.fail("expected a finite number");
    return fmt::format("{}", d);
  }
  at.fail(fmt::format("expected a string, a number, null (no such argument) or {{\"from_subject\": COUNTER}}, "
                      "got {}",
                      type_of(v)));
}

std::vector<ArgRule> args(const json& v, const Where& at, bool versus) {
  if (!v.is_object())
    at.fail(fmt::format("expected an object of arguments such as {{\"chunk\": 1024}}, got {}", type_of(v)));
  std::vector<ArgRule> out;
  for (const auto& [key, value] : v.items()) {
    const Where here = at / key;
    ArgRule rule;
    rule.key = key;
    if (value.is_null()) {
      rule.kind = ArgRule::Kind::absent;
    } else if (value.is_object()) {
      expect_fields(value, here, {"from_subject"});
      const json* counter = find(value, "from_subject");
      if (counter == nullptr) here.fail("expected {\"from_subject\": COUNTER}");
      if (!versus) here.fail("from_subject is for the versus pick: it reads the subject's figure");
      rule.kind = ArgRule::Kind::from_subject;
      rule.value = text(*counter, here / "from_subject");
    } else {
      rule.value = arg_text(value, here);
    }
    out.push_back(std::move(rule));
  }
  return out;
}

// The fields a pick and a fallback share.
void pick_fields(const json& v, const Where& at, bool versus, Pick& p) {
  if (const json* w = find(v, "workload")) {
    p.workload = text(*w, at / "workload");
    p.benchmarks.clear();
  }
  if (const json* c = find(v, "contenders")) p.contenders = text_list(*c, at / "contenders");
  if (const json* b = find(v, "benchmarks")) {
    p.benchmarks = text_list(*b, at / "benchmarks");
    if (find(v, "workload") == nullptr) {
      p.workload.clear();
      p.contenders.clear();
      p.args.clear();
    }
  }
  if (const json* m = find(v, "metric")) p.metric = metric(*m, at / "metric");
  if (const json* a = find(v, "args")) p.args = args(*a, at / "args", versus);
  if (const json* n = find(v, "note")) p.note = text(*n, at / "note");

  if (!p.workload.empty() && !p.benchmarks.empty())
    at.fail("give either \"workload\" with \"contenders\", or \"benchmarks\", not both");
  if (p.workload.empty() && p.benchmarks.empty())
    at.fail("expected \"workload\" with \"contenders\" (names read with a name format), or \"benchmarks\" "
            "(full benchmark names)");
  if (!p.workload.empty() && p.contenders.empty())
    (at / "contenders").fail("missing: which contenders of the workload (a list; several: the best of them)");
  if (p.workload.empty() && !p.args.empty())
    (at / "args").fail("arguments select among a workload's benchmarks; \"benchmarks\" names them in full");
}

Pick pick(const json& v, const Where& at, bool versus) {
  if (!v.is_object()) at.fail(fmt::format("expected an object (a pick), got {}", type_of(v)));
  expect_fields(v, at, {"workload", "contenders", "benchmarks", "metric", "args", "fallback", "comment"});
  Pick p;
  pick_fields(v, at, versus, p);
  if (const json* f = find(v, "fallback")) {
    const Where fat = at / "fallback";
    if (!f->is_array() && !f->is_object())
      fat.fail(fmt::format("expected a list of picks to try in order, got {}", type_of(*f)));
    const json list = f->is_array() ? *f : json::array({*f});
    if (list.empty()) fat.fail("expected at least one pick (or leave the field out)");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Where here = f->is_array() ? fat[i] : fat;
      if (!list[i].is_object()) here.fail(fmt::format("expected an object, got {}", type_of(list[i])));
      expect_fields(list[i], here, {"workload", "contenders", "benchmarks", "metric", "args", "note", "comment"});
      if (list[i].empty()) here.fail("a fallback must change something (workload, contenders, benchmarks, metric or args)");
      Pick alt = p;
      alt.fallbacks.clear();
      alt.note.clear();
      pick_fields(list[i], here, versus, alt);
      p.fallbacks.push_back(std::move(alt));
    }
  }
  return p;
}

TargetSpec target(const json& v, const Where& at) {
  expect_fields(v, at, {"id", "wording", "subject", "versus", "comparison", "goal", "goal_text", "figure", "workers",
                        "worst_of", "only_if_present", "comment"});
  TargetSpec t;
  const auto required = [&](std::string_view key) -> const json& {
    const json* f = find(v, key);
    if (f == nullptr) (at / key).fail("missing (required)");
    return *f;
  };
  t.id = text(required("id"), at / "id");
  t.wording = text(required("wording"), at / "wording");
  t.subject = pick(required("subject"), at / "subject", false);
  if (const json* vs = find(v, "versus")) t.versus = pick(*vs, at / "versus", true);

  const json& cmp = required("comparison");
  if (cmp == "at_most")
    t.cmp = Cmp::at_most;
  else if (cmp == "at_least")
    t.cmp = Cmp::at_least;
  else
    (at / "comparison").fail(fmt::format("expected \"at_most\" or \"at_least\", got {}", type_of(cmp)));

  const json& goal = required("goal");
  if (!goal.is_number() || !std::isfinite(goal.get<double>()))
    (at / "goal").fail(fmt::format("expected a number (the limit the figure is compared with), got {}", type_of(goal)));
  t.limit = goal.get<double>();
  if (const json* g = find(v, "goal_text")) t.goal = text(*g, at / "goal_text");

  if (const json* k = find(v, "figure")) {
    if (*k == "ratio")
      t.kind = FigureKind::ratio;
    else if (*k == "percent")
      t.kind = FigureKind::percent;
    else if (*k == "count")
      t.kind = FigureKind::count;
    else
      (at / "figure").fail(fmt::format("expected \"ratio\", \"percent\" or \"count\", got {}", type_of(*k)));
  }
  if (const json* w = find(v, "workers")) {
    if (!(w->is_number_integer() || w->is_number_unsigned()) || w->get<long long>() < 1 || w->get<long long>() > 1000000)
      (at / "workers").fail(fmt::format("expected a worker count (an integer ≥ 1), got {}", type_of(*w)));
    t.workers = static_cast<int>(w->get<long long>());
  }
  if (const json* w = find(v, "worst_of")) {
    t.worst_of = text_list(*w, at / "worst_of");
    if (!t.versus) (at / "worst_of").fail("needs a \"versus\" pick: the figure is the worst of subject / versus");
  }
  if (const json* o = find(v, "only_if_present")) {
    if (!o->is_boolean()) (at / "only_if_present").fail(fmt::format("expected true or false, got {}", type_of(*o)));
    t.only_if_present = o->get<bool>();
  }
  return t;
}

std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) out += c >= 0x20 && c < 0x7f ? std::string(1, static_cast<char>(c)) : fmt::format("\\x{:02x}", c);
  return out;
}

}  // namespace

Spec parse_spec(std::string_view text_in, const std::string& path) {
  const Where top(path, {}, {});
  json doc;
  try {
    doc = json::parse(text_in);
  } catch (const json::parse_error& e) {
    std::string_view what = e.what();
    if (const auto close = what.find("] "); what.starts_with("[json.") && close != what.npos) what.remove_prefix(close + 2);
    top.fail(fmt::format("not valid JSON ({})", printable(what)));
  }
  if (!doc.is_object())
    top.fail(fmt::format("expected an object with \"targets\" (a list of targets) at the top level, got {}",
                         type_of(doc)));
  expect_fields(doc, top, {"targets", "context_defaults", "comment"});

  Spec spec;
  spec.path = path;
  if (const json* d = find(doc, "context_defaults")) {
    const Where at = top / "context_defaults";
    if (!d->is_object())
      at.fail(fmt::format("expected an object of context fields, such as {{\"{}\": \"workload/contender/args\"}}, "
                          "got {}",
                          kNameFormatKey, type_of(*d)));
    for (const auto& [key, value] : d->items()) {
      const Where here = at / key;
      if (key.starts_with("compare_") && !is_contract_key(key)) {
        std::string list;
        for (const auto k : contract_keys()) list += (list.empty() ? "" : ", ") + std::string(k);
        here.fail(fmt::format("not a field of the input contract (expected one of: {})", list));
      }
      if (!value.is_string()) here.fail(fmt::format("expected a string, got {}", type_of(value)));
      std::string origin = fmt::format("{}: field \"{}\"", path, here.field());
      check_contract_value(key, value.get<std::string>(), origin);
      spec.context_defaults[key] = value.get<std::string>();
    }
  }

  const json* targets = find(doc, "targets");
  if (targets == nullptr) (top / "targets").fail("missing: the list of targets");
  if (!targets->is_array() || targets->empty())
    (top / "targets").fail(fmt::format("expected a non-empty list of targets, got {}", type_of(*targets)));
  std::set<std::string> ids;
  for (std::size_t i = 0; i < targets->size(); ++i) {
    const json& row = (*targets)[i];
    std::string label = fmt::format("targets[{}]", i);
    if (row.is_object())
      if (const json* id = find(row, "id"); id != nullptr && id->is_string())
        label += fmt::format(" (id \"{}\")", id->get<std::string>());
    const Where at = top.row(label);
    if (!row.is_object()) at.fail(fmt::format("expected an object (a target), got {}", type_of(row)));
    TargetSpec t = target(row, at);
    if (!ids.insert(t.id).second) (at / "id").fail("used by an earlier target: ids must be unique");
    spec.targets.push_back(std::move(t));
  }
  return spec;
}

Spec load_spec(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw InputError(fmt::format("{}: no such spec file; check the path", path));
  if (fs::is_directory(status)) throw InputError(fmt::format("{}: is a directory, expected a spec file (JSON)", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_spec(buffer.str(), path);
}

}  // namespace tpx::compare
