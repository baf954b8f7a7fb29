// Internals of the review opinion: what users read instead of identifiers, and the parts of the opinion
// computed once for every rendering (HTML page, PDF, DOCX).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "rules/model.hpp"
#include "rules/opinion.hpp"

namespace minplan::rules::detail {

// Chinese name of a layer id (the report's names, else the layer id's label table, else "相关图层").
std::string layer_zh(const Report& r, const std::string& layer);
// 采矿权坐标串, 国土资源部标准坐标文件（TXT） ... for the source formats.
std::string source_format_zh(const std::string& format);
// 2000国家大地坐标系 高斯-克吕格投影 3度带 第38带（坐标带带号） ...
std::string crs_zh(int epsg);
// Clause section without the drafting markers ("[seed L1965]").
std::string clean_section(const std::string& section);
// Replaces identifiers (attribute keys, layer ids, format names) that a text may carry by Chinese names.
std::string user_text(const Report& r, const std::string& text);
// A `missing` entry of a finding in Chinese ("main_mineral" -> 主矿种; "mine_size_classes:萤石" -> ...).
std::string missing_zh(const Report& r, const std::string& item);
// 113°12′12.34″
std::string dms(double degrees);

struct CornerRow {
    int ring = 0;          // 1-based
    bool hole = false;
    std::string point;     // 点号 as written, else the running number within the ring
    double x = 0, y = 0;   // plane X (northing), Y (easting, with the zone prefix when the source had one)
    double lon = 0, lat = 0;
};
struct Corners {
    std::string plane_crs_zh;   // the CRS of X/Y
    bool plane_is_source = true;  // false: the input was geographic and X/Y are in the plan's zone
    std::vector<CornerRow> rows;
};
Corners corner_table(const Report& r, int default_gk_zone);

struct OverlapRow {
    std::string feature_id, name;
    double m2 = 0, pct = 0;               // the deciding area and its share of the application
    double plane_m2 = 0, ellipsoid_m2 = 0;  // both, when the report has them
    bool schematic = false;
};
// One table per layer: every feature a finding reports an overlap with (largest overlap kept).
std::vector<std::pair<std::string, std::vector<OverlapRow>>> overlap_tables(const Report& r);

struct ReviewItem {
    std::string title, what_to_verify;
};
struct Conclusion {
    std::string summary;                 // one paragraph
    std::vector<std::string> deciding;   // the findings that decided the verdict, as sentences
    std::vector<ReviewItem> to_verify;   // every 需人工核查 item with what the reviewer must verify
};
Conclusion conclusion(const Report& r);

bool relies_on_schematic(const Report& r);
std::string result_class(Result r);

}  // namespace minplan::rules::detail
