#include "http_loopback/http_server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

namespace tpx::bench {
namespace {

// 64 connections may be open at once (the largest client pool): give the
// server as many handler threads so it is not the bottleneck it would be with
// httplib's default of max(8, cores - 1).
constexpr std::size_t kServerThreads = 64;

struct Server {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  int listen_fd = -1;

  Server() {
    server.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
    server.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("tpx http_loopback 64 bytes of body...........................\n", "text/plain");
    });
    // httplib listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, fixed
    // when the Debian library was compiled): 16 or 64 simultaneous connects
    // overflow it and the kernel drops SYNs, which clients retry after one
    // second. Keep the listening socket and raise the backlog after bind
    // (a second listen() on a listening socket updates it).
    server.set_socket_options([this](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
      listen_fd = sock;
    });
    port = server.bind_to_any_port("127.0.0.1");
    if (port > 0 && listen_fd >= 0) ::listen(listen_fd, 1024);
    if (port <= 0) {
      std::fprintf(stderr, "http_loopback: cannot bind 127.0.0.1\n");
      port = 0;
      return;
    }
    thread = std::thread([this] { server.listen_after_bind(); });
    for (int i = 0; i < 5000 && !server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (!server.is_running()) {
      std::fprintf(stderr, "http_loopback: server did not start listening\n");
      port = 0;
    }
  }
  ~Server() {
    server.stop();
    if (thread.joinable()) thread.join();
  }
};

}  // namespace

int http_server_port() {
  static Server s;
  return s.port;
}

long http_get_once(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_keep_alive(false);
  auto res = client.Get("/");
  if (!res || res->status != 200) return -1;
  return static_cast<long>(res->body.size());
}

}  // namespace tpx::bench
