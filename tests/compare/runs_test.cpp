// Grouping files by machine and commit, and merging repetitions.
#include <catch2/catch.hpp>

#include "contract.hpp"
#include "fixtures.hpp"
#include "load.hpp"
#include "runs.hpp"

using namespace tpx::compare;
using namespace tpx::compare::test;

namespace {
BenchFile file(const std::string& path, const Context& ctx, const std::vector<Bench>& b, bool raw = true,
               bool aggregates = true) {
  return parse_benchmark_json(gb_json(ctx, b, raw, aggregates), path);
}
}  // namespace

TEST_CASE("repetitions of one machine and commit are merged across files", "[unit]") {
  const std::vector<BenchFile> files{
      file("a.json", machine("lab"), {{"empty/tpx/workers:2", {100, 110, 120}}}),
      file("b.json", machine("lab"), {{"empty/tpx/workers:2", {130, 140}}, {"empty/asio/workers:2", {5, 6}}}),
  };
  const auto runs = group_runs(files);
  REQUIRE(runs.size() == 1);
  const Run& r = runs[0];
  CHECK(r.files == std::vector<std::string>{"a.json", "b.json"});
  REQUIRE(r.series.size() == 2);
  const Series* s = r.find("empty/tpx/workers:2");
  REQUIRE(s != nullptr);
  CHECK(s->iterations.size() == 5);  // aggregates are not repetitions
  CHECK(s->workers == 2);
  const auto sum = summarize(*s, "real_time");
  REQUIRE(sum);
  CHECK(sum->n == 5);
  CHECK(sum->center == Approx(120));
  CHECK_FALSE(sum->from_aggregates);
  CHECK(samples(*s, "cpu_time") == std::vector<double>{90, 99, 108, 117, 126});
}

TEST_CASE("different machines and commits make different runs with unique labels", "[unit]") {
  const std::vector<BenchFile> files{
      file("1.json", machine("lab", "aaaaaaa111"), {{"BM_Foo", {1, 2, 3}}}),
      file("2.json", machine("lab", "bbbbbbb222"), {{"BM_Foo", {1, 2, 3}}}),
      file("3.json", machine("server", "aaaaaaa111", "64"), {{"BM_Foo", {1, 2, 3}}}),
      file("4.json", machine("lab", "aaaaaaa111"), {{"BM_Foo", {4, 5}}}),
  };
  const auto runs = group_runs(files);
  REQUIRE(runs.size() == 3);
  CHECK(runs[0].label == "lab@aaaaaaa");
  CHECK(runs[1].label == "lab@bbbbbbb");
  CHECK(runs[2].label == "server");
  CHECK(runs[0].files.size() == 2);
  CHECK(runs[0].series[0].iterations.size() == 5);
}

TEST_CASE("files without any context are one machine", "[unit]") {
  const std::vector<BenchFile> files{
      parse_benchmark_json(R"({"benchmarks": [{"name": "BM_A", "real_time": 3, "cpu_time": 3}]})", "x.json"),
      parse_benchmark_json(R"({"benchmarks": [{"name": "BM_A", "real_time": 4, "cpu_time": 4}]})", "y.json")};
  const auto runs = group_runs(files);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].label == "unknown-host");
  CHECK(runs[0].series[0].iterations.size() == 2);
}

TEST_CASE("aggregates are used only when there are no repetitions", "[unit]") {
  const auto runs = group_runs({file("agg.json", machine("lab"), {{"BM_Foo", {100, 200, 300, 400, 500}}}, false, true)});
  const Series& s = runs.at(0).series.at(0);
  CHECK_FALSE(s.has_raw());
  CHECK(s.repetitions() == 5);
  CHECK(samples(s, "real_time").empty());
  const auto sum = summarize(s, "real_time");
  REQUIRE(sum);
  CHECK(sum->from_aggregates);
  CHECK(sum->center == Approx(300));
  CHECK(sum->n == 5);
  CHECK(sum->cv == Approx(coefficient_of_variation({100, 200, 300, 400, 500})));
}

TEST_CASE("the worker count falls back to the workers counter", "[unit]") {
  const auto runs = group_runs({file("w.json", machine("lab"), {{"BM_Pool/3", {1, 2}, {{"workers", {3, 3}}}}})});
  CHECK(runs.at(0).series.at(0).workers == 3);
}

TEST_CASE("contract: the commit and the machine come from the fields the file names", "[unit]") {
  Context a = machine("lab", "c0ffee1");
  Context b = machine("lab", "c0ffee1");
  b["lab_cpu_model"] = "Other CPU";  // a field named by compare_machine_keys: another machine
  Context c = machine("lab", "c0ffee1");
  c["lab_kernel"] = "6.2.0";          // a field it does not name: the same machine
  const auto runs = group_runs({file("a.json", a, {{"BM_A", {1, 2}}}), file("b.json", b, {{"BM_A", {1, 2}}}),
                                file("c.json", c, {{"BM_A", {1, 2}}})});
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].files == std::vector<std::string>{"a.json", "c.json"});
  CHECK(runs[0].commit == "c0ffee1");
  CHECK(machine_identity(a) == "lab|Test CPU 9000|8");

  // Without compare_commit_key there is no commit; without compare_machine_keys,
  // the machine is its host and Google Benchmark's num_cpus.
  const Context f = foreign_machine("box", "16");
  CHECK(commit_of(f).empty());
  CHECK(machine_identity(f) == "box|16");
  CHECK(cpus_of(f).count == 16);
  CHECK(cpus_of(f).source == "num_cpus");
  CHECK(cpus_of(a).source == "lab_allowed_cpus");
  CHECK(build_type_of(a) == std::pair<std::string, std::string>{"Release", "lab_build_type"});
  CHECK(build_type_of(f).first.empty());
}

TEST_CASE("contract: options override the files' fields, a spec's defaults fill in missing ones", "[unit]") {
  ContractInput in;
  in.defaults = {{"compare_name_format", "workload/contender/args"}, {"compare_commit_key", "lab_commit"}};
  in.overrides = {{"compare_commit_key", "other_commit"}};

  BenchFile legacy = parse_benchmark_json(gb_json(legacy_machine("lab", "old1234"), {{"empty/a/threads:2", {1, 2}}}), "l.json");
  legacy.context["other_commit"] = "feed123";
  apply_contract(legacy, in);
  CHECK(legacy.context.at("compare_name_format") == "workload/contender/args");  // filled in
  CHECK(commit_of(legacy.context) == "feed123");                                 // overridden
  CHECK_FALSE(legacy.declares_name_format);  // given by the spec, not declared by the file
  const Run run = merge_all({legacy}, "m");
  CHECK(run.structured);
  CHECK_FALSE(run.declares_name_format);
  CHECK(run.series.at(0).name.contender == "a");

  // A file's own field wins over a default.
  BenchFile own = parse_benchmark_json(gb_json(machine("lab"), {{"empty/a/threads:2", {1, 2}}}), "o.json");
  own.context["compare_name_format"] = "contender/workload/args";
  apply_contract(own, in);
  CHECK(merge_all({own}, "m").series.at(0).name.contender == "empty");

  // A malformed format in a file is an input error naming the file and the field.
  BenchFile bad = parse_benchmark_json(gb_json(machine("lab"), {{"empty/a/threads:2", {1, 2}}}), "bad.json");
  bad.context["compare_name_format"] = "name/impl";
  CHECK_THROWS_WITH(merge_all({bad}, "m"), Catch::StartsWith("bad.json: context field compare_name_format: \"name/impl\" "
                                                             "is not a name format"));
  CHECK_THROWS_WITH(check_contract_value("compare_machine_keys", " , ", "--machine-keys"),
                    Catch::StartsWith("--machine-keys: \" , \": expected a comma-separated list"));
}
