// The fictional geo-environment set (tests/data/geoenv/) loaded into the fictional county plan through the real
// import, shared by the geo-environment tests. Areas of lon/lat boxes in closed form (box_ha).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../plan/plan_fixture.hpp"
#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"
#include "plan/builder.hpp"
#include "server/api.hpp"
#include "services/geoenv/check_import.hpp"
#include "services/geoenv/indicators.hpp"
#include "services/geoenv/register.hpp"
#include "services/geoenv/views.hpp"
#include "services/monitoring.hpp"
#include "store/exchange.hpp"
#include "store/plan_database.hpp"


namespace minplan {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;
namespace ge = services::geoenv;

fs::path data_dir() { return testing::test_data_dir() / "geoenv"; }

// Area in hectares of the box [lon1, lon2] × [lat1, lat2] on the CGCS2000 ellipsoid:
// A = b²/2 · Δλ · [q(φ)] from φ1 to φ2, q(φ) = sinφ/(1 − e² sin²φ) + ln((1 + e sinφ)/(1 − e sinφ))/(2e).
[[maybe_unused]] double box_ha(double lon1, double lat1, double lon2, double lat2) {
    const double a = 6378137.0, f = 1 / 298.257222101, e2 = f * (2 - f), e = std::sqrt(e2);
    auto q = [&](double lat_deg) {
        const double s = std::sin(lat_deg * M_PI / 180);
        return s / (1 - e2 * s * s) + std::log((1 + e * s) / (1 - e * s)) / (2 * e);
    };
    const double b2 = a * a * (1 - e2);
    return b2 / 2 * ((lon2 - lon1) * M_PI / 180) * (q(lat2) - q(lat1)) / 1e4;
}

// A CSV of tests/data/geoenv (no quoted cells) as one XLSX sheet, header row first, every cell text.
void csv_to_xlsx(const fs::path& csv, const fs::path& xlsx, const std::string& sheet) {
    std::ifstream in(csv);
    std::string line;
    TableView t;
    t.sheet_name = sheet;
    bool header = true;
    while (std::getline(in, line)) {
        std::vector<Cell> row;
        std::string cell;
        for (char c : line + ",") {
            if (c == ',') {
                if (header) t.headers.push_back(cell);
                else row.push_back(Cell::of(cell));
                cell.clear();
            } else {
                cell += c;
            }
        }
        if (!header) t.rows.push_back(row);
        header = false;
    }
    formats::write_xlsx(xlsx, {t});
}

class GeoenvTest : public ::testing::Test {
protected:
    void SetUp() override {
        // The fictional county plan with zones, the geo-environment settings and indicators added.
        const fs::path plan = dir / "plan";
        fs::copy(testing::fictional_plan_dir(), plan, fs::copy_options::recursive);
        fs::copy_file(data_dir() / "restoration_zones.geojson", plan / "features" / "restoration_zones.geojson");
        auto edit = [](const fs::path& p, const std::function<void(nlohmann::json&)>& f) {
            auto j = nlohmann::json::parse(testing::read_bytes(p));
            f(j);
            std::ofstream(p) << j.dump(1);
        };
        edit(plan / "plan.json", [](auto& j) { j["tables"]["restoration_zones"] = "features/restoration_zones.geojson"; });
        edit(plan / "rules.json", [this](auto& j) {
            j["settings"]["geoenv"] = nlohmann::json::parse(testing::read_bytes(data_dir() / "settings.json"));
            adjust_settings(j["settings"]["geoenv"]);
        });
        edit(plan / "indicators.json", [](auto& j) {
            for (const auto& i : nlohmann::json::parse(testing::read_bytes(data_dir() / "indicators.json"))) j["indicators"].push_back(i);
        });
        plan::build_plan({plan, {}, db_path, {}});
        db = store::open_database(db_path.string());
    }

    virtual void adjust_settings(nlohmann::json&) {}  // a test's own settings.geoenv

    void import(const std::string& layer, const fs::path& file, const std::string& sheet = {}, bool append = false) {
        store::ImportOptions o;
        o.source_layer = sheet;
        o.append = append;
        o.quality_check = [](const store::PlanStore&, const TableSchema& t, bool app) { return ge::import_check(t, app, nullptr); };
        store::import_layer(*db, layer, {file}, o);
    }

    void import_all() {
        import(ge::kSites, data_dir() / "sites.geojson");
        csv_to_xlsx(data_dir() / "projects.csv", dir / "projects.xlsx", "治理工程");
        import(ge::kProjects, dir / "projects.xlsx", "治理工程");
        csv_to_xlsx(data_dir() / "project_years.csv", dir / "years.xlsx", "治理工程年度进度");
        import(ge::kProjectYears, dir / "years.xlsx", "治理工程年度进度");
        import(ge::kCampaigns, data_dir() / "campaigns.geojson");
        import(ge::kFindings, data_dir() / "findings.geojson");
        csv_to_xlsx(data_dir() / "register.csv", dir / "register.xlsx", "绿色矿山名录");
        import(ge::kRegister, dir / "register.xlsx", "绿色矿山名录");
    }

    std::size_t count(const std::string& layer) { return db->snapshot()->read(layer).size(); }

    ge::Data data() { return ge::load(*db->snapshot()); }

    // A one-sheet workbook from CSV text (header line first).
    fs::path workbook(const std::string& name, const std::string& sheet, const std::string& csv) {
        fs::path c = dir / (name + ".csv"), x = dir / (name + ".xlsx");
        std::ofstream(c) << csv;
        csv_to_xlsx(c, x, sheet);
        return x;
    }

    // The problems of an import that must fail, joined; the layer keeps `before` rows.
    std::string refused(const std::string& layer, const fs::path& file, const std::string& sheet, bool append = false) {
        const std::size_t before = count(layer);
        try {
            import(layer, file, sheet, append);
        } catch (const InputError& e) {
            EXPECT_EQ(count(layer), before) << "nothing may be written";
            return e.what();
        }
        ADD_FAILURE() << "the import of " << file << " was accepted";
        return {};
    }

    TempDir dir;
    fs::path db_path = dir / "plan.gpkg";
    std::shared_ptr<store::PlanDatabase> db;
};

}  // namespace
}  // namespace minplan
