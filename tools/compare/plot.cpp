#include "plot.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "metric.hpp"

extern char** environ;

namespace tpx::compare {
namespace {

namespace fs = std::filesystem;

std::string file_stem(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_';
  return out.empty() ? "chart" : out;
}

// A string inside gnuplot double quotes, and a label inside a data file.
std::string gp_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + "\"";
}
std::string data_label(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? '\'' : (c == '\n' ? ' ' : c);
  return out + "\"";
}

std::string number(double v) { return std::isfinite(v) ? fmt::format("{:.6g}", v) : "?"; }

// Sets the PNG terminal (pngcairo when built in) and the common style.
const char* kPreamble =
    "set encoding utf8\n"
    "set datafile missing '?'\n"
    "set key outside right top noenhanced\n"
    "set grid ytics lc rgb '#dddddd'\n"
    "set border 3\nset tics nomirror\n";

class Chart {
 public:
  Chart(std::string dir, std::string name, std::string gnuplot)
      : dir_(std::move(dir)), name_(file_stem(name)), gnuplot_(std::move(gnuplot)) {}

  std::ofstream& data() { return data_; }
  std::string data_path() const { return (fs::path(dir_) / (name_ + ".dat")).string(); }

  void open() { data_.open(data_path()); }

  // Writes the script (the body draws with `plot`), runs gnuplot, records the outcome.
  void render(const std::string& body, PlotResult& result) {
    data_.close();
    const fs::path base = fs::path(dir_) / name_;
    const std::string png = base.string() + ".png", svg = base.string() + ".svg";
    const std::string script_path = base.string() + ".gp", log_path = base.string() + ".log";
    {
      std::ofstream script(script_path);
      script << kPreamble << "data = " << gp_quote(data_path()) << "\n"
             << "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
             << "  set terminal pngcairo size 1100,600 noenhanced font ',10'\n"
             << "} else {\n  set terminal png size 1100,600 noenhanced\n}\n"
             << "set output " << gp_quote(png) << "\n"
             << body << "\n"
             << "set terminal svg size 1100,600 noenhanced dynamic\n"
             << "set output " << gp_quote(svg) << "\nreplot\nunset output\n";
      if (!script) {
        result.errors.push_back(fmt::format("cannot write {}", script_path));
        return;
      }
    }
    const int status = run(script_path, log_path);
    if (status != 0 || !fs::exists(png) || !fs::exists(svg)) {
      result.errors.push_back(fmt::format("gnuplot failed on {} (exit status {}); see {}", script_path,
                                          status, log_path));
      return;
    }
    std::error_code ec;
    fs::remove(log_path, ec);
    result.written.push_back(png);
    result.written.push_back(svg);
  }

 private:
  int run(const std::string& script, const std::string& log) const {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    std::vector<std::string> args_text{gnuplot_, script};
    std::vector<char*> argv;
    for (auto& a : args_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, gnuplot_.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return -1;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
      if (errno != EINTR) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string dir_, name_, gnuplot_;
  std::ofstream data_;
};

bool prepare_dir(const std::string& dir, PlotResult& result) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    result.errors.push_back(fmt::format("cannot create the plot directory {}: {}", dir, ec.message()));
    return false;
  }
  return true;
}

// Clustered bars: one cluster per row label, one bar per series.
std::string histogram_body(std::size_t series, const std::string& title, const std::string& ylabel,
                           bool log_scale, bool unit_line) {
  std::string body = fmt::format(
      "set title {}\nset ylabel {}\nset style data histograms\nset style histogram clustered gap 1\n"
      "set style fill solid 0.85 border -1\nset boxwidth 0.9\nset xtics rotate by -30 left\n"
      "set yrange [{}:*]\n",
      gp_quote(title), gp_quote(ylabel), log_scale ? "*" : "0");
  if (log_scale) body += "set logscale y\n";
  if (unit_line) body += "set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb '#555555'\n";
  body += "plot";
  for (std::size_t i = 0; i < series; ++i)
    body += fmt::format("{} data using {}{} title columnheader({})", i ? "," : "", i + 2,
                        i == 0 ? ":xtic(1)" : "", i + 2);
  return body;
}

bool is_percentile(const std::string& counter) {
  static const std::regex re("^(p[0-9]+|max|min|mean)_(us|ns|ms)$");
  return std::regex_match(counter, re);
}

double percentile_rank(const std::string& c) {
  if (c.starts_with("min")) return -1;
  if (c.starts_with("mean")) return 0;
  if (c.starts_with("max")) return 1e9;
  const std::string digits = c.substr(1, c.find('_') - 1);
  return std::stod("0." + digits);  // p50 -> 0.50, p999 -> 0.999
}

}  // namespace

std::optional<std::string> find_gnuplot(const std::string& explicit_path) {
  const auto executable = [](const std::string& p) {
    return !p.empty() && ::access(p.c_str(), X_OK) == 0 && !fs::is_directory(p);
  };
  if (!explicit_path.empty()) return executable(explicit_path) ? std::optional(explicit_path) : std::nullopt;
  if (const char* env = std::getenv("TPX_GNUPLOT"); env != nullptr && *env != '\0')
    return executable(env) ? std::optional(std::string(env)) : std::nullopt;
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string candidate = (fs::path(dirs.substr(start, end - start)) / "gnuplot").string();
    if (executable(candidate)) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

PlotResult plot_show(const ShowData& data, const Options& o, const std::string& dir, const std::string& gnuplot) {
  PlotResult result;
  if (!prepare_dir(dir, result)) return result;
  for (std::size_t w = 0; w < data.workloads.size(); ++w) {
    if (data.workloads[w].empty()) continue;  // no contenders, no ratios
    std::vector<std::string> runs;
    for (const auto& r : data.rows[w])
      if (std::find(runs.begin(), runs.end(), r.run) == runs.end()) runs.push_back(r.run);
    for (const auto& run : runs) {
      std::vector<std::string> slots, contenders;
      std::map<std::pair<std::string, std::string>, const ShowRow*> cell;
      for (const auto& r : data.rows[w]) {
        if (r.run != run) continue;
        const auto& n = r.series->name;
        if (std::find(slots.begin(), slots.end(), n.args_text()) == slots.end()) slots.push_back(n.args_text());
        if (std::find(contenders.begin(), contenders.end(), n.contender) == contenders.end())
          contenders.push_back(n.contender);
        cell[{n.args_text(), n.contender}] = &r;
      }
      const std::string suffix = runs.size() > 1 ? "_" + run : "";
      // Ratios to the reference.
      {
        Chart chart(dir, fmt::format("ratio_{}{}", data.workloads[w], suffix), gnuplot);
        chart.open();
        chart.data() << "args";
        for (const auto& c : contenders) chart.data() << ' ' << data_label(c);
        chart.data() << '\n';
        bool any = false;
        for (const auto& s : slots) {
          chart.data() << data_label(s.empty() ? "-" : s);
          for (const auto& c : contenders) {
            const auto it = cell.find({s, c});
            const bool has = it != cell.end() && it->second->ratio;
            any = any || has;
            chart.data() << ' ' << (has ? number(*it->second->ratio) : "?");
          }
          chart.data() << '\n';
        }
        if (any)
          chart.render(histogram_body(contenders.size(),
                                      fmt::format("{} on {}: {} relative to {}", data.workloads[w], run,
                                                  o.metric, data.ref),
                                      fmt::format("{} / {} ({})", o.metric, data.ref,
                                                  better_direction(o.metric) == Better::higher ? "higher is better" : "lower is better"),
                                      /*log_scale=*/true, true),  // ratios are multiplicative: 0.1x and 10x sit alike
                       result);
      }
      // Latency percentiles.
      std::vector<std::string> percentiles;
      for (const auto& [key, r] : cell)
        for (const Entry& e : r->series->iterations)
          for (const auto& [k, v] : e.counters)
            if (is_percentile(k) && std::find(percentiles.begin(), percentiles.end(), k) == percentiles.end())
              percentiles.push_back(k);
      if (percentiles.empty()) continue;
      std::sort(percentiles.begin(), percentiles.end(),
                [](const auto& a, const auto& b) { return percentile_rank(a) < percentile_rank(b); });
      Chart chart(dir, fmt::format("latency_{}{}", data.workloads[w], suffix), gnuplot);
      chart.open();
      chart.data() << "benchmark";
      for (const auto& p : percentiles) chart.data() << ' ' << data_label(p);
      chart.data() << '\n';
      for (const auto& s : slots)
        for (const auto& c : contenders) {
          const auto it = cell.find({s, c});
          if (it == cell.end()) continue;
          chart.data() << data_label(s.empty() ? c : c + " " + s);
          for (const auto& p : percentiles) {
            const auto sum = summarize(*it->second->series, p);
            chart.data() << ' ' << (sum && sum->center > 0 ? number(sum->center) : "?");
          }
          chart.data() << '\n';
        }
      chart.render(histogram_body(percentiles.size(),
                                  fmt::format("{} on {}: latency percentiles (median over repetitions)",
                                              data.workloads[w], run),
                                  "latency (counter units, log scale)", true, false),
                   result);
    }
  }
  return result;
}

PlotResult plot_scaling(const ScalingData& data, const std::string& dir, const std::string& gnuplot) {
  PlotResult result;
  if (!prepare_dir(dir, result)) return result;
  std::vector<std::pair<std::string, std::string>> charts;  // (workload, run)
  for (const auto& c : data.curves)
    if (std::find(charts.begin(), charts.end(), std::pair(c.workload, c.run)) == charts.end())
      charts.emplace_back(c.workload, c.run);
  std::vector<std::string> run_names;
  for (const auto& [w, r] : charts)
    if (std::find(run_names.begin(), run_names.end(), r) == run_names.end()) run_names.push_back(r);
  for (const auto& [workload, run] : charts) {
    Chart chart(dir, fmt::format("scaling_{}{}", workload, run_names.size() > 1 ? "_" + run : ""), gnuplot);
    chart.open();
    std::string plot = "plot";
    std::string unit;
    int index = 0;
    for (const auto& c : data.curves) {
      if (c.workload != workload || c.run != run) continue;
      unit = c.unit;
      for (const auto& p : c.points) chart.data() << p.workers << ' ' << number(p.throughput) << '\n';
      chart.data() << "\n\n";
      const std::string title = c.variant.empty() ? c.contender : c.contender + " " + c.variant;
      plot += fmt::format("{} data index {} using 1:2 with linespoints lw 2 pt 7 title {}", index ? "," : "",
                          index, gp_quote(title.empty() ? "throughput" : title));
      ++index;
    }
    chart.render(fmt::format("set title {}\nset xlabel 'workers'\nset ylabel {}\nset logscale x 2\n"
                             "set yrange [0:*]\n{}",
                             gp_quote(fmt::format("{} on {}: throughput by worker count", workload, run)),
                             gp_quote(unit), plot),
                 result);
  }
  return result;
}

PlotResult plot_diff(const DiffData& data, const Options& o, const std::string& dir, const std::string& gnuplot) {
  PlotResult result;
  if (!prepare_dir(dir, result) || data.primary.empty()) return result;
  Chart chart(dir, "diff_" + o.metric, gnuplot);
  chart.open();
  int i = 0;
  for (const auto& r : data.primary) {
    const int colour = r.verdict == Verdict::regression    ? 0xcc3333
                       : r.verdict == Verdict::improvement ? 0x339933
                                                           : 0x999999;
    chart.data() << i++ << ' ' << number(std::isfinite(r.change) ? r.change * 100 : NAN) << ' ' << colour << ' '
                 << data_label(r.benchmark) << '\n';
  }
  chart.render(fmt::format("set title {}\nset ylabel 'change (%)'\nset style fill solid 0.85\nset boxwidth 0.8\n"
                           "set xtics rotate by -30 left\nset xrange [-1:{}]\n"
                           "set arrow from graph 0, first {} to graph 1, first {} nohead dt 2 lc rgb '#555555'\n"
                           "set arrow from graph 0, first {} to graph 1, first {} nohead dt 2 lc rgb '#555555'\n"
                           "unset key\nplot data using 1:2:3:xtic(4) with boxes lc rgb variable",
                           gp_quote(fmt::format("{}: OLD → NEW (red: regression, green: improvement; dashed: ±{:g}%)",
                                                o.metric, o.threshold * 100)),
                           i, o.threshold * 100, o.threshold * 100, -o.threshold * 100, -o.threshold * 100),
               result);
  return result;
}

}  // namespace tpx::compare
