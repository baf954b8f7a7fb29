// JSON answers of the portal, in one place for every route file.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>

#include "core/json_text.hpp"

namespace minplan::server {

// Request text may hold invalid UTF-8 (echoed in messages): replaced, not a failed answer (core/json_text.hpp).
using minplan::json_text;

inline void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(json_text(body), "application/json; charset=utf-8");
}

}  // namespace minplan::server
