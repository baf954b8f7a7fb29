// What the portal's upload routes share (POST /api/intake, POST /api/geoenv/import): the browser's file name
// made safe for a scratch directory, true/false form fields, and the 400 body listing a refused file's
// problems one by one (the first 50 and their total), with the scratch directory taken out of the messages.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace minplan::server::upload {

// File systems take 255 bytes; the upload is saved under its own name (the importers' messages name it).
constexpr std::size_t kMaxUploadNameBytes = 200;

std::string lower(std::string s);
// The last component of the browser's file name, without anything that could leave the scratch directory.
std::string safe_name(const std::string& given);
// HttpError 400 unless `v` is true/false/1/0/yes/no/on/off (or empty: false).
bool parse_flag(const std::string& key, const std::string& v);
// A true/false option given as a form field or in the query string; false when absent.
bool flag(const httplib::Request& req, const std::string& key);
// The scratch directory is the server's business, not the user's: messages name the upload only.
std::string without_dir(std::string text, const std::string& dir);
nlohmann::json problems_body(const std::string& message, const std::vector<std::string>& problems, std::size_t total,
                             const std::filesystem::path& scratch, const std::string& name);

}  // namespace minplan::server::upload
