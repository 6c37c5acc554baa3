#include "metric.hpp"

#include <fmt/format.h>

#include <cmath>

namespace tpx::compare {
namespace {

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

// Three significant digits without exponent for 1 <= |v| < 1000.
std::string three_digits(double v) {
  const double a = std::fabs(v);
  if (a == 0) return "0";
  // Thresholds sit where rounding would add a digit (9.996 prints as 10.0).
  if (a < 9.995) return fmt::format("{:.2f}", v);
  if (a < 99.95) return fmt::format("{:.1f}", v);
  return fmt::format("{:.0f}", v);
}

std::string with_si(double v, std::string_view unit) {
  const double a = std::fabs(v);
  if (a != 0 && a < 1e-2) return fmt::format("{:.3g}{}", v, unit);
  if (a >= 1e12) return fmt::format("{} T{}", three_digits(v / 1e12), unit);
  if (a >= 1e9) return fmt::format("{} G{}", three_digits(v / 1e9), unit);
  if (a >= 1e6) return fmt::format("{} M{}", three_digits(v / 1e6), unit);
  if (a >= 1e4) return fmt::format("{} k{}", three_digits(v / 1e3), unit);
  if (a >= 1e3) return fmt::format("{:.0f}{}", v, unit);
  return three_digits(v) + std::string(unit);
}

}  // namespace

bool is_time_metric(std::string_view m) { return m == "real_time" || m == "cpu_time"; }

Better better_direction(std::string_view m) {
  if (is_time_metric(m)) return Better::lower;
  if (m.ends_with("per_second") || m.ends_with("_per_s") || m.ends_with("_rate") ||
      contains(m, "efficiency") || contains(m, "speedup") || contains(m, "throughput"))
    return Better::higher;
  if (m.ends_with("_us") || m.ends_with("_ns") || m.ends_with("_ms") || m.ends_with("_s") ||
      contains(m, "latency") || contains(m, "ctx_switch") || contains(m, "context_switch") ||
      contains(m, "alloc") || contains(m, "miss") || contains(m, "steal") ||
      contains(m, "bytes_per_task") || contains(m, "syscall"))
    return Better::lower;
  return Better::unknown;
}

bool is_configuration_counter(std::string_view c) {
  return c == "workers" || c == "threads" || c == "chunk" || c == "tasks" || c == "depth" ||
         c == "pinned" || c == "cores" || c == "repetitions";
}

std::optional<double> metric_value(const Entry& e, std::string_view metric) {
  if (metric == "real_time") return e.real_time_ns;
  if (metric == "cpu_time") return e.cpu_time_ns;
  const auto it = e.counters.find(std::string(metric));
  if (it == e.counters.end() || !std::isfinite(it->second)) return std::nullopt;
  return it->second;
}

std::string format_value(double v, std::string_view metric) {
  if (!std::isfinite(v)) return "n/a";
  if (is_time_metric(metric)) {
    const double a = std::fabs(v);
    if (a >= 999.5e6) return three_digits(v / 1e9) + " s";
    if (a >= 999.5e3) return three_digits(v / 1e6) + " ms";
    if (a >= 999.5) return three_digits(v / 1e3) + " us";
    return three_digits(v) + " ns";
  }
  if (metric.ends_with("per_second")) return with_si(v, "/s");
  return with_si(v, "");
}

std::string format_ratio(double r) {
  if (!std::isfinite(r)) return "n/a";
  if (r >= 100) return fmt::format("{:.0f}×", r);
  return fmt::format("{:.2f}×", r);
}

std::string format_percent(double f) {
  if (!std::isfinite(f)) return "n/a";
  return fmt::format("{:+.1f}%", f * 100);
}

}  // namespace tpx::compare
