// A PortalServer running on an ephemeral loopback port for the duration of a test, with a client.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>
#include <utility>

#include "server/server.hpp"
#include "store/plan_database.hpp"
#include "store/plan_store.hpp"

namespace minplan::testing {

struct RunningPortal {
    std::unique_ptr<server::PortalServer> server;
    std::thread thread;
    int port = 0;
    int read_timeout_s = 60;

    explicit RunningPortal(const std::filesystem::path& db, server::ServerOptions o = {}) {
        o.port = 0;
        server = std::make_unique<server::PortalServer>(store::open_database(db.string()), o);
        port = server->bind();
        thread = std::thread([this] { server->run(); });
        for (int i = 0; i < 500 && !server->running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ~RunningPortal() {
        server->stop();
        thread.join();
    }
    RunningPortal(const RunningPortal&) = delete;
    RunningPortal& operator=(const RunningPortal&) = delete;

    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(read_timeout_s);
        return c;
    }
    httplib::Result get(const std::string& path) const { return client().Get(path.c_str()); }
    // Status and parsed body (-1 when the server did not answer).
    std::pair<int, nlohmann::json> get_json(const std::string& path) const {
        auto res = get(path);
        if (!res) return {-1, nlohmann::json()};
        return {res->status, nlohmann::json::parse(res->body, nullptr, false)};
    }
};

}  // namespace minplan::testing
