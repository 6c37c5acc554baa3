// Reading Google Benchmark JSON, and refusing everything else with a clear message.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "load.hpp"

using namespace tpx::compare;
using namespace tpx::compare::test;

namespace {

// The message of the InputError that parsing `text` throws ("" if none).
std::string error_of(const std::string& text, const std::string& path = "in.json") {
  try {
    parse_benchmark_json(text, path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("repetitions and aggregates are read with times in ns and counters", "[unit]") {
  const auto text = gb_json(machine("lab"), {{"empty/tpx/workers:2", {1000, 2000, 3000}, {{"p99_us", {1, 2, 3}}}}});
  const BenchFile f = parse_benchmark_json(text, "x.json");
  REQUIRE(f.entries.size() == 3 + 4);
  CHECK(f.entries[0].name == "empty/tpx/workers:2");
  CHECK_FALSE(f.entries[0].aggregate);
  CHECK(f.entries[0].real_time_ns == Approx(1000));  // written as 1 us
  CHECK(f.entries[0].cpu_time_ns == Approx(900));
  CHECK(f.entries[2].counters.at("p99_us") == 3);
  CHECK(f.entries[3].aggregate);
  CHECK(f.entries[3].aggregate_name == "mean");
  CHECK(f.entries[3].run_name == "empty/tpx/workers:2");
  CHECK(f.entries[6].percentage);  // cv: a fraction, not a time
  CHECK(f.context.at("lab_cpu_model") == "Test CPU 9000");
  CHECK(f.declares_name_format);  // its own context names it
  CHECK_FALSE(parse_benchmark_json(gb_json(foreign_machine("x"), {{"BM_A", {1, 2}}}), "y.json").declares_name_format);
  CHECK(f.context.at("num_cpus") == "8");  // numbers become text
}

TEST_CASE("malformed input is rejected with the file and the problem", "[unit]") {
  const std::string valid = gb_json(machine("lab"), {{"BM_Foo/8", {10, 11, 12}}});
  SECTION("empty file") {
    CHECK_THAT(error_of("", "e.json"), Catch::StartsWith("e.json: file is empty"));
    CHECK_THAT(error_of(" \n\t", "e.json"), Catch::StartsWith("e.json: file is empty"));
  }
  SECTION("truncated JSON") {
    CHECK_THAT(error_of(valid.substr(0, valid.size() / 2)), Catch::Contains("JSON ends early") && Catch::Contains("truncated"));
  }
  SECTION("binary garbage") {
    std::string garbage;
    for (int i = 0; i < 512; ++i) garbage += static_cast<char>((i * 7919 + 13) % 256);
    const auto msg = error_of(garbage, "g.json");
    CHECK_THAT(msg, Catch::StartsWith("g.json: not valid JSON"));
    for (char c : msg) CHECK((static_cast<unsigned char>(c) >= 0x20 || c == '\n'));  // printable
  }
  SECTION("JSON but not Google Benchmark's") {
    CHECK_THAT(error_of("[1, 2, 3]"), Catch::Contains("not Google Benchmark JSON") && Catch::Contains("array"));
    CHECK_THAT(error_of(R"({"results": []})"), Catch::Contains("no \"benchmarks\" array"));
    CHECK_THAT(error_of(R"({"context": 3, "benchmarks": []})"), Catch::Contains("\"context\" is number"));
    CHECK_THAT(error_of(R"({"benchmarks": []})"), Catch::Contains("contains no benchmarks"));
  }
  SECTION("wrong schema inside an entry") {
    CHECK_THAT(error_of(R"({"benchmarks": [42]})"), Catch::Contains("benchmarks[0]: is number"));
    CHECK_THAT(error_of(R"({"benchmarks": [{"real_time": 1}]})"), Catch::Contains("benchmarks[0]: has no \"name\""));
    CHECK_THAT(error_of(R"({"benchmarks": [{"name": "a", "real_time": "fast"}]})"),
               Catch::Contains("\"real_time\" of \"a\" is string, expected a number"));
    CHECK_THAT(error_of(R"({"benchmarks": [{"name": "a", "real_time": 1, "time_unit": "fortnight"}]})"),
               Catch::Contains("unknown time_unit \"fortnight\""));
    CHECK_THAT(error_of(R"({"benchmarks": [{"name": "a", "run_type": 7, "real_time": 1}]})"),
               Catch::Contains("\"run_type\" of \"a\" is number, expected a string"));
  }
  SECTION("only errored benchmarks") {
    CHECK_THAT(error_of(R"({"benchmarks": [{"name": "a", "error_occurred": true, "error_message": "x"}]})"),
               Catch::Contains("no usable benchmark results"));
  }
}

TEST_CASE("Google Benchmark's bare NaN and Infinity counters are tolerated", "[unit]") {
  const std::string text =
      R"({"context": {"host_name": "h"}, "benchmarks": [{"name": "a/tpx/workers:1", "run_type": "iteration",
          "real_time": 5, "cpu_time": 5, "time_unit": "ns", "bad": NaN, "worse": -Infinity, "label": "NaN"}]})";
  const BenchFile f = parse_benchmark_json(text, "nan.json");
  REQUIRE(f.entries.size() == 1);
  CHECK(f.entries[0].real_time_ns == 5);
  CHECK_FALSE(f.entries[0].counters.contains("bad"));
  CHECK_FALSE(f.entries[0].counters.contains("worse"));
}

TEST_CASE("errored entries are skipped with a note", "[unit]") {
  const std::string text = R"({"benchmarks": [
      {"name": "ok", "real_time": 5, "cpu_time": 5},
      {"name": "broken", "error_occurred": true, "error_message": "boom"}]})";
  const BenchFile f = parse_benchmark_json(text, "s.json");
  REQUIRE(f.entries.size() == 1);
  REQUIRE(f.notes.size() == 1);
  CHECK_THAT(f.notes[0], Catch::Contains("s.json") && Catch::Contains("reported an error"));
}

TEST_CASE("load_file names missing files and directories", "[unit]") {
  TempDir dir;
  CHECK_THROWS_WITH(load_file(dir.path("absent.json")), Catch::Contains("absent.json: no such file"));
  CHECK_THROWS_WITH(load_file(dir.root().string()), Catch::Contains("is a directory"));
  const auto path = dir.write("ok.json", gb_json(machine("lab"), {{"BM_Foo", {1, 2, 3}}}));
  CHECK(load_file(path).entries.size() == 7);
}
