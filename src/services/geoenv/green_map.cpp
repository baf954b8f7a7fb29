#include "services/geoenv/green_map.hpp"

#include "geo/geometry.hpp"

namespace minplan::services::geoenv {
namespace {

using nlohmann::json;

std::string joined(const std::vector<RightExtent>& rights) {
    std::string out;
    for (const auto& r : rights) out += (out.empty() ? "" : "；") + r.right_id;
    return out;
}

// The union of a licence's parts (one right may be stored as several polygons).
std::string union_geojson(const std::vector<RightExtent>& rights) {
    std::vector<geo::Geometry> parts;
    for (const auto& r : rights) parts.push_back(geo::Geometry::from_wkb(r.wkb));
    std::vector<const geo::Geometry*> ptrs;
    for (const auto& g : parts) ptrs.push_back(&g);
    return geo::Geometry::union_of(ptrs).to_geojson();
}

bool on_earth(const RegisterState& s) {
    return s.lon && s.lat && *s.lon >= -180 && *s.lon <= 180 && *s.lat >= -90 && *s.lat <= 90;
}

}  // namespace

GreenMineMap green_mine_map(const Data& d, const std::string& date) {
    GreenMineMap m{date, {}, {}};
    for (const auto& st : register_as_of(d, date)) {
        GreenMinePlace p{st, "", "", "", ""};
        auto it = st.licence_no.empty() ? d.rights_by_licence.end() : d.rights_by_licence.find(st.licence_no);
        if (it != d.rights_by_licence.end()) {
            p.placed_by = "rights";
            p.right_ids = joined(it->second);
            p.geojson = union_geojson(it->second);
        } else {
            if (!st.licence_no.empty()) p.reason_zh = "采矿许可证号 " + st.licence_no + " 不在采矿权图层（mineral_rights）中";
            if (on_earth(st)) {
                p.placed_by = "register";
                p.geojson = json{{"type", "Point"}, {"coordinates", {*st.lon, *st.lat}}}.dump();
            } else if (p.reason_zh.empty()) {
                p.reason_zh = "名录未填采矿许可证号，也未填经纬度";
            }
        }
        (p.geojson.empty() ? m.unplaced : m.placed).push_back(std::move(p));
    }
    return m;
}

json to_geojson(const GreenMineMap& m) {
    auto props = [](const GreenMinePlace& p) {
        const auto& s = p.state;
        json j{{"mine_name", s.mine_name}, {"mine_id", s.mine_id}, {"licence_no", s.licence_no}, {"state", s.state},
               {"level", s.level}, {"since", s.since}, {"listed", s.listed}, {"placed_by", p.placed_by},
               {"right_ids", p.right_ids}};
        if (!p.reason_zh.empty()) j["reason_zh"] = p.reason_zh;
        return j;
    };
    json features = json::array(), unplaced = json::array();
    for (const auto& p : m.placed)
        features.push_back({{"type", "Feature"}, {"geometry", json::parse(p.geojson)}, {"properties", props(p)}});
    for (const auto& p : m.unplaced) unplaced.push_back(props(p));
    return {{"type", "FeatureCollection"}, {"date", m.date}, {"features", features},
            {"unplaced", unplaced}, {"unplaced_count", m.unplaced.size()}};
}

}  // namespace minplan::services::geoenv
