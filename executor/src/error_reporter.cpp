// The process-wide reporter of exceptions nobody can receive.
#include "tpx/error_reporter.hpp"

#include "run_note.hpp"

#include <cstdio>
#include <mutex>
#include <string>
#include <utility>

namespace tpx {
namespace {

void default_reporter(std::exception_ptr error, std::string_view where) {
  const std::string line = "tpx: unhandled exception in " + std::string(where) + ": " + detail::describe_exception(error) + "\n";
  std::fputs(line.c_str(), stderr);  // one write: lines from several threads do not interleave
}

// A mutex, not an atomic: reporting is the cold path (an exception nobody
// catches), and std::function cannot be swapped atomically.
std::mutex g_mutex;
ErrorReporter g_reporter = default_reporter;

}  // namespace

ErrorReporter set_error_reporter(ErrorReporter reporter) {
  if (!reporter) reporter = default_reporter;
  std::lock_guard lock(g_mutex);
  return std::exchange(g_reporter, std::move(reporter));
}

namespace detail {

std::string describe_exception(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception not derived from std::exception";
  }
}

void report_error(std::exception_ptr error, std::string_view where) noexcept {
  try {
    ErrorReporter reporter;
    {
      std::lock_guard lock(g_mutex);
      reporter = g_reporter;  // call it unlocked: it may itself call set_error_reporter
    }
    reporter(std::move(error), where);
  } catch (...) {
    // A reporter that throws (or a copy that fails) has nowhere to report to.
  }
}

void report_posted_task_error(std::exception_ptr error) noexcept {
  run_note().failed = true;  // for stats(): this thread's task failed
  report_error(std::move(error), "a task given to tpx::ThreadPoolExecutor::post");
}

}  // namespace detail
}  // namespace tpx
