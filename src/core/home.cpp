#include "core/home.hpp"

#include <cstdlib>
#include <string>

#include "core/error.hpp"

namespace minplan {

namespace {

std::filesystem::path installed_home() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    return exe.parent_path().parent_path() / "share" / "minplan";
}

bool is_home(const std::filesystem::path& p) {
    std::error_code ec;
    return !p.empty() && std::filesystem::is_directory(p / "data" / "schema", ec);
}

}  // namespace

std::filesystem::path home_dir() {
    if (const char* home = std::getenv("MINPLAN_HOME"); home && *home) return home;
    // The installed copy wins over the source tree, so that an installed binary never depends on a
    // checkout that may change under it.
    if (auto installed = installed_home(); is_home(installed)) return installed;
    if (std::filesystem::path tree = MINPLAN_SOURCE_DIR; is_home(tree)) return tree;
    throw IoError("找不到 minplan 数据目录：已查找 " + installed_home().string() + " 与 " + MINPLAN_SOURCE_DIR +
                  "；请设置环境变量 MINPLAN_HOME / minplan data directory not found");
}

std::filesystem::path default_database_dir() {
    if (home_dir() == std::filesystem::path(MINPLAN_SOURCE_DIR)) return MINPLAN_BUILD_DIR;
    if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache && *cache) return std::filesystem::path(cache) / "minplan";
    if (const char* user = std::getenv("HOME"); user && *user) return std::filesystem::path(user) / ".cache" / "minplan";
    return std::filesystem::temp_directory_path() / "minplan";
}

}  // namespace minplan
