// GpkgStore::physical_columns: the declared SQLite column types of a layer's table, as GDAL wrote them
// (GeoPackage 1.3 §1.1.1.1.3: TEXT, INTEGER/MEDIUMINT/SMALLINT/TINYINT, REAL/FLOAT/DOUBLE, DATE, DATETIME,
// BOOLEAN, BLOB), for the quality check of field types.
#include <algorithm>
#include <cctype>

#include "store/gpkg_store.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::store {

namespace {

std::optional<FieldType> gpkg_type(std::string t) {
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (auto p = t.find('('); p != std::string::npos) t.resize(p);  // TEXT(254)
    if (t == "TEXT") return FieldType::String;
    if (t == "INTEGER" || t == "MEDIUMINT" || t == "SMALLINT" || t == "TINYINT" || t == "INT") return FieldType::Integer;
    if (t == "REAL" || t == "FLOAT" || t == "DOUBLE") return FieldType::Real;
    if (t == "DATE" || t == "DATETIME") return FieldType::Date;
    if (t == "BOOLEAN") return FieldType::Boolean;
    return std::nullopt;
}

}  // namespace

std::optional<std::vector<PhysicalColumn>> GpkgStore::physical_columns(const std::string& layer) const {
    const TableSchema& s = schema(layer);
    std::lock_guard lock(history_mutex_);  // pin_ is shared by the store's readers
    std::string geometry;
    if (pin_->table_exists("gpkg_geometry_columns")) {
        auto g = pin_->prepare("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?");
        g.bind(1, s.code);
        if (g.step()) geometry = g.text(0);
    }
    std::vector<PhysicalColumn> out;
    auto st = pin_->prepare("SELECT name, type, pk FROM pragma_table_info(?)");
    st.bind(1, s.code);
    while (st.step()) {
        if (st.integer(2) != 0 || st.text(0) == geometry) continue;  // the feature id, the geometry
        out.push_back({st.text(0), st.text(1), gpkg_type(st.text(1))});
    }
    return out;
}

}  // namespace minplan::store
