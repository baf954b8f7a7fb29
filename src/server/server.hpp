// `minplan serve`: the plan portal over HTTP. A JSON API under /api (described at /api/openapi.json) and
// the built web map (web/dist) from the same process, so that a closed bureau network needs nothing else.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "server/access_log.hpp"
#include "server/api.hpp"
#include "server/client.hpp"
#include "store/plan_database.hpp"

namespace minplan::server {

struct ServerOptions {
    std::string host = "127.0.0.1";  // loopback unless told otherwise
    int port = 8080;                 // 0 = any free port (tests)
    std::filesystem::path web_root;  // the built front end; empty = <source>/web/dist
    std::string tile_url;            // optional XYZ tile template (EPSG:3857) under the map; empty = none
    std::size_t max_body_bytes = 1 << 20;
    AccessLogOptions access_log;     // the request log (path empty = none, "-" = stderr)
    ProxyPolicy proxy;               // TLS and a trusted reverse proxy (client.hpp)
    std::chrono::seconds session_ttl{8 * 3600};  // login sessions (auth.hpp)
    // HTTP worker threads. cpp-httplib keeps a worker on a keep-alive connection until the client closes it,
    // idles for 5 s or has sent kKeepAliveMaxCount requests, so a connection beyond this count waits for a free worker before
    // its request is even read: size it for the concurrent clients, not the cores. 72 = the 64 clients of
    // bench/load.sh plus room for a few browsers; with 8 or 16 workers the 64-client p90 was ~175 ms of
    // queueing, with 64 or 72 it was gone (README "Load benchmark"). Idle threads cost only their stacks.
    static constexpr std::size_t kDefaultWorkerThreads = 72;
    // Requests a keep-alive connection may carry before the server closes it (httplib's default is 5).
    static constexpr std::size_t kKeepAliveMaxCount = 100;
    std::size_t worker_threads = kDefaultWorkerThreads;
    // Layers of at most this many features are held in memory whole; larger ones are paged from the store
    // per request (bbox windows), and the web map loads them by window (GET /api/layers: "paged").
    std::int64_t held_max_features = kDefaultHeldMaxFeatures;
};

class PortalServer {
public:
    // Every service of the server reads and writes through `db` and follows its version.
    PortalServer(std::shared_ptr<store::PlanDatabase> db, ServerOptions options);
    ~PortalServer();
    PortalServer(const PortalServer&) = delete;
    PortalServer& operator=(const PortalServer&) = delete;

    // Binds the socket and returns the port (useful with port 0); throws IoError if it cannot.
    int bind();
    // Serves until stop(); call after bind().
    void run();
    void stop();
    bool running() const;
    const ServerOptions& options() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The OpenAPI 3 document of the API.
std::string openapi_document();

}  // namespace minplan::server
