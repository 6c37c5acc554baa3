// examples/common/cli.hpp — what every tutorial example needs besides tpx:
// flag parsing (--help, --scale, ...), whole-line printing from many threads,
// and a stopwatch. Kept small and dependency-free so that each example reads
// like its Python original; nothing here is part of the tpx API.
#pragma once

#include <pthread.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iomanip>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <syncstream>
#include <utility>
#include <vector>

namespace examples {

// Exit codes shared by all examples (and relied on by tests/examples).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the program ran but something it did failed
inline constexpr int kExitUsage = 2;    // bad flag or argument: nothing was run

// Prints one line as a whole. Python's print() from several threads can
// interleave pieces of lines; std::osyncstream writes each line atomically
// with respect to other osyncstreams on the same stream.
template <class... Parts>
void say(const Parts&... parts) {
  std::osyncstream out(std::cout);
  (out << ... << parts) << '\n';
  out.emit();
  // Flush so that the order seen through a pipe (the smoke tests) is the order
  // the lines were written in, even if the process is killed later.
  std::cout.flush();
}

template <class... Parts>
void complain(const Parts&... parts) {
  std::osyncstream err(std::cerr);
  (err << ... << parts) << '\n';
}

// time.perf_counter(): a monotonic clock, seconds as a double.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// The kernel name of the calling thread: tpx names its workers
// "<thread_name_prefix>_<i>", which makes "who ran this" visible.
inline std::string this_thread_name() {
  char name[16] = {};  // the kernel limit: 15 characters and a NUL
  if (pthread_getname_np(pthread_self(), name, sizeof name) != 0) return "?";
  return name;
}

// f"{x:.2f}"
inline std::string fixed2(double x) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(2) << x;
  return s.str();
}

// The tutorial sleeps whole seconds; --scale shrinks them so tests run fast.
inline std::chrono::nanoseconds scaled_seconds(double seconds, double scale) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(seconds * scale));
}

// ---- flag parsing -----------------------------------------------------------
//
// A deliberately small parser: "--name VALUE", "--name=VALUE", boolean
// "--name", "-h"/"--help", "--" to end the flags; everything else is a
// positional argument. Errors name the flag and say what was expected.

struct Flag {
  std::string name;      // "--scale"
  std::string metavar;   // "S"; empty for a boolean flag
  std::string help;      // one line
  // Receives the value ("" for a boolean flag); throws std::invalid_argument
  // with a message saying what was expected.
  std::function<void(std::string_view)> set;
};

inline double parse_double(std::string_view text, double lo, double hi) {
  // std::from_chars for double is in libstdc++ 11+; strtod would accept
  // leading blanks and hex, which a flag should not.
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || !(v >= lo && v <= hi)) {
    std::ostringstream msg;
    msg << "expected a number in [" << lo << ", " << hi << "], got '" << text << "'";
    throw std::invalid_argument(msg.str());
  }
  return v;
}

inline std::uint64_t parse_uint(std::string_view text, std::uint64_t lo = 0,
                                std::uint64_t hi = std::numeric_limits<std::uint64_t>::max()) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v < lo || v > hi) {
    std::ostringstream msg;
    msg << "expected a whole number in [" << lo << ", " << hi << "], got '" << text << "'";
    throw std::invalid_argument(msg.str());
  }
  return v;
}

// The usual --scale flag: multiplies every sleep of the tutorial.
inline Flag scale_flag(double& scale) {
  return {"--scale", "S",
          "multiply every sleep by S (default 1 = the tutorial's seconds; tests use 0.1)",
          [&scale](std::string_view v) { scale = parse_double(v, 0.0, 100.0); }};
}

// The usual --seed flag: makes the random sleeps reproducible.
inline Flag seed_flag(std::optional<std::uint64_t>& seed) {
  return {"--seed", "N", "seed the random sleeps (default: a fresh seed per run)",
          [&seed](std::string_view v) { seed = parse_uint(v); }};
}

struct Program {
  std::string name;      // "submit"
  std::string args;      // positional synopsis, e.g. "[URL...]"; empty if none
  std::string summary;   // what it does, and which Python program it mirrors
  std::vector<Flag> flags;
  // Positional arguments land here; a program that takes none leaves it null
  // and any positional argument is an error.
  std::vector<std::string>* positional = nullptr;
};

inline void print_usage(const Program& p, std::ostream& out) {
  out << "Usage: " << p.name << " [options]" << (p.args.empty() ? "" : " ") << p.args << "\n\n"
      << p.summary << "\n\nOptions:\n";
  auto line = [&out](const std::string& left, const std::string& help) {
    out << "  " << std::left << std::setw(18) << left << ' ' << help << '\n';
  };
  for (const auto& f : p.flags) line(f.metavar.empty() ? f.name : f.name + ' ' + f.metavar, f.help);
  line("-h, --help", "show this help and exit");
}

// Returns std::nullopt when the program should run, otherwise the exit code to
// return from main (kExitOk after --help, kExitUsage after an error).
inline std::optional<int> parse_command_line(const Program& p, int argc, char** argv) {
  auto fail = [&p](const std::string& why) {
    std::cerr << p.name << ": " << why << " (see " << p.name << " --help)\n";
    return std::optional<int>(kExitUsage);
  };
  bool flags_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (!flags_done && (arg == "-h" || arg == "--help")) {
      print_usage(p, std::cout);
      return kExitOk;
    }
    if (!flags_done && arg == "--") {
      flags_done = true;
      continue;
    }
    if (flags_done || arg.empty() || arg[0] != '-' || arg == "-") {
      if (p.positional == nullptr) return fail("unexpected argument '" + std::string(arg) + "'");
      p.positional->emplace_back(arg);
      continue;
    }
    std::string_view name = arg;
    std::optional<std::string_view> value;
    if (auto eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    const Flag* flag = nullptr;
    for (const auto& f : p.flags) {
      if (f.name == name) flag = &f;
    }
    if (flag == nullptr) return fail("unknown option '" + std::string(name) + "'");
    if (flag->metavar.empty()) {
      if (value) return fail("option " + flag->name + " takes no value");
      value = std::string_view{};
    } else if (!value) {
      if (i + 1 >= argc) return fail("option " + flag->name + " needs a value " + flag->metavar);
      value = argv[++i];
    }
    try {
      flag->set(*value);
    } catch (const std::invalid_argument& e) {
      return fail("option " + flag->name + ": " + e.what());
    }
  }
  return std::nullopt;
}

}  // namespace examples
