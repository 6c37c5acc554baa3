// examples/common/http.hpp — what the two web-requests examples share
// (web_requests.cpp with tpx::as_completed, web_requests_coro.cpp with
// coroutines): get_status, the tutorial's requests.get(url).status_code as a
// plain blocking function, and LocalSite, the stand-in for the internet they
// request when given no URLs. Built on cpp-httplib; like cli.hpp, nothing here
// is part of the tpx API.
//
// Include it from one .cpp per program (every example is a single .cpp): it
// defines the ThreadSanitizer suppression hook below, which a program may
// define only once.
#pragma once

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/cli.hpp"

#if defined(__SANITIZE_THREAD__)
// ThreadSanitizer: a suppression, with its justification. Debian's
// libcpp-httplib.so is compiled code without -fsanitize=thread; it uses
// function-local static std::regex objects (URL and request parsing) whose
// thread-safe initialisation guard is checked by an inline acquire load that
// TSAN cannot see in uninstrumented code, so their first concurrent use is
// reported as a race that is not one. Only reports with a frame in that
// library are suppressed: races in the examples or in tpx are still reported.
// (A header-only httplib compiles into the program, matches nothing here, and
// stays fully checked.)
extern "C" const char* __tsan_default_suppressions() {
  return "race:libcpp-httplib.so\n";
}
#endif

namespace examples {

struct Fetched {
  std::string url;
  int status = 0;
};

struct FetchError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace detail {

// A sentence for the errors a newcomer will meet; httplib's own name after it.
inline std::string describe(httplib::Error error) {
  std::string what;
  switch (error) {
    case httplib::Error::Connection:
      what = "could not connect (connection refused, host unreachable, or name not resolved)";
      break;
    case httplib::Error::ConnectionTimeout: what = "timed out while connecting"; break;
    case httplib::Error::Read: what = "the connection broke while reading the response"; break;
    case httplib::Error::Write: what = "the connection broke while sending the request"; break;
    case httplib::Error::ExceedRedirectCount: what = "too many redirects"; break;
    case httplib::Error::SSLConnection: what = "the TLS connection failed"; break;
    case httplib::Error::SSLServerVerification: what = "the server's TLS certificate was not accepted"; break;
    default: what = "request failed"; break;
  }
  return what + " [httplib: " + httplib::to_string(error) + "]";
}

// FetchError's message starts with the URL: as_completed hands back futures,
// not indices, and a coroutine's catch sees only the exception, so the error
// has to say which request it was.
[[noreturn]] inline void fail(const std::string& url, const std::string& why) {
  throw FetchError(url + ": " + why);
}

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // without the brackets of an IPv6 literal
  int port = 0;
  std::string path;    // "/..." with the query, without the #fragment
};

// scheme://host[:port][/path][?query][#fragment], enough for these examples
// (no user info, no percent-decoding). httplib::Client("scheme://host:port")
// could split off the host, but not the path; and its URL regex is a
// function-local static inside Debian's compiled, uninstrumented
// libcpp-httplib, whose first use from two threads at once ThreadSanitizer
// reports as a race it cannot see the guard of. So the URL is taken apart here
// and ClientImpl gets host, port.
inline Url parse_url(const std::string& url) {
  const std::size_t sep = url.find("://");
  if (sep == std::string::npos || sep == 0) fail(url, "not a URL (expected http://host[:port][/path])");
  Url u;
  u.scheme = url.substr(0, sep);
  std::transform(u.scheme.begin(), u.scheme.end(), u.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (u.scheme != "http" && u.scheme != "https") {
    fail(url, "unsupported scheme '" + u.scheme + "' (http:// or https:// only)");
  }
  const std::size_t authority_start = sep + 3;
  const std::size_t path_start = std::min(url.find_first_of("/?#", authority_start), url.size());
  const std::string authority = url.substr(authority_start, path_start - authority_start);
  if (authority.find('@') != std::string::npos) fail(url, "user names in URLs are not supported here");

  std::string port_text;
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const std::size_t close = authority.find(']');
    if (close == std::string::npos) fail(url, "unclosed '[' in the host");
    u.host = authority.substr(1, close - 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') fail(url, "unexpected text after ']'");
    if (!after.empty()) port_text = after.substr(1);
  } else {
    const std::size_t colon = authority.find(':');
    u.host = authority.substr(0, colon);
    if (colon != std::string::npos) port_text = authority.substr(colon + 1);
  }
  if (u.host.empty()) fail(url, "no host in the URL");
  u.port = u.scheme == "https" ? 443 : 80;
  if (!port_text.empty()) {
    try {
      u.port = static_cast<int>(parse_uint(port_text, 1, 65535));
    } catch (const std::invalid_argument&) {
      fail(url, "the port must be a number from 1 to 65535");
    }
  }

  u.path = url.substr(path_start);
  u.path = u.path.substr(0, u.path.find('#'));  // the fragment stays in the browser
  if (u.path.empty() || u.path.front() != '/') u.path.insert(0, "/");
  return u;
}

}  // namespace detail

// requests.get(url).status_code; blocks the calling thread for the whole
// request, and throws FetchError when there is no response.
inline Fetched get_status(const std::string& url) {
  const detail::Url u = detail::parse_url(url);
  std::unique_ptr<httplib::ClientImpl> client;
  if (u.scheme == "https") {
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    client = std::make_unique<httplib::SSLClient>(u.host, u.port);
#else
    detail::fail(url, "https:// needs TLS, and this build of cpp-httplib has no TLS support");
#endif
  } else {
    client = std::make_unique<httplib::ClientImpl>(u.host, u.port);
  }
  if (!client->is_valid()) detail::fail(url, "cannot make an HTTP client for this URL");
  client->set_follow_location(true);  // as requests does
  client->set_connection_timeout(std::chrono::seconds(5));
  client->set_read_timeout(std::chrono::seconds(10));
  httplib::Result response = client->Get(u.path);
  if (!response) detail::fail(url, detail::describe(response.error()));
  return {url, response->status};
}

namespace detail {

// A port on 127.0.0.1 where connecting is refused, for as long as this object
// lives: a TCP socket that is bound but never listens answers a SYN with a
// reset. (Closing a socket and reusing its port number could race with another
// process taking the port.)
class RefusingPort {
 public:
  RefusingPort() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;  // any free port
    socklen_t len = sizeof addr;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      const int err = errno;
      ::close(fd_);
      throw std::runtime_error(std::string("bind 127.0.0.1: ") + std::strerror(err));
    }
    port_ = ntohs(addr.sin_port);
  }
  ~RefusingPort() { ::close(fd_); }
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

// The HTTP server, running on its own thread (httplib's server has its own
// thread pool for connections).
class LocalServer {
 public:
  explicit LocalServer(double scale) {
    server_.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("fast\n", "text/plain");
    });
    server_.Get("/slow", [scale](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(scaled_seconds(1, scale));
      res.set_content("slow\n", "text/plain");
    });
    server_.Get("/slower", [scale](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(scaled_seconds(2, scale));
      res.set_content("slower\n", "text/plain");
    });
    // Any other path, /missing among them, gets httplib's 404.
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ < 0) throw std::runtime_error("could not bind an HTTP server to 127.0.0.1");
    // Connections made before the accept loop starts wait in the listen backlog.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~LocalServer() {
    // stop() only acts on a running server; a stop() that came before the
    // accept loop started would be lost and join() would hang. Give the loop
    // a bounded time to come up (it normally is long up by now).
    for (int i = 0; i < 500 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    server_.stop();
    thread_.join();
  }
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
};

}  // namespace detail

// The local stand-in for the internet, for as long as this object lives: an
// HTTP server on 127.0.0.1 with a fast path, two slow ones (1 s and 2 s times
// --scale) and a 404, and a port where connecting is refused. Throws
// std::runtime_error when it cannot be set up.
class LocalSite {
 public:
  explicit LocalSite(double scale) : server_(scale) {}
  LocalSite(const LocalSite&) = delete;
  LocalSite& operator=(const LocalSite&) = delete;

  // The five URLs the examples request, in this order.
  std::vector<std::string> urls() const {
    const std::string base = server_.base();
    return {base + "/", base + "/slow", base + "/slower", base + "/missing",
            "http://127.0.0.1:" + std::to_string(refusing_.port()) + "/refused"};
  }

 private:
  detail::LocalServer server_;    // started first, stopped last
  detail::RefusingPort refusing_;
};

// Both examples' --scale: it only slows the local server.
inline Flag local_scale_flag(double& scale) {
  return {"--scale", "S", "multiply the local server's delays (1 s, 2 s) by S (default 1)",
          [&scale](std::string_view v) { scale = parse_double(v, 0.0, 100.0); }};
}

}  // namespace examples
