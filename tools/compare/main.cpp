// tpx-compare: see tools/compare/README.md, or run with --help.
#include <unistd.h>

#include <iostream>

#include "cli.hpp"

int main(int argc, char** argv) {
  return tpx::compare::run(argc, argv, std::cout, std::cerr, ::isatty(STDOUT_FILENO) == 1);
}
