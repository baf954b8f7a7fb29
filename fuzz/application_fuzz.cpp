// libFuzzer target: an application's polygon as the review reads it (src/rules/application_loader):
// GeoJSON through the streaming pre-check (formats/geojson_limits) and GDAL's reader
// (store/polygon_reader), the bytes of /api/check (application_from_bytes), and the coordinate texts from a
// file, all against the shipped plan's polygon options (province bounds, city boundary, default zone).
// First byte: bits 0–1 the path (0 .geojson file, 1 GeoJSON bytes as /api/check gets them, 2 .json file,
// 3 .txt file), bit 2 the kind. Invariants: only InputError escapes; an accepted application is a valid,
// non-empty (multi)polygon with a finite positive area and at most the vertex limit.
// See fuzz/README.md.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "formats/geojson_limits.hpp"
#include "fuzz_support.hpp"
#include "rules/application_loader.hpp"
#include "rules/engine.hpp"
#include "store/plan_database.hpp"

namespace {

using namespace minplan;

const rules::ReviewSetup& setup() {
    static const std::unique_ptr<rules::ReviewSetup> s = [] {
        auto db = store::open_database(fuzz::shared_plan().string());
        return rules::ReviewSetup::load(*db->snapshot());
    }();
    return *s;
}

void check(const rules::Application& app, rules::Kind kind) {
    fuzz::require(!app.polygon.is_null() && !app.polygon.is_empty(), "accepted application without a polygon");
    const auto problem = app.polygon.validity_problem();
    fuzz::require(!problem, "accepted application polygon invalid", problem ? problem->reason : "");
    const std::string type = app.polygon.type_name();
    fuzz::require(type == "Polygon" || type == "MultiPolygon", "accepted application not polygonal", type);
    fuzz::require(std::isfinite(app.area_m2) && app.area_m2 > 0, "application area not finite and positive");
    fuzz::require(app.polygon.vertex_count() <= 2 * formats::kDefaultInputLimits.max_vertices, "vertex limit not enforced");
    fuzz::require(app.kind == kind, "kind option not applied");
    const auto env = app.polygon.envelope();
    fuzz::require(std::isfinite(env.min_x) && std::isfinite(env.max_y), "polygon envelope not finite");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    static const rules::PolygonOptions polygon = setup().engine->polygon_options();
    const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    const int path = data[0] & 3;
    const rules::Kind kind = (data[0] & 4) ? rules::Kind::Exploration : rules::Kind::Mining;
    rules::LoadOptions options;
    options.kind = rules::to_string(kind);
    try {
        if (path == 1) {
            check(rules::application_from_bytes(bytes, "application.geojson", options, polygon), kind);
        } else {
            static const char* kNames[] = {"application.geojson", "", "application.json", "application.txt"};
            const auto file = fuzz::scratch_dir() / kNames[path];
            fuzz::write_file(file, bytes);
            check(rules::load_application(file, options, polygon), kind);
        }
    } catch (const InputError&) {
    }
    return 0;
}
