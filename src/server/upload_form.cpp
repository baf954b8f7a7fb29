#include "server/upload_form.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "server/http_error.hpp"
#include "server/json_response.hpp"

namespace minplan::server::upload {
namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    if (from.empty()) return;
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

}  // namespace

std::string without_dir(std::string text, const std::string& dir) {
    replace_all(text, dir + "/", "");
    return text;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string safe_name(const std::string& given) {
    std::string name = given;
    if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name = name.substr(slash + 1);
    while (!name.empty() && (name.front() == '.' || name.front() == ' ')) name.erase(name.begin());
    for (char& c : name)
        if (static_cast<unsigned char>(c) < 0x20 || c == ':') c = '_';
    return name;
}

bool parse_flag(const std::string& key, const std::string& v) {
    std::string s = lower(v);
    if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
    if (s.empty() || s == "false" || s == "0" || s == "no" || s == "off") return false;
    throw HttpError(400, "参数 " + key + " 应为 true 或 false，实际为 \"" + v + "\"");
}

// 400 body of a refused intake: the intake's (already bounded) message, the first kListedProblems problems
// and their total. The list comes from ProblemsError, never from splitting text; each problem is cleaned
// alone, so the work is linear in the problems listed (replacing in the whole message for every problem
// was quadratic: 40k bad rows took 8.7 s).
nlohmann::json problems_body(const std::string& message, const std::vector<std::string>& problems, std::size_t total,
                             const std::filesystem::path& scratch, const std::string& name) {
    constexpr std::size_t kListedProblems = 50;  // the same number the message shows (core/error.hpp)
    const std::string dir = scratch.string();
    nlohmann::json listed = nlohmann::json::array();
    for (std::size_t i = 0; i < problems.size() && i < kListedProblems; ++i) listed.push_back(without_dir(problems[i], dir));
    const std::string msg = without_dir(message, dir);
    nlohmann::json body = error_body(400, msg);
    body["error"]["problems"] = std::move(listed);
    body["error"]["problems_total"] = total;
    body["error"]["summary"] = msg.substr(0, msg.find('\n'));
    body["error"]["file"] = name;
    return body;
}

// A true/false option given as a form field or in the query string.
bool flag(const httplib::Request& req, const std::string& key) {
    if (req.has_file(key)) return parse_flag(key, req.get_file_value(key).content);
    if (req.has_param(key)) return parse_flag(key, req.get_param_value(key));
    return false;
}

SavedUpload::SavedUpload(const httplib::Request& req, std::initializer_list<const char*> extensions, const std::string& expected) {
    if (!req.is_multipart_form_data()) throw HttpError(415, "请用 multipart/form-data 上传文件（字段 file）：" + expected);
    if (!req.has_file("file")) throw HttpError(400, "缺少文件字段 file：请上传" + expected);
    if (req.files.count("file") > 1) throw HttpError(400, "一次只能上传一个文件（字段 file）");
    const auto part = req.get_file_value("file");
    name_ = safe_name(part.filename);
    if (name_.size() > kMaxUploadNameBytes)
        throw HttpError(400, "文件名过长（" + std::to_string(name_.size()) + " 字节，上限 " + std::to_string(kMaxUploadNameBytes) +
                                 " 字节，约 " + std::to_string(kMaxUploadNameBytes / 3) + " 个汉字）：请改短文件名后重新上传");
    const std::string ext = lower(std::filesystem::path(name_).extension().string());
    if (std::none_of(extensions.begin(), extensions.end(), [&](const char* e) { return ext == e; }))
        throw HttpError(400, "文件 \"" + name_ + "\" 的类型不对：请上传" + expected);
    if (part.content.empty()) throw HttpError(400, "上传的文件 \"" + name_ + "\" 是空的");
    file_ = scratch_.path() / name_;
    std::ofstream o(file_, std::ios::binary);
    if (!(o << part.content)) throw IoError("无法写入临时文件 / cannot write the upload");
}

}  // namespace minplan::server::upload
