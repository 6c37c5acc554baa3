#include "names.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace tpx::compare {
namespace {

// Segments Google Benchmark appends to a family's name.
constexpr std::array kGbKeys = {std::string_view{"repeats"}, std::string_view{"iterations"},
                                std::string_view{"threads"}, std::string_view{"min_time"},
                                std::string_view{"min_warmup_time"}};
constexpr std::array kGbFlags = {std::string_view{"real_time"}, std::string_view{"manual_time"},
                                 std::string_view{"process_time"}};

std::vector<std::string_view> split(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '/') {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

bool is_identifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

}  // namespace

std::string BenchName::args_text() const {
  // The slot without its first segment (the workload or the name's stem).
  const auto slash = slot.find('/');
  return slash == std::string::npos ? std::string{} : slot.substr(slash + 1);
}

BenchName parse_name(std::string_view run_name, const std::optional<NameFormat>& format) {
  BenchName n;
  n.full = std::string(run_name);
  const auto segments = split(run_name);

  std::optional<int> gb_threads;
  std::vector<std::string_view> own;  // segments that are not Google Benchmark's
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string_view seg = segments[i];
    const auto colon = seg.find(':');
    const std::string_view key = colon == std::string_view::npos ? seg : seg.substr(0, colon);
    const bool gb_key = colon != std::string_view::npos &&
                        std::find(kGbKeys.begin(), kGbKeys.end(), key) != kGbKeys.end();
    const bool gb_flag = std::find(kGbFlags.begin(), kGbFlags.end(), seg) != kGbFlags.end();
    if (i > 0 && (gb_key || gb_flag)) {
      if (key == "threads") gb_threads = to_int(seg.substr(colon + 1));
      continue;
    }
    own.push_back(seg);
  }

  n.structured = format && own.size() >= format->fixed() &&
                 std::all_of(own.begin(), own.begin() + static_cast<std::ptrdiff_t>(format->fixed()), is_identifier);
  const std::size_t first_arg = n.structured ? format->fixed() : 1;
  if (n.structured) {
    n.workload = std::string(own[format->workload]);
    n.contender = std::string(own[format->contender]);
  }
  for (std::size_t i = first_arg; i < own.size(); ++i) {
    const auto colon = own[i].find(':');
    if (colon == std::string_view::npos)
      n.args.emplace_back("", std::string(own[i]));
    else
      n.args.emplace_back(std::string(own[i].substr(0, colon)), std::string(own[i].substr(colon + 1)));
  }
  for (const auto& [k, v] : n.args)
    if (k == "workers") n.workers = to_int(v);
  if (!n.workers && gb_threads) n.workers = gb_threads;

  std::vector<std::string> slot{n.structured ? n.workload : std::string(own.empty() ? run_name : own[0])};
  std::vector<std::string> curve = slot;
  for (const auto& [k, v] : n.args) {
    slot.push_back(k.empty() ? v : k + ":" + v);
    if (k != "workers") curve.push_back(slot.back());
  }
  // Google Benchmark's threads are a dimension of the slot; of the curve only
  // when they are not the worker count themselves.
  if (gb_threads && *gb_threads > 1) {
    slot.push_back("threads:" + std::to_string(*gb_threads));
    if (n.workers != gb_threads) curve.push_back(slot.back());
  }
  n.slot = join(slot);
  n.curve = join(curve);
  return n;
}

}  // namespace tpx::compare
