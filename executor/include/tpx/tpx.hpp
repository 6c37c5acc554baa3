// tpx/tpx.hpp — everything public of tpx.
#pragma once

#include "tpx/coroutine.hpp"
#include "tpx/error_reporter.hpp"
#include "tpx/errors.hpp"
#include "tpx/executor.hpp"
#include "tpx/future.hpp"
#include "tpx/map.hpp"
#include "tpx/options.hpp"
#include "tpx/promise.hpp"
#include "tpx/stats.hpp"
#include "tpx/wait.hpp"
