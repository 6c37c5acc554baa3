#include "contract.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace tpx::compare {
namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool is_key_list(std::string_view key) { return key == kMachineKeysKey; }
bool is_single_key(std::string_view key) {
  return key == kCommitKeyKey || key == kCpusKeyKey || key == kBuildTypeKeyKey;
}

}  // namespace

const std::vector<std::string_view>& contract_keys() {
  static const std::vector<std::string_view> keys{kNameFormatKey, kReferenceKey, kCommitKeyKey,
                                                  kMachineKeysKey, kCpusKeyKey, kBuildTypeKeyKey};
  return keys;
}

bool is_contract_key(std::string_view key) {
  const auto& keys = contract_keys();
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ',') {
      std::string item = trim(text.substr(start, i - start));
      if (!item.empty()) out.push_back(std::move(item));
      start = i + 1;
    }
  }
  return out;
}

std::string NameFormat::text() const {
  return workload < contender ? "workload/contender/args" : "contender/workload/args";
}

std::optional<NameFormat> NameFormat::parse(std::string_view text, std::string& error) {
  std::vector<std::string> roles;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      roles.push_back(trim(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (!roles.empty() && roles.back() == "args") roles.pop_back();
  NameFormat f;
  if (roles == std::vector<std::string>{"workload", "contender"}) {
    f.workload = 0;
    f.contender = 1;
    return f;
  }
  if (roles == std::vector<std::string>{"contender", "workload"}) {
    f.workload = 1;
    f.contender = 0;
    return f;
  }
  error = fmt::format("\"{}\" is not a name format: expected workload/contender/args or contender/workload/args "
                      "(the segments Google Benchmark adds, such as threads:N and real_time, are skipped)",
                      text);
  return std::nullopt;
}

void check_contract_value(std::string_view key, const std::string& value, const std::string& origin) {
  if (key == kNameFormatKey) {
    std::string error;
    if (!NameFormat::parse(value, error)) throw InputError(fmt::format("{}: {}", origin, error));
  } else if (is_key_list(key)) {
    if (split_list(value).empty())
      throw InputError(fmt::format("{}: \"{}\": expected a comma-separated list of context field names", origin,
                                   value));
  } else if (is_single_key(key) || key == kReferenceKey) {
    if (trim(value).empty() || value.find(',') != std::string::npos)
      throw InputError(fmt::format("{}: \"{}\": expected one {}", origin, value,
                                   key == kReferenceKey ? "contender name" : "context field name"));
  }
}

void apply_contract(BenchFile& file, const ContractInput& input) {
  for (const auto& [key, value] : input.defaults)
    if (!file.context.contains(key)) file.context[key] = value;
  for (const auto& [key, value] : input.overrides) file.context[key] = value;
}

std::string context_field(const std::map<std::string, std::string>& context, std::string_view key) {
  const auto it = context.find(std::string(key));
  return it == context.end() ? std::string{} : it->second;
}

std::optional<NameFormat> name_format_of(const std::map<std::string, std::string>& context, const std::string& path) {
  const auto it = context.find(std::string(kNameFormatKey));
  if (it == context.end()) return std::nullopt;
  std::string error;
  auto f = NameFormat::parse(it->second, error);
  if (!f) throw InputError(fmt::format("{}: context field {}: {}", path, kNameFormatKey, error));
  return f;
}

std::string commit_of(const std::map<std::string, std::string>& context) {
  const std::string key = trim(context_field(context, kCommitKeyKey));
  return key.empty() ? std::string{} : context_field(context, key);
}

std::string reference_of(const std::map<std::string, std::string>& context) {
  return trim(context_field(context, kReferenceKey));
}

std::vector<std::string> machine_keys_of(const std::map<std::string, std::string>& context) {
  auto keys = split_list(context_field(context, kMachineKeysKey));
  if (keys.empty()) keys.push_back("num_cpus");
  return keys;
}

std::string machine_identity(const std::map<std::string, std::string>& context) {
  std::string id = context_field(context, "host_name");
  for (const auto& key : machine_keys_of(context)) id += "|" + context_field(context, key);
  return id;
}

CpuCount cpus_of(const std::map<std::string, std::string>& context) {
  const auto number = [](const std::string& s) -> std::optional<long> {
    long v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p == s.data() || v <= 0) return std::nullopt;
    return v;
  };
  const std::string key = trim(context_field(context, kCpusKeyKey));
  if (!key.empty())
    if (const auto v = number(context_field(context, key))) return {v, key};
  return {number(context_field(context, "num_cpus")), "num_cpus"};
}

std::pair<std::string, std::string> build_type_of(const std::map<std::string, std::string>& context) {
  const std::string key = trim(context_field(context, kBuildTypeKeyKey));
  if (key.empty()) return {};
  return {context_field(context, key), key};
}

bool is_debug_build(const std::string& build_type) { return build_type == "Debug" || build_type == "debug"; }

}  // namespace tpx::compare
