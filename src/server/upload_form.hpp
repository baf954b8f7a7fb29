// What the portal's upload routes share (POST /api/intake, POST /api/geoenv/import): the one uploaded file
// saved under its browser name made safe, true/false form fields, and the 400 body listing a refused file's
// problems one by one (the first 50 and their total), with the scratch directory taken out of the messages.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "server/downloads.hpp"
#include "server/json_response.hpp"

namespace minplan::server::upload {

// File systems take 255 bytes; the upload is saved under its own name (the importers' messages name it).
constexpr std::size_t kMaxUploadNameBytes = 200;
// Uploads may be this large even when ServerOptions::max_body_bytes is smaller.
constexpr std::size_t kMaxUploadBodyBytes = 16u << 20;

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

// The multipart field `file`, one file, saved under its safe name in a scratch directory of its own (removed
// with it). HttpError 415 when the request is not multipart, 400 when the file is missing, sent twice, empty,
// named too long, or has none of `extensions` (lower case, with the dot); `expected` says in Chinese what
// the user should send.
class SavedUpload {
public:
    SavedUpload(const httplib::Request& req, std::initializer_list<const char*> extensions, const std::string& expected);
    const std::filesystem::path& file() const { return file_; }
    const std::string& name() const { return name_; }

    // Runs `use` on the saved file. When the file is refused (its problems listed, a bad value, a worksheet
    // it does not have), `res` gets the 400 body naming the upload and the answer is false.
    template <class Use>
    bool refused_or_done(httplib::Response& res, Use&& use) const {
        try {
            use(file_);
            return true;
        } catch (const ProblemsError& e) {
            send_json(res, 400, problems_body(e.what(), e.problems(), e.total(), scratch_.path(), name_));
        } catch (const InputError& e) {
            send_json(res, 400, problems_body(e.what(), {e.what()}, 1, scratch_.path(), name_));
        } catch (const NotFoundError& e) {
            send_json(res, 400, problems_body(e.what(), {e.what()}, 1, scratch_.path(), name_));
        }
        return false;
    }
    // A message of the import without the scratch directory in it.
    std::string cleaned(const std::string& message) const { return without_dir(message, scratch_.path().string()); }

private:
    ScratchDir scratch_;
    std::string name_;
    std::filesystem::path file_;
};

}  // namespace minplan::server::upload
