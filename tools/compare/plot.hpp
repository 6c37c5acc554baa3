// Charts through gnuplot: a data file and a script per chart, each rendered
// to PNG and SVG. Scripts stay next to the charts so they can be edited.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "views.hpp"

namespace tpx::compare {

struct PlotResult {
  std::vector<std::string> written;  // chart files (png and svg)
  std::vector<std::string> errors;   // what failed, with the gnuplot log to read
};

// `explicit_path` (from --gnuplot) if given, else $TPX_GNUPLOT, else gnuplot on $PATH.
std::optional<std::string> find_gnuplot(const std::string& explicit_path);

// Ratio bars per workload and run, and latency percentile bars where the
// benchmarks have percentile counters (p50_us, p99_us, ...).
PlotResult plot_show(const ShowData& data, const Options& o, const std::string& dir, const std::string& gnuplot);
// Throughput against worker count, one line per contender.
PlotResult plot_scaling(const ScalingData& data, const std::string& dir, const std::string& gnuplot);
// The change of every benchmark, coloured by verdict.
PlotResult plot_diff(const DiffData& data, const Options& o, const std::string& dir, const std::string& gnuplot);

}  // namespace tpx::compare
