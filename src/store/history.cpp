#include "store/history.hpp"
#include "store/history_rules.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace minplan::store {

namespace {

// China Standard Time is UTC+8 all year (no daylight saving since 1991), so a fixed offset is exact.
std::tm shanghai_now() {
    std::time_t t = std::time(nullptr) + 8 * 3600;
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    return tm;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

std::string today() {
    std::tm tm = shanghai_now();
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

std::string now_shanghai() {
    std::tm tm = shanghai_now();
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    return buf;
}

std::string parse_date(const std::string& text, const std::string& what) {
    int y = 0, m = 0, d = 0;
    char tail = 0;
    bool ok = text.size() == 10 && std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && text[4] == '-' &&
              text[7] == '-' && y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    ok = ok && d <= days[m - 1] + (m == 2 && leap(y) ? 1 : 0);
    if (!ok) throw InputError(what + " \"" + text + "\" 不是有效日期，应为 YYYY-MM-DD（如 2024-03-01）/ expected a date YYYY-MM-DD");
    return text;
}

std::optional<ChangeAction> parse_action(const std::string& text) {
    if (text == "新增" || text == "增加" || text == "add" || text == "ADD" || text == "Add") return ChangeAction::Add;
    if (text == "修改" || text == "调整" || text == "modify" || text == "MODIFY" || text == "Modify") return ChangeAction::Modify;
    if (text == "注销" || text == "删除" || text == "取消" || text == "retire" || text == "RETIRE" || text == "Retire")
        return ChangeAction::Retire;
    return std::nullopt;
}

std::string action_zh(ChangeAction a) {
    switch (a) {
        case ChangeAction::Add: return "新增";
        case ChangeAction::Modify: return "修改";
        case ChangeAction::Retire: return "注销";
    }
    return "";
}

std::string action_code(ChangeAction a) {
    switch (a) {
        case ChangeAction::Add: return "add";
        case ChangeAction::Modify: return "modify";
        case ChangeAction::Retire: return "retire";
    }
    return "";
}

std::string state_zh(const std::string& state) {
    if (state == kDraft) return "草稿";
    if (state == kSubmitted) return "已提交";
    if (state == kApproved) return "已批准";
    if (state == kRejected) return "已退回";
    return state;
}

std::string kind_zh(const std::string& kind) {
    if (kind == kAdjustment) return "集中调整";
    if (kind == kAmendment) return "规划修改";
    if (kind == kImport) return "图层导入";
    return kind;
}

std::string os_actor() {
    const char* user = std::getenv("USER");
    if (!user || !*user)
        if (const passwd* pw = ::getpwuid(::getuid())) user = pw->pw_name;  // services and cron set no USER
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    return std::string(user && *user ? user : "?") + "@" + host;
}

std::string item_attributes_json(const Feature& f) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : f.attributes) {
        if (auto* i = std::get_if<std::int64_t>(&v)) j[k] = *i;
        else if (auto* d = std::get_if<double>(&v)) j[k] = *d;
        else if (auto* b = std::get_if<bool>(&v)) j[k] = *b;
        else if (auto* s = std::get_if<std::string>(&v)) j[k] = *s;
        else j[k] = nullptr;
    }
    return j.dump();
}

std::string wkb_hex(const std::vector<unsigned char>& bytes) {
    char* text = CPLBinaryToHex(static_cast<int>(bytes.size()), bytes.data());
    std::string out(text);
    CPLFree(text);
    return out;
}

std::vector<unsigned char> wkb_from_hex(const std::string& hex) {
    int n = 0;
    GByte* bytes = CPLHexToBinary(hex.c_str(), &n);
    std::vector<unsigned char> out(bytes, bytes + n);
    CPLFree(bytes);
    return out;
}

Feature item_feature(const std::string& attributes, const std::string& hex) {
    Feature f;
    const nlohmann::json parsed = attributes.empty() ? nlohmann::json::object() : nlohmann::json::parse(attributes);
    for (const auto& [k, v] : parsed.items()) {
        if (v.is_number_integer()) f.attributes[k] = v.get<std::int64_t>();
        else if (v.is_number()) f.attributes[k] = v.get<double>();
        else if (v.is_boolean()) f.attributes[k] = v.get<bool>();
        else if (v.is_string()) f.attributes[k] = v.get<std::string>();
        else f.attributes[k] = Value{};
    }
    f.wkb = wkb_from_hex(hex);
    return f;
}

void require_editable(const ChangeSet& found) {
    if (found.state != kDraft && found.state != kRejected)
        throw InputError("调整批次 " + std::to_string(found.id) + " 状态为" + state_zh(found.state) +
                         "，不能修改（已批准的批次只能由新的批次取代）/ only a draft or returned change set can be edited");
}

void require_state(const ChangeSet& found, const std::string& expected) {
    if (found.state != expected)
        throw InputError("调整批次 " + std::to_string(found.id) + " 状态为" + state_zh(found.state) + "，应为" + state_zh(expected) +
                         " / the change set is " + found.state + ", expected " + expected);
}

void require_approvable(std::int64_t id, const std::string& state) {
    if (state != kSubmitted)
        throw InputError("调整批次 " + std::to_string(id) + " 状态为" + state_zh(state) +
                         "，只有已提交的批次可以批准 / only a submitted change set can be approved");
}

ChangeSet import_change_set(const std::string& actor, const std::string& effective) {
    ChangeSet cs;
    cs.name = "图层导入";
    cs.kind = kImport;
    cs.author = actor;
    cs.effective_date = effective.empty() ? today() : effective;
    cs.year = std::stoi(cs.effective_date.substr(0, 4));
    cs.state = kApproved;
    cs.decided_at = now_shanghai();
    cs.decided_by = cs.author;
    return cs;
}

}  // namespace minplan::store
