// Metrics: which number of an entry is compared, which way is better, and
// how it reads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model.hpp"

namespace tpx::compare {

enum class Better { lower, higher, unknown };

// real_time, cpu_time, times and latencies (*_us, *_ns, *_ms), context
// switches and allocations: lower. *_per_second, efficiency, speedup: higher.
Better better_direction(std::string_view metric);

bool is_time_metric(std::string_view metric);  // real_time or cpu_time

// Counters that describe the configuration, not the performance.
bool is_configuration_counter(std::string_view counter);

// The metric's value in an entry (times in ns), if the entry has it.
std::optional<double> metric_value(const Entry& e, std::string_view metric);

// "12.3 us", "4.56 M/s", "0.973": three significant digits, unit chosen by size.
std::string format_value(double v, std::string_view metric);
std::string format_ratio(double r);     // "1.23×"
std::string format_percent(double f);   // 0.052 -> "+5.2%"

}  // namespace tpx::compare
