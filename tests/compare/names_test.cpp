// Benchmark names: workload, contender, arguments, worker count; and the
// name format that says which segment is which.
#include <catch2/catch.hpp>

#include "names.hpp"

using namespace tpx::compare;

namespace {
const std::optional<NameFormat> kWorkloadFirst = NameFormat{0, 1};
const std::optional<NameFormat> kNoFormat = std::nullopt;
}  // namespace

TEST_CASE("with a name format, names split into workload, contender and arguments", "[unit]") {
  const BenchName n = parse_name("map/ours/chunk:1024/workers:2", kWorkloadFirst);
  CHECK(n.structured);
  CHECK(n.workload == "map");
  CHECK(n.contender == "ours");
  REQUIRE(n.args.size() == 2);
  CHECK(n.args[0] == std::pair<std::string, std::string>{"chunk", "1024"});
  CHECK(n.workers == 2);
  CHECK(n.slot == "map/chunk:1024/workers:2");
  CHECK(n.curve == "map/chunk:1024");
  CHECK(n.args_text() == "chunk:1024/workers:2");
}

TEST_CASE("the format may put the contender first", "[unit]") {
  std::string error;
  const auto format = NameFormat::parse("contender/workload/args", error);
  REQUIRE(format);
  const BenchName n = parse_name("std_sort/sort/size:1024/threads:4", format);
  CHECK(n.structured);
  CHECK(n.workload == "sort");
  CHECK(n.contender == "std_sort");
  CHECK(n.slot == "sort/size:1024/threads:4");
  CHECK(n.workers == 4);
}

TEST_CASE("name formats: what parses and what is refused with a reason", "[unit]") {
  std::string error;
  CHECK(NameFormat::parse("workload/contender/args", error));
  CHECK(NameFormat::parse("workload/contender", error));
  for (const char* bad : {"", "workload", "workload/args", "contender/contender/args", "workload/contender/args/args",
                          "args/workload/contender", "family/impl/args"}) {
    INFO(bad);
    error.clear();
    CHECK_FALSE(NameFormat::parse(bad, error));
    CHECK_THAT(error, Catch::Contains("expected workload/contender/args or contender/workload/args"));
  }
}

TEST_CASE("Google Benchmark suffixes are not arguments", "[unit]") {
  const BenchName n = parse_name("sleep/pool_b/workers:64/repeats:5/real_time", kWorkloadFirst);
  CHECK(n.contender == "pool_b");
  CHECK(n.workers == 64);
  CHECK(n.slot == "sleep/workers:64");
  // Same slot as another contender's plain name: their ratio can be taken.
  CHECK(parse_name("sleep/pool_a/workers:64", kWorkloadFirst).slot == n.slot);
}

TEST_CASE("threads:N gives the worker count when the name has none", "[unit]") {
  const BenchName n = parse_name("empty/pool_b/threads:8", kWorkloadFirst);
  CHECK(n.workers == 8);
  CHECK(n.slot == "empty/threads:8");
  CHECK(n.curve == "empty");
  // Without a format too: the stem and Google Benchmark's thread count.
  const BenchName f = parse_name("BM_Fill/threads:8/real_time", kNoFormat);
  CHECK(f.workers == 8);
  CHECK(f.slot == "BM_Fill/threads:8");
}

TEST_CASE("without a format, every name is one benchmark without contender", "[unit]") {
  const BenchName n = parse_name("BM_Foo/8", kNoFormat);
  CHECK_FALSE(n.structured);
  CHECK(n.contender.empty());
  CHECK(n.full == "BM_Foo/8");
  CHECK(n.args_text() == "8");
  // No list of known contenders: a name that looks like workload/contender is
  // still one benchmark when its file says nothing about its names.
  CHECK_FALSE(parse_name("empty/tpx/threads:2", kNoFormat).structured);
  CHECK_FALSE(parse_name("fib/taskflow/workers:4", kNoFormat).structured);
  // With a format, segments that are not identifiers keep a name flat.
  CHECK_FALSE(parse_name("BM_Sort/1024", kWorkloadFirst).structured);
  CHECK(parse_name("fib/taskflow/workers:4", kWorkloadFirst).structured);
  CHECK_FALSE(parse_name("BM_One", kWorkloadFirst).structured);
}
