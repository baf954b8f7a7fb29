// Parsers for the corner-coordinate texts reviewers receive (references.md, "Coordinate text formats
// reviewers receive"): the mining-right and exploration-right database strings, the 国土 land-parcel TXT and
// the 登记报盘 registration TXT. They produce a neutral structure with coordinates exactly as the source
// gives them (after packed-DMS decoding); the geo layer transforms and validates topology later, so nothing
// here includes GEOS or PROJ. Malformed input throws minplan::InputError whose message is Chinese first,
// English after " / ", and names the line or field and what was expected. Doubtful but readable input
// (missing zone, X/Y apparently swapped) yields Chinese warnings instead.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/text_encoding.hpp"

namespace minplan::formats {

enum class CoordKind { PlaneGaussKruger, GeographicDms, GeographicDegrees };

// Plane: x = northing (X), y = easting (Y, zone-prefixed when >= 1e7), metres as in the source.
// Geographic: x = longitude, y = latitude, decimal degrees (packed DMS already decoded).
struct Point {
    double x;
    double y;
};

struct Ring {
    std::vector<Point> points;  // always closed: front() == back()
    bool hole = false;
    std::optional<double> top_elevation, bottom_elevation;
    std::string note;
    int source_line = 0;  // 1-based line where the ring starts (strings: line of its 点数 field)
};

// One 地块 (land TXT) or one right (strings, registration TXT).
struct ParsedParcel {
    std::string name;
    std::vector<Ring> rings;
    std::string code;                    // land TXT 地块编号; empty elsewhere
    std::optional<double> declared_area;  // land TXT 地块面积 as written (公顷); not checked here
};

struct ParsedInput {
    std::string format;  // "mining_right_string", "exploration_right_string", "land_parcel_txt", "registration_txt"
    CoordKind kind = CoordKind::PlaneGaussKruger;
    std::optional<int> gk_zone;     // header 带号, else the 2-digit prefix of Y
    std::optional<int> zone_width;  // 3 or 6: header 几度分带, else implied by the zone number
    std::string crs_name;           // header 坐标系 / 坐标系统 text, e.g. "2000国家大地坐标系"
    std::vector<ParsedParcel> parcels;
    std::vector<std::string> warnings;             // Chinese, each reported once per input
    std::map<std::string, std::string> attributes;  // header key=value pairs as written
};

// Inputs larger than this many points in total are refused (a registration has < 1,000).
inline constexpr std::size_t kMaxPoints = 100000;

// 圈数, then per ring 点数, 点号,X,Y × 点数, 上标高,下标高,说明,标志 (1 area, -1 deducted area). Plane
// coordinates or packed DMS (113.1212 = 113°12′12″), decided from the magnitude of the first point.
ParsedInput parse_mining_right_string(std::string_view text);

// 圈数, then per ring 点数, packed-DMS longitude,latitude × 点数, then three items whose first is the
// flag (-1 hole, 0 or 1 main area); the other two are kept verbatim in Ring::note.
ParsedInput parse_exploration_right_string(std::string_view text);

// [属性描述] key=value lines, then [地块坐标]: per parcel "点数,面积,编号,名称,面,...,@" followed by
// "点号,圈号,X,Y" lines (圈号 1 = shell, > 1 = holes). GBK or UTF-8.
ParsedInput parse_land_parcel_txt(std::string_view bytes);

// [登记项目] key=value lines; XYnnn=点号,X,Y points, each ring ended by XYnnn=标高,上标高,下标高,,标志.
// GBK or UTF-8.
ParsedInput parse_registration_txt(std::string_view bytes);

// Sniffs the format from section headers, then the file name (采矿/探矿, mining/exploration), then by
// trying both string grammars.
ParsedInput parse_auto(std::string_view bytes, std::string_view filename_hint = {});

// 113.1212 -> 113 + 12/60 + 12/3600. Negative values keep their sign. Throws InputError when minutes or
// seconds are >= 60 or the value is not finite or beyond ±360.
double dms_packed_to_degrees(double packed);

}  // namespace minplan::formats
