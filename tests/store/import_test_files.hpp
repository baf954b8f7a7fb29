// Test support for imports of a bureau's own files: small GeoJSON files written by the test (squares of
// 0.01° inside Datong, EPSG:4490), and the plan's code tables read with the independent CSV reader.
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "../core/csv_text.hpp"
#include "../plan/plan_fixture.hpp"

namespace minplan::testing {

struct SourceFeature {
    nlohmann::json properties;
    double lon = 113.70, lat = 39.60;  // south-west corner of the 0.01° square
};

inline fs::path write_geojson(const fs::path& file, const std::vector<SourceFeature>& features,
                              const std::string& layer_name = "bureau") {
    nlohmann::json fc = {{"type", "FeatureCollection"},
                         {"name", layer_name},
                         {"crs", {{"type", "name"}, {"properties", {{"name", "urn:ogc:def:crs:EPSG::4490"}}}}},
                         {"features", nlohmann::json::array()}};
    for (const auto& f : features) {
        const double x = f.lon, y = f.lat, d = 0.01;
        fc["features"].push_back({{"type", "Feature"},
                                  {"properties", f.properties},
                                  {"geometry",
                                   {{"type", "Polygon"},
                                    {"coordinates", {{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}}}}});
    }
    std::ofstream(file) << fc.dump();
    return file;
}

// The code of a Chinese label in data/schema/codes/<table>.csv, looked up without minplan's code.
inline std::string code_of_label(const std::string& table, const std::string& label) {
    for (const auto& row : read_csv_text(source_dir() / "data" / "schema" / "codes" / (table + ".csv")).rows)
        if (row.at("label_zh") == label) return row.at("code");
    throw std::runtime_error("no label " + label + " in " + table);
}

inline std::vector<std::string> codes_of(const std::string& table) {
    std::vector<std::string> out;
    for (const auto& row : read_csv_text(source_dir() / "data" / "schema" / "codes" / (table + ".csv")).rows)
        out.push_back(row.at("code"));
    return out;
}

}  // namespace minplan::testing
