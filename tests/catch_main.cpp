// The one Catch2 main of every test suite.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
