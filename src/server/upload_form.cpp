#include "server/upload_form.hpp"

#include <algorithm>
#include <cctype>

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

}  // namespace minplan::server::upload
