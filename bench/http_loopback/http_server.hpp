// The loopback HTTP server of http_loopback: cpp-httplib on 127.0.0.1, an
// ephemeral port, started on first use and stopped at exit. Its handler
// threads live in this process, so perf counters include the server side:
// it is the same for every contender.
#pragma once

namespace tpx::bench {

// Port of the running server; starts it on first call. 0 if it cannot start.
int http_server_port();

// One GET of "/" on a fresh connection; returns the body size, -1 on error.
long http_get_once(int port);

}  // namespace tpx::bench
