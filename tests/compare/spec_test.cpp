// Spec files: what loads, and what is refused with the file, the row and the
// field named (exit code 2 from the command line).
#include <catch2/catch.hpp>

#include "cli_runner.hpp"
#include "fixtures.hpp"
#include "spec.hpp"

using namespace tpx::compare;
using namespace tpx::compare::test;

namespace {

// The message of the InputError that parsing `text` throws ("" if none).
std::string error_of(const std::string& text) {
  try {
    parse_spec(text, "s.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// A spec with one target whose fields are `row` (a JSON object's members).
std::string one(const std::string& row) { return R"({"targets": [{)" + row + "}]}"; }

constexpr const char* kMinimal =
    R"("id": "1", "wording": "w", "subject": {"workload": "w", "contenders": ["a"]}, "comparison": "at_most", "goal": 1)";

}  // namespace

TEST_CASE("spec: a minimal target, and the defaults of the fields left out", "[unit]") {
  const Spec s = parse_spec(one(kMinimal), "s.json");
  REQUIRE(s.targets.size() == 1);
  const TargetSpec& t = s.targets[0];
  CHECK(t.id == "1");
  CHECK(t.subject.workload == "w");
  CHECK(t.subject.contenders == std::vector<std::string>{"a"});
  CHECK(t.subject.metric == std::vector<std::string>{"real_time"});
  CHECK_FALSE(t.versus);
  CHECK(t.cmp == Cmp::at_most);
  CHECK(t.kind == FigureKind::ratio);
  CHECK(t.workers == 0);
  CHECK(goal_text(t) == "≤ 1×");
  CHECK(s.context_defaults.empty());
}

TEST_CASE("spec: a fallback is the pick with some fields changed", "[unit]") {
  const Spec s = parse_spec(one(R"("id": "1", "wording": "w", "comparison": "at_least", "goal": 2,
      "subject": {"workload": "w", "contenders": ["a", "b"], "metric": "p50_us", "args": {"cold": 1, "size": "big"},
                  "fallback": [{"metric": ["x", "y_ms"], "note": "older"}, {"workload": "w_cold", "args": {}}]})"),
                            "s.json");
  const Pick& p = s.targets[0].subject;
  REQUIRE(p.args.size() == 2);
  CHECK(p.args[0].key == "cold");
  CHECK(p.args[0].value == "1");  // numbers are compared as the name writes them
  REQUIRE(p.fallbacks.size() == 2);
  CHECK(p.fallbacks[0].workload == "w");
  CHECK(p.fallbacks[0].contenders == std::vector<std::string>{"a", "b"});
  CHECK(p.fallbacks[0].metric == std::vector<std::string>{"x", "y_ms"});
  CHECK(p.fallbacks[0].args.size() == 2);
  CHECK(p.fallbacks[0].note == "older");
  CHECK(p.fallbacks[1].workload == "w_cold");
  CHECK(p.fallbacks[1].metric == std::vector<std::string>{"p50_us"});
  CHECK(p.fallbacks[1].args.empty());
  CHECK(p.fallbacks[1].note.empty());
}

TEST_CASE("spec: the project's spec loads, with the input contract's defaults", "[unit]") {
  const Spec s = load_spec(project_spec_path());
  CHECK(s.targets.size() >= 17);  // targets_test checks the rows themselves
  CHECK(s.context_defaults.at("compare_name_format") == "workload/contender/args");
  CHECK(s.context_defaults.contains("compare_reference"));
  CHECK(s.context_defaults.contains("compare_commit_key"));
}

TEST_CASE("spec: errors name the file, the row and the field", "[unit]") {
  CHECK_THAT(error_of(""), Catch::StartsWith("s.json: not valid JSON"));
  CHECK_THAT(error_of("{\"targets\": [}"), Catch::StartsWith("s.json: not valid JSON"));
  CHECK(error_of("[]") == "s.json: expected an object with \"targets\" (a list of targets) at the top level, got a list");
  CHECK(error_of("{}") == "s.json: field \"targets\": missing: the list of targets");
  CHECK(error_of(R"({"targets": []})") == "s.json: field \"targets\": expected a non-empty list of targets, got a list");
  CHECK(error_of(R"({"targets": [], "target": 1})") ==
        "s.json: field \"target\": unknown field (expected one of: targets, context_defaults, comment)");
  CHECK(error_of(R"({"targets": [3]})") == "s.json: targets[0]: expected an object (a target), got an integer");

  const auto row_error = [](const std::string& fields) { return error_of(one(fields)); };
  CHECK(row_error(R"("id": "7", "wording": "w", "subject": {"workload": "w", "contenders": ["a"]}, "goal": 1)") ==
        "s.json: targets[0] (id \"7\"): field \"comparison\": missing (required)");
  CHECK(row_error(std::string(kMinimal) + R"(, "cmp": "<=")") ==
        "s.json: targets[0] (id \"1\"): field \"cmp\": unknown field (expected one of: id, wording, subject, versus, "
        "comparison, goal, goal_text, figure, workers, worst_of, only_if_present, comment)");
  CHECK(row_error(R"("id": "1", "wording": "w", "subject": {"workload": "w", "contenders": ["a"]},
                     "comparison": "<=", "goal": 1)") ==
        "s.json: targets[0] (id \"1\"): field \"comparison\": expected \"at_most\" or \"at_least\", got the string \"<=\"");
  CHECK(row_error(R"("id": "1", "wording": "w", "subject": {"workload": "w", "contenders": "a"},
                     "comparison": "at_most", "goal": 1)") ==
        "s.json: targets[0] (id \"1\"): field \"subject.contenders\": expected a non-empty list of strings, got the "
        "string \"a\" (write [\"a\"])");
  CHECK(row_error(R"("id": "1", "wording": "w", "subject": {"workload": "w"}, "comparison": "at_most", "goal": 1)") ==
        "s.json: targets[0] (id \"1\"): field \"subject.contenders\": missing: which contenders of the workload (a "
        "list; several: the best of them)");
  CHECK_THAT(row_error(R"("id": "1", "wording": "w", "subject": {"contenders": ["a"]}, "comparison": "at_most", "goal": 1)"),
             Catch::StartsWith("s.json: targets[0] (id \"1\"): field \"subject\": expected \"workload\" with \"contenders\""));
  CHECK_THAT(row_error(R"("id": "1", "wording": "w", "subject": {"workload": "w", "contenders": ["a"], "benchmarks": ["b"]},
                          "comparison": "at_most", "goal": 1)"),
             Catch::Contains("field \"subject\": give either \"workload\" with \"contenders\", or \"benchmarks\""));
  CHECK(row_error(R"("id": "1", "wording": "w", "subject": {"workload": "w", "contenders": ["a"]},
                     "comparison": "at_most", "goal": "10")") ==
        "s.json: targets[0] (id \"1\"): field \"goal\": expected a number (the limit the figure is compared with), "
        "got the string \"10\"");
  CHECK_THAT(row_error(std::string(kMinimal) + R"(, "workers": 0)"), Catch::Contains("field \"workers\": expected a worker count"));
  CHECK_THAT(row_error(std::string(kMinimal) + R"(, "figure": "ratios")"), Catch::Contains("field \"figure\": expected \"ratio\", \"percent\" or \"count\""));
  CHECK_THAT(row_error(std::string(kMinimal) + R"(, "worst_of": ["p50_us"])"),
             Catch::Contains("field \"worst_of\": needs a \"versus\" pick"));
  CHECK_THAT(row_error(std::string(kMinimal) + R"(, "only_if_present": "yes")"),
             Catch::Contains("field \"only_if_present\": expected true or false"));
  // Picks, their arguments and their fallbacks.
  CHECK(row_error(R"("id": "1", "wording": "w", "comparison": "at_most", "goal": 1,
                     "subject": {"workload": "w", "contenders": ["a"], "args": {"chunk": [1]}})") ==
        "s.json: targets[0] (id \"1\"): field \"subject.args.chunk\": expected a string, a number, null (no such "
        "argument) or {\"from_subject\": COUNTER}, got a list");
  CHECK_THAT(row_error(R"("id": "1", "wording": "w", "comparison": "at_most", "goal": 1,
                          "subject": {"workload": "w", "contenders": ["a"], "args": {"r": {"from_subject": "x"}}})"),
             Catch::Contains("field \"subject.args.r\": from_subject is for the versus pick"));
  CHECK_THAT(row_error(R"("id": "1", "wording": "w", "comparison": "at_most", "goal": 1,
                          "subject": {"workload": "w", "contenders": ["a"], "fallback": []})"),
             Catch::Contains("field \"subject.fallback\": expected at least one pick"));
  CHECK_THAT(row_error(R"("id": "1", "wording": "w", "comparison": "at_most", "goal": 1,
                          "subject": {"workload": "w", "contenders": ["a"], "fallback": [{"metric": "x"}, {"metrc": "y"}]})"),
             Catch::Contains("field \"subject.fallback[1].metrc\": unknown field"));
  CHECK_THAT(row_error(R"("id": "1", "wording": "w", "comparison": "at_most", "goal": 1,
                          "subject": {"workload": "w", "contenders": ["a"], "fallback": [{"fallback": []}]})"),
             Catch::Contains("field \"subject.fallback[0].fallback\": unknown field"));
  CHECK_THAT(row_error(R"("id": "1", "wording": "w", "comparison": "at_most", "goal": 1,
                          "subject": {"workload": "w", "contenders": ["a"], "metric": 3})"),
             Catch::Contains("field \"subject.metric\": expected a metric"));
  // Rows refer to each other by id: ids are unique.
  CHECK(error_of(R"({"targets": [{)" + std::string(kMinimal) + "}, {" + kMinimal + "}]}") ==
        "s.json: targets[1] (id \"1\"): field \"id\": used by an earlier target: ids must be unique");
}

TEST_CASE("spec: context_defaults are the input contract's fields, checked", "[unit]") {
  const auto with = [](const std::string& defaults) {
    return error_of(R"({"context_defaults": )" + defaults + R"(, "targets": [{)" + kMinimal + "}]}");
  };
  CHECK(with(R"({"compare_name_format": "workload/contender/args", "my_key": "x"})").empty());
  CHECK_THAT(with(R"({"compare_name_format": "family/impl"})"),
             Catch::StartsWith("s.json: field \"context_defaults.compare_name_format\": \"family/impl\" is not a name format"));
  CHECK_THAT(with(R"({"compare_refrence": "x"})"),
             Catch::Contains("field \"context_defaults.compare_refrence\": not a field of the input contract (expected "
                             "one of: compare_name_format, compare_reference"));
  CHECK_THAT(with(R"({"compare_machine_keys": 3})"), Catch::Contains("expected a string, got an integer"));
  CHECK_THAT(with(R"({"compare_commit_key": "a,b"})"), Catch::Contains("expected one context field name"));
  CHECK_THAT(with(R"(["compare_name_format"])"), Catch::Contains("field \"context_defaults\": expected an object"));
}

TEST_CASE("spec: a bad spec is exit code 2 with the message, before any file is read", "[behaviour]") {
  TempDir dir;
  const auto spec = dir.write("bad.json", one(R"("id": "x", "wording": "w", "subject": {"workload": "w", "contenders": ["a"]},
                                                 "comparison": "at_most", "goal": 1, "figure": "pie")"));
  const Result r = run_cli({"check", "--spec", spec, dir.path("not-read.json")});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::StartsWith("tpx-compare: error: " + spec + ": targets[0] (id \"x\"): field \"figure\""));
  CHECK(r.out.empty());
  // show, diff and scaling read a spec's context_defaults only, and refuse a bad one the same way.
  CHECK(run_cli({"show", "--spec", spec, dir.path("not-read.json")}).code == 2);
  CHECK_THAT(run_cli({"check", "--spec", dir.path(""), "x.json"}).err, Catch::Contains("is a directory"));
}
