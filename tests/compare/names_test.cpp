// Benchmark names: workload, contender, arguments, worker count.
#include <catch2/catch.hpp>

#include "names.hpp"

using namespace tpx::compare;

TEST_CASE("project names split into workload, contender and arguments", "[unit]") {
  const BenchName n = parse_name("map/tpx/chunk:1024/workers:2", false);
  CHECK(n.project_style);
  CHECK(n.workload == "map");
  CHECK(n.contender == "tpx");
  REQUIRE(n.args.size() == 2);
  CHECK(n.args[0] == std::pair<std::string, std::string>{"chunk", "1024"});
  CHECK(n.workers == 2);
  CHECK(n.slot == "map/chunk:1024/workers:2");
  CHECK(n.curve == "map/chunk:1024");
  CHECK(n.args_text() == "chunk:1024/workers:2");
}

TEST_CASE("Google Benchmark suffixes are not arguments", "[unit]") {
  const BenchName n = parse_name("sleep_1ms/mutex_pool/workers:64/repeats:5/real_time", false);
  CHECK(n.contender == "mutex_pool");
  CHECK(n.workers == 64);
  CHECK(n.slot == "sleep_1ms/workers:64");
  // Same slot as another contender's plain name: their ratio can be taken.
  CHECK(parse_name("sleep_1ms/tpx/workers:64", false).slot == n.slot);
}

TEST_CASE("threads:N gives the worker count when the name has none", "[unit]") {
  const BenchName n = parse_name("empty/std_async/threads:8", false);
  CHECK(n.workers == 8);
  CHECK(n.slot == "empty/threads:8");
  CHECK(n.curve == "empty");
}

TEST_CASE("non-project names are one benchmark without contender", "[unit]") {
  const BenchName n = parse_name("BM_Foo/8", false);
  CHECK_FALSE(n.project_style);
  CHECK(n.contender.empty());
  CHECK(n.full == "BM_Foo/8");
  // Unknown second segments count as contenders only in files of the tpx benchmarks.
  CHECK_FALSE(parse_name("BM_Sort/vector/1024", false).project_style);
  CHECK(parse_name("fib/taskflow/workers:4", true).project_style);
  CHECK(parse_name("empty/floor_spin/workers:1", false).project_style);
}
