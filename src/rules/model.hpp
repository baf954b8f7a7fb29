// The plan-conformance review (规划符合性审查) model: an application for a mineral right, the findings the
// rules produce about it, and the report that carries the verdict. Findings are values, never exceptions:
// a rule that cannot decide says 需人工核查 and names what it needs. No GDAL here; geometry is geo::Geometry
// in CGCS2000 geographic coordinates (EPSG:4490, lon/lat).
#pragma once

#include <nlohmann/json.hpp>

#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/map_style.hpp"
#include "geo/geometry.hpp"

namespace minplan::rules {

enum class Kind { Exploration, Mining };
enum class Action { New, Extension, Expansion, ChangeMineral };
enum class Result { Pass, Fail, Review, NotApplicable };
enum class Severity { Veto, Warning, Note };
enum class Verdict { Conformant, NonConformant, Review };

Kind parse_kind(const std::string& s);      // exploration/mining or 探矿权/采矿权; InputError otherwise
Action parse_action(const std::string& s);  // new/extension/expansion/change_mineral or 新立/延续/扩界/变更矿种
Severity parse_severity(const std::string& s);  // 否决/警告/提示
std::string to_string(Kind k);               // "exploration"
std::string to_string(Action a);             // "new"
std::string to_zh(Kind k);                   // 探矿权
std::string to_zh(Action a);                 // 新立
std::string to_zh(Result r);                 // 通过/不通过/需人工核查/不适用
std::string to_zh(Severity s);               // 否决/警告/提示
std::string to_zh(Verdict v);                // 符合/不符合/需人工核查
// What a reader calls an input format: mining_right_string -> 采矿权坐标串, land_parcel_txt -> 国土地块坐标文件.
std::string source_format_zh(const std::string& format);

// Attributes of an application, validated against a fixed list of known keys (see attributes.cpp):
// unknown keys and wrong types are InputErrors naming the key. Absent = unknown (never a default).
// A sidecar is a flat object; deeper nesting than this is refused before anything recurses into it
// (100,000 levels overflowed the stack while the error message was written).
inline constexpr int kMaxJsonDepth = 32;

class Attributes {
public:
    Attributes() = default;
    static Attributes from_json(const nlohmann::json& j, const std::string& context);
    static Attributes from_json_text(const std::string& text, const std::string& context);
    static Attributes from_toml_text(const std::string& text, const std::string& context);
    // "key=value" from the command line; value parsed by the key's type.
    void set_from_text(const std::string& key, const std::string& value);
    void merge(const Attributes& other);  // other's values win

    bool has(const std::string& key) const;
    std::optional<std::string> text(const std::string& key) const;
    std::optional<double> number(const std::string& key) const;
    std::optional<bool> flag(const std::string& key) const;
    std::vector<std::string> list(const std::string& key) const;
    const nlohmann::json& json() const { return values_; }

private:
    nlohmann::json values_ = nlohmann::json::object();
};

// Chinese label of an attribute key, e.g. "scale" -> "生产规模"; the key itself when unknown.
std::string attribute_label(const std::string& key);
// The values a number attribute may take: [lo, hi], or (lo, hi] when lo_open. NaN and ±inf never.
struct NumberDomain {
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
    bool lo_open = false;
    bool contains(double v) const;
    std::string text() const;  // "> 0", "≥ 0", "0–100", "> 0 且 ≤ 200"
};
// Every known attribute key with its label, type ("string", "number", "boolean", "list") and, for
// numbers, its domain.
struct AttributeDef {
    const char* key;
    const char* label_zh;
    const char* type;
    NumberDomain domain = {};
};
const std::vector<AttributeDef>& attribute_defs();

struct Application {
    std::string name;           // applicant's project name or the input file name
    std::string source_format;  // mining_right_string, land_parcel_txt, geojson, ...
    Kind kind = Kind::Mining;
    Action action = Action::New;
    geo::Geometry polygon;      // EPSG:4490
    double area_m2 = 0;         // ellipsoidal (CGCS2000), of the polygon with edges straight in the plane
    int source_epsg = 0;        // CRS the coordinates were given in
    // The Gauss–Krüger plane the overlay is computed in: the registered plane of plane input, else the
    // plan's zone (EPSG without zone prefix, x easting / y northing). 0 = no plane (overlay on lon/lat).
    int plane_epsg = 0;
    geo::Geometry plane_polygon;  // in plane_epsg, edges straight in the plane (the registered shape)
    double plane_area_m2 = 0;     // 登记面积: planar area in plane_epsg
    bool plane_decides = false;   // plane input: the plane area decides; geographic input: the ellipsoid
    // Corner points as given (点号, X northing / Y easting in source_epsg, or lon/lat) with lon/lat.
    struct Corner {
        std::string id;      // 点号 as written, else the running number
        int ring = 1;        // 1-based ring number over the whole input
        bool hole = false;
        double x = 0, y = 0;  // as in the source: plane X (northing), Y (easting); geographic: lon, lat
        double lon = 0, lat = 0;
    };
    std::vector<Corner> corners;
    // Heuristic corrections and doubts about the coordinates (swapped X/Y, assumed zone, ...). Any entry
    // here keeps the verdict at best 需人工核查.
    std::vector<std::string> input_notes;
    // Facts about how the input was read that do not cast doubt on it (GeoJSON without a CRS read as
    // CGCS2000, geographic input overlaid in the plan's zone). Shown in the report; the verdict ignores them.
    std::vector<std::string> notes;
    Attributes attrs;
    // Header key=value pairs of the coordinate file as written (国土 TXT [属性描述], 登记 TXT [登记项目]):
    // the opinion takes the project name and applicant from them when the attributes do not give them.
    std::map<std::string, std::string> header;
};

struct Citation {
    std::string clause_id;  // ch4_access_rules clause id (A01–A36) when the clause is there
    std::string section;    // 第四章第四节 ... / 第三章第三节 （三）管控措施
    std::string quote;      // the plan's words
};

// A plan feature a finding relies on.
struct Evidence {
    std::string layer;       // schema id, e.g. mining_blocks
    std::string feature_id;  // block_id, zone_id, ...
    std::string name;
    double overlap_m2 = 0;   // the deciding area (plane for plane input, else ellipsoid)
    double overlap_pct = 0;  // of the application's area (same basis)
    bool schematic = false;  // geometry_source = schematic
    double overlap_plane_m2 = 0;      // in Application::plane_epsg
    double overlap_ellipsoid_m2 = 0;  // CGCS2000 ellipsoid
};

// Plan data of one layer a finding could not rely on because it is schematic (示意几何).
struct SchematicUse {
    std::string layer, layer_zh;
    std::vector<std::string> features;  // "name（id）", the schematic features that mattered (at most a few)
    std::size_t feature_count = 0;      // schematic features of the layer that mattered in total
};

struct Finding {
    std::string rule_id;
    std::string title_zh;
    Result result = Result::NotApplicable;
    Severity severity = Severity::Note;
    std::string message;                      // Chinese, one or two sentences with the numbers
    std::vector<Evidence> evidence;
    std::vector<std::string> missing;         // attribute keys or data the rule needed
    Citation citation;
    nlohmann::json data = nlohmann::json::object();  // rule-specific numbers (caps, headroom, class)
    // Layers whose schematic features kept this finding from a decision (result at best 需人工核查).
    std::vector<SchematicUse> schematic;
    bool relies_on_schematic() const;
};

// The report's summary of schematic data: which findings relied on it, per rule (for the banner).
struct SchematicSummary {
    std::vector<std::string> rule_ids;  // findings that relied on schematic data, in report order
    std::vector<std::string> layers_zh; // the layers involved, each once
    bool any() const { return !rule_ids.empty(); }
};

// A feature drawn on the report's map.
struct MapFeature {
    std::string layer, layer_zh, feature_id, name;
    geo::Geometry geometry;  // EPSG:4490
    bool schematic = false;
    bool context = false;  // drawn for orientation (near the application), not relied on by a finding
};

struct Report {
    std::string plan_id, plan_name_zh, rule_set_id;
    Application application;
    std::vector<Finding> findings;
    Verdict verdict = Verdict::Review;
    std::vector<MapFeature> map_features;
    std::map<std::string, std::string> layer_names_zh;  // layer id -> Chinese name, for what users read
    // The plan's map style (package styles.json) for the sketch map; null: neutral grey.
    std::shared_ptr<const MapStyle> map_style;
    SchematicSummary schematic;
    double engine_ms = 0;
};

// 否决 + 不通过 -> 不符合; otherwise any 需人工核查, any 警告 + 不通过, or any input note -> 需人工核查;
// otherwise 符合 (提示-level failures are listed but do not change the verdict).
Verdict decide(const std::vector<Finding>& findings, bool input_notes);

}  // namespace minplan::rules
