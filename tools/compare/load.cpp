#include "load.hpp"

#include <fmt/format.h>

#include <cerrno>
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

constexpr std::string_view kHowToProduce =
    "expected the output of a Google Benchmark binary run with "
    "--benchmark_out=FILE --benchmark_out_format=json";

// Fields of a benchmark entry that are not counters.
const std::set<std::string, std::less<>> kReservedFields = {
    "name", "run_name", "run_type", "family_index", "per_family_instance_index",
    "repetitions", "repetition_index", "threads", "iterations", "real_time",
    "cpu_time", "time_unit", "aggregate_name", "aggregate_unit", "error_occurred",
    "error_message", "label", "big_o", "rms", "real_coefficient", "cpu_coefficient",
    "skipped", "skip_message"};

[[noreturn]] void fail(const std::string& path, std::string_view what) {
  throw InputError(fmt::format("{}: {}", path, what));
}

// Parser messages quote the offending bytes; keep them printable.
std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f)
      out += static_cast<char>(c);
    else
      out += fmt::format("\\x{:02x}", c);
  }
  return out;
}

// Google Benchmark writes non-finite doubles as bare NaN / Infinity, which is
// not JSON. Replace those tokens (outside strings) by null, so such counters
// are simply absent.
std::string replace_non_finite(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) out += text[++i];
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    bool replaced = false;
    for (std::string_view token : {"-Infinity", "Infinity", "-NaN", "NaN", "-nan", "nan", "-inf", "inf"}) {
      if (text.substr(i, token.size()) == token) {
        out += "null";
        i += token.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += c;
  }
  return out;
}

double time_unit_to_ns(const std::string& path, const std::string& unit, std::size_t index) {
  if (unit == "ns") return 1.0;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  fail(path, fmt::format("benchmarks[{}]: unknown time_unit \"{}\" (expected ns, us, ms or s)",
                         index, printable(unit)));
}

std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_float()) return fmt::format("{}", v.get<double>());
  return v.dump();
}

// "L1d 48K, L1i 32K, L2 1M, L3 32M/2" — enough to tell machines apart.
std::string caches_text(const json& caches) {
  std::string out;
  // Informational only: a field of the wrong type reads as absent rather than
  // failing the file (json::value() would throw type_error on it).
  const auto number = [](const json& c, const char* key) {
    const auto it = c.find(key);
    return it != c.end() && it->is_number() ? it->get<double>() : 0.0;
  };
  for (const json& c : caches) {
    if (!c.is_object()) continue;
    const int level = static_cast<int>(number(c, "level"));
    const auto type_it = c.find("type");
    const std::string type = type_it != c.end() && type_it->is_string() ? type_it->get<std::string>() : "";
    const double size = number(c, "size");
    const int sharing = static_cast<int>(number(c, "num_sharing"));
    std::string kind = type == "Data" ? "d" : type == "Instruction" ? "i" : "";
    std::string sz = size >= 1 << 20 ? fmt::format("{}M", size / (1 << 20))
                                      : fmt::format("{}K", size / 1024);
    if (!out.empty()) out += ", ";
    out += fmt::format("L{}{} {}", level, kind, sz);
    if (sharing > 1) out += fmt::format("/{}", sharing);
  }
  return out;
}

void read_context(const json& ctx, BenchFile& file) {
  if (!ctx.is_object())
    fail(file.path, fmt::format("not Google Benchmark JSON: \"context\" is {}, expected an object; {}",
                                ctx.type_name(), kHowToProduce));
  for (const auto& [key, value] : ctx.items()) {
    if (value.is_primitive() && !value.is_null())
      file.context[key] = scalar_text(value);
    else if (key == "caches" && value.is_array())
      file.context[key] = caches_text(value);
  }
}

Entry read_entry(const json& b, std::size_t index, const std::string& path) {
  const auto where = [&](std::string_view what) {
    return fmt::format("benchmarks[{}]: {}", index, what);
  };
  if (!b.is_object()) fail(path, where(fmt::format("is {}, expected an object", b.type_name())));
  const auto name_it = b.find("name");
  if (name_it == b.end() || !name_it->is_string() || name_it->get<std::string>().empty())
    fail(path, where(fmt::format("has no \"name\" string; {}", kHowToProduce)));

  Entry e;
  e.name = name_it->get<std::string>();
  const auto str = [&](const char* key, std::string fallback) {
    const auto it = b.find(key);
    if (it == b.end()) return fallback;
    if (!it->is_string())
      fail(path, where(fmt::format("\"{}\" of \"{}\" is {}, expected a string", key,
                                   e.name, it->type_name())));
    return it->get<std::string>();
  };
  const auto integer = [&](const char* key, int fallback) {
    const auto it = b.find(key);
    if (it == b.end()) return fallback;
    if (!it->is_number())
      fail(path, where(fmt::format("\"{}\" of \"{}\" is {}, expected a number", key,
                                   e.name, it->type_name())));
    const double v = it->get<double>();
    return v >= 1 && v < 1e9 ? static_cast<int>(v) : fallback;
  };
  e.run_name = str("run_name", e.name);
  e.aggregate = str("run_type", "iteration") == "aggregate";
  e.aggregate_name = str("aggregate_name", "");
  e.percentage = str("aggregate_unit", "time") == "percentage";
  e.repetitions = integer("repetitions", 1);
  e.threads = integer("threads", 1);
  const double scale = time_unit_to_ns(path, str("time_unit", "ns"), index);
  for (const char* key : {"real_time", "cpu_time"}) {
    const auto it = b.find(key);
    if (it == b.end() || it->is_null()) continue;
    if (!it->is_number())
      fail(path, where(fmt::format("\"{}\" of \"{}\" is {}, expected a number", key, e.name,
                                   it->type_name())));
    (std::string_view(key) == "real_time" ? e.real_time_ns : e.cpu_time_ns) =
        e.percentage ? it->get<double>() : it->get<double>() * scale;
  }
  for (const auto& [key, value] : b.items())
    if (!kReservedFields.contains(key) && value.is_number()) e.counters[key] = value.get<double>();
  return e;
}

}  // namespace

BenchFile parse_benchmark_json(std::string_view text, const std::string& path) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    fail(path, fmt::format("file is empty; {}", kHowToProduce));

  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& first) {
    try {
      doc = json::parse(replace_non_finite(text));
    } catch (const json::exception&) {
      if (first.byte >= text.size())
        fail(path, fmt::format("JSON ends early at byte {} (truncated file? the benchmark may have "
                               "crashed or still be writing it)",
                               text.size()));
      std::string_view what = first.what();  // "[json.exception.parse_error.101] parse error at ..."
      if (const auto close = what.find("] "); what.starts_with("[json.") && close != what.npos)
        what.remove_prefix(close + 2);
      fail(path, fmt::format("not valid JSON ({}); {}", printable(what), kHowToProduce));
    }
  }

  BenchFile file;
  file.path = path;
  if (!doc.is_object())
    fail(path, fmt::format("not Google Benchmark JSON: the top level is {}, expected an object "
                           "with \"context\" and \"benchmarks\"; {}",
                           doc.type_name(), kHowToProduce));
  const auto benchmarks = doc.find("benchmarks");
  if (benchmarks == doc.end() || !benchmarks->is_array())
    fail(path, fmt::format("not Google Benchmark JSON: no \"benchmarks\" array; {}", kHowToProduce));
  if (const auto ctx = doc.find("context"); ctx != doc.end()) read_context(*ctx, file);
  file.declares_name_format = file.context.contains(std::string(kNameFormatKey));

  std::size_t skipped_errors = 0, skipped_untimed = 0;
  for (std::size_t i = 0; i < benchmarks->size(); ++i) {
    const json& b = (*benchmarks)[i];
    Entry e = read_entry(b, i, path);
    if ((b.contains("error_occurred") && b["error_occurred"] == true) ||
        (b.contains("skipped") && b["skipped"].is_number() && b["skipped"].get<double>() != 0)) {
      ++skipped_errors;
      continue;
    }
    if (!b.contains("real_time") && !b.contains("cpu_time")) {
      ++skipped_untimed;  // BigO / RMS aggregates carry coefficients, not times
      continue;
    }
    file.entries.push_back(std::move(e));
  }
  if (skipped_errors > 0)
    file.notes.push_back(fmt::format("{}: skipped {} benchmark entr{} that reported an error",
                                     path, skipped_errors, skipped_errors == 1 ? "y" : "ies"));
  if (skipped_untimed > 0)
    file.notes.push_back(fmt::format("{}: skipped {} entr{} without times (complexity fits)", path,
                                     skipped_untimed, skipped_untimed == 1 ? "y" : "ies"));
  if (file.entries.empty())
    fail(path, benchmarks->empty() ? "contains no benchmarks (the \"benchmarks\" array is empty)"
                                   : "contains no usable benchmark results (all entries errored "
                                     "or have no times)");
  return file;
}

BenchFile load_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) fail(path, "no such file; check the path");
  if (fs::is_directory(status)) fail(path, "is a directory, expected a JSON file");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, fmt::format("cannot open: {}", std::strerror(errno)));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) fail(path, "read error");
  return parse_benchmark_json(buffer.str(), path);
}

}  // namespace tpx::compare
