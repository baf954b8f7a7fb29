#include "rules/model.hpp"

#include <fmt/format.h>

#include <map>

#include "core/error.hpp"

namespace minplan::rules {

Kind parse_kind(const std::string& s) {
    if (s == "exploration" || s == "探矿权" || s == "探矿") return Kind::Exploration;
    if (s == "mining" || s == "采矿权" || s == "采矿") return Kind::Mining;
    throw InputError(fmt::format("矿业权类型应为 exploration（探矿权）或 mining（采矿权），实际为“{}” / unknown kind", s));
}

Action parse_action(const std::string& s) {
    if (s == "new" || s == "新立" || s == "新设") return Action::New;
    if (s == "extension" || s == "延续") return Action::Extension;
    if (s == "expansion" || s == "扩界" || s == "延深" || s == "扩界延深") return Action::Expansion;
    if (s == "change_mineral" || s == "变更矿种" || s == "变更主矿种") return Action::ChangeMineral;
    throw InputError(fmt::format(
        "申请事项应为 new（新立）、extension（延续）、expansion（扩界/延深）或 change_mineral（变更矿种），实际为“{}” / unknown action",
        s));
}

Severity parse_severity(const std::string& s) {
    if (s == "否决") return Severity::Veto;
    if (s == "警告") return Severity::Warning;
    if (s == "提示") return Severity::Note;
    throw InputError(fmt::format("严重程度应为 否决/警告/提示，实际为“{}” / unknown severity", s));
}

std::string to_string(Kind k) { return k == Kind::Exploration ? "exploration" : "mining"; }
std::string to_string(Action a) {
    switch (a) {
        case Action::New: return "new";
        case Action::Extension: return "extension";
        case Action::Expansion: return "expansion";
        case Action::ChangeMineral: return "change_mineral";
    }
    return "new";
}
std::string to_zh(Kind k) { return k == Kind::Exploration ? "探矿权" : "采矿权"; }
std::string to_zh(Action a) {
    switch (a) {
        case Action::New: return "新立";
        case Action::Extension: return "延续";
        case Action::Expansion: return "扩界/延深";
        case Action::ChangeMineral: return "变更矿种";
    }
    return "新立";
}
std::string to_zh(Result r) {
    switch (r) {
        case Result::Pass: return "通过";
        case Result::Fail: return "不通过";
        case Result::Review: return "需人工核查";
        case Result::NotApplicable: return "不适用";
    }
    return "不适用";
}
std::string to_zh(Severity s) {
    switch (s) {
        case Severity::Veto: return "否决";
        case Severity::Warning: return "警告";
        case Severity::Note: return "提示";
    }
    return "提示";
}
std::string to_zh(Verdict v) {
    switch (v) {
        case Verdict::Conformant: return "符合";
        case Verdict::NonConformant: return "不符合";
        case Verdict::Review: return "需人工核查";
    }
    return "需人工核查";
}

std::string source_format_zh(const std::string& format) {
    static const std::map<std::string, std::string> names = {
        {"mining_right_string", "采矿权坐标串"},      {"exploration_right_string", "探矿权坐标串"},
        {"land_parcel_txt", "国土地块坐标文件（TXT）"}, {"registration_txt", "登记报盘坐标文件（TXT）"},
        {"geojson", "GeoJSON 文件"},                  {"shapefile", "Shapefile 文件"},
        {"geopackage", "GeoPackage 文件"},            {"mineral_rights", "矿业权图层"},
    };
    auto it = names.find(format);
    return it == names.end() ? "坐标文件" : it->second;
}

bool Finding::relies_on_schematic() const {
    if (!schematic.empty()) return true;
    for (const auto& e : evidence)
        if (e.schematic) return true;
    return false;
}

Verdict decide(const std::vector<Finding>& findings, bool input_notes) {
    bool review = input_notes;
    for (const auto& f : findings) {
        if (f.result == Result::Fail && f.severity == Severity::Veto) return Verdict::NonConformant;
        if (f.result == Result::Review) review = true;
        if (f.result == Result::Fail && f.severity == Severity::Warning) review = true;
    }
    return review ? Verdict::Review : Verdict::Conformant;
}

}  // namespace minplan::rules
