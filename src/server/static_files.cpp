#include "server/static_files.hpp"

#include <map>

#include "server/http_error.hpp"

namespace minplan::server {
namespace {

std::string content_type_of(const std::filesystem::path& p) {
    static const std::map<std::string, std::string> types = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
        {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".map", "application/json"},
        {".txt", "text/plain; charset=utf-8"}};
    auto it = types.find(p.extension().string());
    return it == types.end() ? "application/octet-stream" : it->second;
}

bool inside(const std::filesystem::path& root, const std::filesystem::path& p) {
    auto r = root.begin();
    auto q = p.begin();
    for (; r != root.end(); ++r, ++q)
        if (q == p.end() || *r != *q) return false;
    return true;
}

}  // namespace

StaticFile resolve_static(const std::filesystem::path& root, const std::string& url_path) {
    std::string rel = url_path;
    while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
    if (rel.find('\\') != std::string::npos || rel.find('\0') != std::string::npos)
        throw HttpError(400, "路径中不允许出现反斜杠或空字符: " + url_path);
    std::size_t start = 0;
    while (start <= rel.size()) {
        auto end = rel.find('/', start);
        std::string seg = rel.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (seg == ".." || seg == ".")
            throw HttpError(400, "路径中不允许出现 \".\" 或 \"..\"（不能访问网站目录以外的文件）: " + url_path);
        if (end == std::string::npos) break;
        start = end + 1;
    }
    std::error_code ec;
    auto base = std::filesystem::weakly_canonical(root, ec);
    if (ec || !std::filesystem::is_directory(base))
        throw HttpError(503, "网页尚未构建：请在 web/ 目录运行 npm ci && npm run build（或运行 ./scripts/test.sh），API 仍可在 /api/ 下使用");
    auto target = rel.empty() ? base / "index.html" : base / rel;
    if (std::filesystem::is_directory(target, ec)) target /= "index.html";
    if (!std::filesystem::exists(target, ec)) {
        if (std::filesystem::path(rel).has_extension())
            throw HttpError(404, "没有这个文件: /" + rel);
        target = base / "index.html";  // client-side route
    }
    auto real = std::filesystem::weakly_canonical(target, ec);
    if (ec || !inside(base, real)) throw HttpError(403, "拒绝访问网站目录以外的文件: " + url_path);
    return {real, content_type_of(real)};
}

}  // namespace minplan::server
