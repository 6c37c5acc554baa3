// The input contract: what a Google Benchmark JSON file tells tpx-compare
// about itself, beyond Google Benchmark's own fields.
//
// A benchmark binary that wants more than a flat list of benchmarks records
// these scalar fields in its "context" block (benchmark::AddCustomContext):
//
//   compare_name_format     how its names read: "workload/contender/args"
//   compare_reference       the contender `show` takes ratios against
//   compare_commit_key      the context field holding the source commit
//   compare_machine_keys    context fields that identify the machine, besides
//                           host_name ("cpu_model,cores,threads"), comma-separated
//   compare_cpus_key        the context field with the number of CPUs the
//                           benchmarks may use (else Google Benchmark's num_cpus)
//   compare_build_type_key  the context field with the build type of the code
//                           measured ("Debug" draws a warning)
//
// Every field is optional. Without them a file is still read: each name is
// one benchmark (no contenders, no ratios), runs are told apart by host_name
// and num_cpus, and there is no commit. Command-line options override the
// file's fields; a spec file's "context_defaults" fill in the fields a file
// lacks (older files written before the fields existed).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"

namespace tpx::compare {

inline constexpr std::string_view kNameFormatKey = "compare_name_format";
inline constexpr std::string_view kReferenceKey = "compare_reference";
inline constexpr std::string_view kCommitKeyKey = "compare_commit_key";
inline constexpr std::string_view kMachineKeysKey = "compare_machine_keys";
inline constexpr std::string_view kCpusKeyKey = "compare_cpus_key";
inline constexpr std::string_view kBuildTypeKeyKey = "compare_build_type_key";

// Every key of the contract, in the order above.
const std::vector<std::string_view>& contract_keys();
bool is_contract_key(std::string_view key);

// Where the workload and the contender sit in a benchmark's name: the first
// segments that are not Google Benchmark's own (threads:N, real_time, …),
// in the order the format names them; the rest are arguments.
struct NameFormat {
  std::size_t workload = 0;   // segment index of the workload
  std::size_t contender = 1;  // segment index of the contender
  std::size_t fixed() const { return 2; }
  std::string text() const;

  // "workload/contender/args", "contender/workload/args", "workload/contender".
  // On a bad format returns nullopt and says why in `error`.
  static std::optional<NameFormat> parse(std::string_view text, std::string& error);
};

// What the command line says about the input, applied to every file.
struct ContractInput {
  std::map<std::string, std::string> overrides;  // from options: replace the files' fields
  std::map<std::string, std::string> defaults;   // from a spec: fill in the fields a file lacks
};

// Validates the values of contract fields (the name format, the key lists);
// throws InputError naming `origin` ("--name-format", "FILE: context field").
void check_contract_value(std::string_view key, const std::string& value, const std::string& origin);

// Applies the overrides and defaults to a loaded file's context.
void apply_contract(BenchFile& file, const ContractInput& input);

std::string context_field(const std::map<std::string, std::string>& context, std::string_view key);

// The file's name format, if it declares one; throws InputError (naming
// `path`) when the declared format is malformed.
std::optional<NameFormat> name_format_of(const std::map<std::string, std::string>& context,
                                         const std::string& path);

std::string commit_of(const std::map<std::string, std::string>& context);
std::string reference_of(const std::map<std::string, std::string>& context);

// The fields that identify the machine, in the order to show them:
// compare_machine_keys, else Google Benchmark's num_cpus.
std::vector<std::string> machine_keys_of(const std::map<std::string, std::string>& context);
std::string machine_identity(const std::map<std::string, std::string>& context);

// The number of CPUs the benchmarks may use, and the field it came from.
struct CpuCount {
  std::optional<long> count;
  std::string source;
};
CpuCount cpus_of(const std::map<std::string, std::string>& context);

// The build type of the measured code and the field it came from ("" when unknown).
std::pair<std::string, std::string> build_type_of(const std::map<std::string, std::string>& context);
bool is_debug_build(const std::string& build_type);

std::vector<std::string> split_list(std::string_view text);  // "a, b,c" -> {a, b, c}

}  // namespace tpx::compare
