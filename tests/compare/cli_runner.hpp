// Runs tpx-compare's command line in-process, for the CLI tests.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace tpx::compare::test {

struct Result {
  int code;
  std::string out, err;
};

// `args` without the program name; output and errors captured.
inline Result run_cli(std::vector<std::string> args) {
  args.insert(args.begin(), "tpx-compare");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  const int code = run(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

}  // namespace tpx::compare::test
