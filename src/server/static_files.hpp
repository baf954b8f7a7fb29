// Files of the built front end. Paths are checked before they touch the disk: any ".." segment,
// backslash or NUL is refused, and the resolved file must stay under the root (symlinks included).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace minplan::server {

struct StaticFile {
    std::filesystem::path path;
    std::string content_type;
};

// Throws HttpError 400 for a path that tries to leave the root, 404 for a missing file with an
// extension; a missing extensionless path is the single-page app (index.html).
StaticFile resolve_static(const std::filesystem::path& root, const std::string& url_path);

}  // namespace minplan::server
