// The green-mine register as a map layer (绿色矿山名录图层, issue 14): the register has no geometry of its
// own, so each mine is placed by joining it to the plan's mineral-rights layer by licence number
// (采矿许可证号 → the right's polygon), else by the point the register carries (经度/纬度), else listed as
// 未落图 with the reason — never an invented position. One service for `minplan geoenv greenmap` and
// GET /api/geoenv?view=greenmap.
#pragma once

#include <nlohmann/json.hpp>

#include "services/geoenv/register.hpp"

namespace minplan::services::geoenv {

struct GreenMinePlace {
    RegisterState state;
    std::string placed_by;  // rights (by licence) / register (the register's lon/lat) / "" (未落图)
    std::string right_ids;  // the rights joined ("；"-separated), when placed by licence
    std::string geojson;    // CGCS2000 lon/lat geometry; empty when not placed
    std::string reason_zh;  // why it is not on the map (or why the licence did not join)
};

struct GreenMineMap {
    std::string date;
    std::vector<GreenMinePlace> placed, unplaced;
};

// Every mine of the register with an event on or before `date`, in its state then.
GreenMineMap green_mine_map(const Data& d, const std::string& date);

// A GeoJSON FeatureCollection of the placed mines (properties: mine_name, mine_id, licence_no, state, level,
// since, listed, placed_by, right_ids) with "date", "unplaced" (the same properties and reason_zh) and
// "unplaced_count" alongside.
nlohmann::json to_geojson(const GreenMineMap& m);

}  // namespace minplan::services::geoenv
