// tpx/error_reporter.hpp — where exceptions that nobody can receive go.
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <string_view>

namespace tpx {

// Receives exceptions thrown by a post()ed task or by a done callback: nobody
// else can. Process-wide. The default writes exactly one line to stderr.
using ErrorReporter = std::function<void(std::exception_ptr, std::string_view where)>;

// Installs `reporter` (an empty one restores the default) and returns the previous one.
ErrorReporter set_error_reporter(ErrorReporter reporter);

namespace detail {
// Hands `error` to the installed reporter; never throws (a throwing reporter is ignored).
void report_error(std::exception_ptr error, std::string_view where) noexcept;

// The exception's what(), or a phrase saying it has none (for messages).
std::string describe_exception(const std::exception_ptr& error);
}  // namespace detail

}  // namespace tpx
