// JSON answers of the portal, in one place for every route file.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>

namespace minplan::server {

// Request text may hold invalid UTF-8 (echoed in messages): replace it rather than fail the dump.
inline std::string json_text(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(json_text(body), "application/json; charset=utf-8");
}

}  // namespace minplan::server
