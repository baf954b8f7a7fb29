// Test fixture for the review rules: builds a small plan GeoPackage from tests/data/rules/plan.json
// (rectangles in Gauss–Krüger zone 38 metres, written in EPSG:4490 through store::GpkgWriter) and loads
// the shipped plan's rule set against it. Built once per test binary.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

#include "../shipped_plan.hpp"
#include "shipped_package.hpp"
#include "core/package.hpp"
#include "core/schema.hpp"
#include "geo/crs.hpp"
#include "rules/application_loader.hpp"
#include "rules/engine.hpp"
#include "store/gpkg_store.hpp"

namespace minplan::rules::testing {

inline std::filesystem::path rules_data() { return std::filesystem::path(MINPLAN_TEST_DATA) / "rules"; }

inline nlohmann::json read_json(const std::filesystem::path& p) {
    std::ifstream in(p);
    return nlohmann::json::parse(in);
}

// A case file's attribute value as the user types it (LoadOptions::attrs): strings as they are, booleans as
// true/false, numbers as JSON writes them.
inline std::string attr_text(const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    return v.dump();
}

// A review case's application options (tests/data/rules/cases/*.json: kind, action, attrs).
inline LoadOptions case_options(const nlohmann::json& c) {
    LoadOptions o;
    o.kind = c.value("kind", "mining");
    if (c.contains("action")) o.action = c["action"].get<std::string>();
    const nlohmann::json attrs = c.value("attrs", nlohmann::json::object());
    for (const auto& [k, v] : attrs.items()) o.attrs.emplace_back(k, attr_text(v));
    return o;
}

// The review cases, in name order.
inline std::vector<std::filesystem::path> case_files() {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(rules_data() / "cases"))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

inline Value to_value(const FieldDef& f, const nlohmann::json& v) {
    if (v.is_null()) return {};
    switch (f.type) {
        case FieldType::Integer: return static_cast<std::int64_t>(v.get<double>());
        case FieldType::Real: return v.get<double>();
        case FieldType::Boolean: return v.get<bool>();
        default: return v.is_string() ? v.get<std::string>() : v.dump();
    }
}

inline std::filesystem::path build_test_plan() {
    const auto plan = read_json(rules_data() / "plan.json");
    const auto dir = std::filesystem::temp_directory_path() / ("minplan-rules-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / "test-plan.gpkg";
    const double e0 = plan["origin"]["e0"], n0 = plan["origin"]["n0"];
    geo::Transformer tf(plan["origin"]["epsg"].get<int>(), geo::kCgcs2000Geographic);
    store::GpkgWriter w(path);
    w.set_metadata("id", "rules-test-plan");
    w.set_metadata("name_zh", "测试规划");
    w.set_metadata("period_start", "2021");
    w.set_metadata("period_end", "2025");
    const auto reg = SchemaRegistry::load(source_dir() / "data" / "schema" / "tables");
    // The shipped plan's rule set and reference tables, as `minplan build` stores them.
    store_shipped_package(w);
    for (const auto& [layer, feats] : plan["layers"].items()) {
        TableSchema schema = reg.find(layer);
        for (const auto& extra : spatial_extra_fields())
            if (!schema.field(extra.name)) schema.fields.push_back(extra);
        std::vector<Feature> out;
        std::int64_t fid = 0;
        for (const auto& f : feats) {
            Feature x;
            x.fid = ++fid;
            if (f.contains("lonlat")) {
                // Given in EPSG:4490 directly (features far from the central meridian, make_cases.py FAR).
                const auto& r = f["lonlat"];
                const double x1 = r[0].get<double>(), y1 = r[1].get<double>(), x2 = r[2].get<double>(), y2 = r[3].get<double>();
                x.wkb = geo::Geometry::polygon({geo::Ring{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}).to_wkb();
            } else {
                const auto& r = f["rect"];
                const double e1 = e0 + r[0].get<double>(), n1 = n0 + r[1].get<double>();
                const double e2 = e0 + r[2].get<double>(), n2 = n0 + r[3].get<double>();
                geo::Ring ring{{e1, n1}, {e2, n1}, {e2, n2}, {e1, n2}, {e1, n1}};
                x.wkb = tf.apply(geo::Geometry::polygon({ring})).to_wkb();
            }
            x.attributes[schema.fields.front().name] = f["id"].get<std::string>();
            for (const auto& [k, v] : f["attrs"].items()) x.attributes[k] = to_value(*schema.field(k), v);
            // Real geometry unless the feature says otherwise (schematic data is tested on the shipped plan,
            // tests/rules/schematic_review_test.cpp).
            x.attributes[kGeometrySourceField] = std::string(f.value("schematic", false) ? kSchematic : "imported");
            out.push_back(std::move(x));
        }
        w.write_layer(schema, out);
    }
    const TableSchema& caps = reg.find("ch4_extraction_caps");
    std::vector<Feature> rows;
    for (const auto& c : plan["caps"]) {
        Feature x;
        x.fid = static_cast<std::int64_t>(rows.size() + 1);
        for (const auto& [k, v] : c.items()) x.attributes[k] = to_value(*caps.field(k), v);
        rows.push_back(std::move(x));
    }
    w.write_layer(caps, rows);
    w.commit();
    return path;
}

// The test plan and the shipped rule set, loaded once.
struct Fixture {
    std::unique_ptr<store::PlanStore> store;
    std::unique_ptr<ReviewSetup> setup;
    std::filesystem::path path;
    Fixture() = default;
    Fixture(Fixture&&) = default;
    ~Fixture() {
        setup.reset();
        store.reset();
        std::error_code ec;
        if (!path.empty()) std::filesystem::remove_all(path.parent_path(), ec);
    }
    static Fixture& get() {
        static Fixture f = [] {
            Fixture x;
            x.path = build_test_plan();
            x.store = store::open_store(x.path.string());
            x.setup = ReviewSetup::load(*x.store);
            return x;
        }();
        return f;
    }
};

}  // namespace minplan::rules::testing
