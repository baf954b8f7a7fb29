// Helpers of the account routes shared by auth.cpp and accounts.cpp; not part of the server's interface.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>

#include "server/auth.hpp"

namespace minplan::server::detail {

void validate_password(const std::string& password);  // InputError when too short or too long
nlohmann::json user_json(const UserRecord& u);
nlohmann::json parse_json_body(const httplib::Request& req);  // HttpError 415/400
std::string string_field(const nlohmann::json& j, const char* key, const char* label);  // HttpError 400 when missing

}  // namespace minplan::server::detail
