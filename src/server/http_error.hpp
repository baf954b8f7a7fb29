// Errors at the HTTP boundary. Handlers throw HttpError for request problems (bad parameters, wrong
// content type); the library's own exceptions (NotFoundError, InputError, IoError) are mapped to a status
// in exactly one place (server.cpp). Every error body is {"error": {"status", "message"}} with a Chinese
// message that says what to change.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "core/error.hpp"

namespace minplan::server {

class HttpError : public Error {
public:
    HttpError(int status, const std::string& message) : Error(message), status_(status) {}
    int status() const { return status_; }

private:
    int status_;
};

inline nlohmann::json error_body(int status, const std::string& message) {
    return {{"error", {{"status", status}, {"message", message}}}};
}

}  // namespace minplan::server
