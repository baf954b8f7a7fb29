// The review opinion (审查意见) a bureau files: the report of one review with what makes it an issued
// document — its number, date, reviewer, issuing unit, corner coordinates, overlap tables, conclusion, sketch
// map and signature block. One content model rendered three ways: HTML (the page and the PDF, printed by
// Chromium) and DOCX (pandoc), so the three carry the same elements. Everything a user reads is Chinese:
// layer, attribute and format identifiers are replaced by their Chinese names.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <filesystem>
#include <string>

#include "store/plan_store.hpp"
#include "rules/model.hpp"

namespace minplan::rules {

class PlanIndex;

// From the rule set's settings (rules.json "settings", stored in the plan database).
struct OpinionSettings {
    std::string issuing_unit;    // settings.issuing_unit_zh, e.g. 大同市规划和自然资源局
    std::string number_pattern;  // settings.review_number_pattern, e.g. 大同规审〔{year}〕{seq:04}号
    int gk_zone = 0;             // settings.gk_zone: the zone of the plane coordinates of a geographic input
    static OpinionSettings from(const nlohmann::json& rule_set_settings);
};

// Who issued the opinion and when. A number left empty prints a blank to be filled in by hand (a draft
// from the command line without --number).
struct OpinionInfo {
    std::string number;
    int year = 0;            // the year of the number (Asia/Shanghai)
    std::string date_zh;     // 2026年11月30日 (Asia/Shanghai)
    std::string issued_at;   // 2026-11-30 17:05:12 (Asia/Shanghai)
    std::string reviewer, reviewer_role;
    OpinionSettings settings;
};

// "大同规审〔{year}〕{seq:04}号" with year 2026, seq 1 -> 大同规审〔2026〕0001号. {seq} without a width prints
// the plain number. InputError when the pattern has no {seq}.
std::string format_review_number(const std::string& pattern, int year, long long seq);

// China keeps UTC+8 all year (no daylight saving since 1991): Asia/Shanghai is a fixed offset.
struct ShanghaiTime {
    int year, month, day, hour, minute, second;
    std::string date_zh() const;  // 2026年11月30日
    std::string text() const;     // 2026-11-30 17:05:12
};
ShanghaiTime shanghai_time(std::chrono::system_clock::time_point t);
// "2026-11-30T09:05:12Z" (the stored UTC form) -> Shanghai; nullopt when not in that form.
std::optional<ShanghaiTime> shanghai_time(const std::string& utc_iso8601);
// An OpinionInfo dated now.
OpinionInfo opinion_info_now(const OpinionSettings& settings, const std::string& reviewer, const std::string& role);

// Adds the plan features around the application to the sketch map (blocks, zones, control areas, rights
// within a window a few times the application's size), marked context, and the Chinese names of every layer
// the report mentions. Call with the index the report was checked against.
void add_map_context(Report& r, const PlanIndex& index, const store::PlanStore& reader, std::size_t max_features = 80);

// The opinion as a standalone page (no scripts, inline SVG): the portal's download and the PDF's source.
std::string opinion_html(const Report& r, const OpinionInfo& info);
// The same content as a Word document, written by pandoc with the map as a PNG (rsvg-convert). Throws
// ToolMissing (rules/external_tool.hpp) when pandoc or rsvg-convert is not installed, IoError when either
// fails. The portal converts the opinion page it saved, so the DOCX is the opinion as issued.
void write_opinion_docx(const Report& r, const OpinionInfo& info, const std::filesystem::path& out);
void opinion_html_to_docx(const std::string& opinion_page, const std::filesystem::path& out);

// The opinion's identity as kept in the report JSON ("opinion": number, date, reviewer ...).
nlohmann::json opinion_to_json(const OpinionInfo& info);

}  // namespace minplan::rules
