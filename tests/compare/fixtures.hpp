// Small Google Benchmark JSON documents, written by the tests themselves.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "stats.hpp"

namespace tpx::compare::test {

// The project's spec file, and a file of fixtures/ (see fixtures/README.md).
inline std::string project_spec_path() { return TPX_COMPARE_PROJECT_SPEC; }
inline std::string fixture(const std::string& name) { return std::string(TPX_COMPARE_FIXTURES) + "/" + name; }

// One benchmark: its repetitions' real times (ns) and counters.
struct Bench {
  std::string name;
  std::vector<double> real_ns;
  std::map<std::string, std::vector<double>> counters = {};
  int threads = 1;
  std::string time_unit = "us";  // how the file writes real_time and cpu_time
};

using Context = std::map<std::string, std::string>;

// The context of a file written for tpx-compare: Google Benchmark's fields,
// the machine's own (under names tpx-compare knows nothing of), and the
// compare_* fields that say how to read them (contract.hpp).
inline Context machine(const std::string& host, const std::string& commit = "abc1234",
                       const std::string& cores = "8") {
  return {{"host_name", host},
          {"num_cpus", cores},
          {"library_build_type", "release"},
          {"lab_cpu_model", "Test CPU 9000"},
          {"lab_cores", cores},
          {"lab_allowed_cpus", cores},
          {"lab_kernel", "6.1.0"},
          {"lab_build_type", "Release"},
          {"lab_commit", commit},
          {"compare_name_format", "workload/contender/args"},
          {"compare_reference", "mutex_pool"},
          {"compare_commit_key", "lab_commit"},
          {"compare_machine_keys", "lab_cpu_model,lab_cores"},
          {"compare_cpus_key", "lab_allowed_cpus"},
          {"compare_build_type_key", "lab_build_type"}};
}

// The same machine as a file written before the compare_* fields: only
// `spec_defaults()` (or options) tell how to read it.
inline Context legacy_machine(const std::string& host, const std::string& commit = "abc1234") {
  Context c = machine(host, commit);
  for (auto it = c.begin(); it != c.end();)
    it = it->first.starts_with("compare_") ? c.erase(it) : std::next(it);
  return c;
}

// Google Benchmark's fields only, as another project's benchmarks write them.
inline Context foreign_machine(const std::string& host, const std::string& cpus = "4") {
  return {{"host_name", host}, {"num_cpus", cpus}, {"mhz_per_cpu", "4228"}, {"library_build_type", "release"}};
}

// A document as Google Benchmark writes it with --benchmark_repetitions: the
// repetitions (`raw`) and/or the mean/median/stddev/cv aggregates.
inline std::string gb_json(const Context& context, const std::vector<Bench>& benches, bool raw = true,
                           bool aggregates = true) {
  nlohmann::ordered_json doc;
  doc["context"] = nlohmann::ordered_json::object();
  for (const auto& [k, v] : context) {
    if (k == "num_cpus")
      doc["context"][k] = std::stoi(v);  // Google Benchmark writes it as a number
    else
      doc["context"][k] = v;
  }
  doc["benchmarks"] = nlohmann::ordered_json::array();
  for (const Bench& b : benches) {
    const int reps = static_cast<int>(b.real_ns.size());
    const double ns_per_unit = b.time_unit == "ns" ? 1 : b.time_unit == "ms" ? 1e6 : b.time_unit == "s" ? 1e9 : 1e3;
    const auto entry = [&](const std::string& name, double real, const std::map<std::string, double>& counters) {
      nlohmann::ordered_json e;
      e["name"] = name;
      e["run_name"] = b.name;
      e["repetitions"] = reps;
      e["threads"] = b.threads;
      e["iterations"] = 1000;
      e["real_time"] = real / ns_per_unit;  // in us by default, to exercise time_unit
      e["cpu_time"] = real * 0.9 / ns_per_unit;
      e["time_unit"] = b.time_unit;
      for (const auto& [k, v] : counters) e[k] = v;
      return e;
    };
    if (raw) {
      for (int i = 0; i < reps; ++i) {
        std::map<std::string, double> counters;
        for (const auto& [k, v] : b.counters) counters[k] = v[static_cast<std::size_t>(i)];
        auto e = entry(b.name, b.real_ns[static_cast<std::size_t>(i)], counters);
        e["run_type"] = "iteration";
        e["repetition_index"] = i;
        doc["benchmarks"].push_back(e);
      }
    }
    if (aggregates) {
      for (const char* agg : {"mean", "median", "stddev", "cv"}) {
        const auto stat = [&](const std::vector<double>& v) {
          const std::string a = agg;
          if (a == "mean") return mean(v);
          if (a == "median") return median(v);
          if (a == "stddev") return stddev(v);
          return coefficient_of_variation(v);
        };
        std::map<std::string, double> counters;
        for (const auto& [k, v] : b.counters) counters[k] = stat(v);
        auto e = entry(b.name + "_" + agg, std::string(agg) == "cv" ? stat(b.real_ns) * ns_per_unit : stat(b.real_ns), counters);
        e["run_type"] = "aggregate";
        e["aggregate_name"] = agg;
        e["aggregate_unit"] = std::string(agg) == "cv" ? "percentage" : "time";
        doc["benchmarks"].push_back(e);
      }
    }
  }
  return doc.dump(2);
}

// `n` values around `center`, spread ±1% deterministically (distinct, no ties).
inline std::vector<double> around(double center, int n, double spread = 0.01) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i)
    v.push_back(center * (1 + spread * (2.0 * i / std::max(1, n - 1) - 1)));
  return v;
}

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("tpx-compare-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string write(const std::string& name, const std::string& content) const {
    const auto p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& root() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace tpx::compare::test
