// The quality-check report in every form the receiving office uses: text for the terminal, JSON (the CLI's
// --json and the portal), HTML, XLSX sheets (findings and summary) and GeoJSON of the error locations for
// QGIS. All render one QcReport (docs/qc.md describes the fields).
#pragma once

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <string>
#include <vector>

#include "core/table_view.hpp"
#include "services/qc/qc.hpp"

namespace minplan::services::qc {

nlohmann::json to_json(const QcReport& r);
void write_text(const QcReport& r, std::ostream& out);
std::string to_html(const QcReport& r);
std::vector<TableView> to_tables(const QcReport& r);  // for formats::write_xlsx: 汇总, 问题清单
// A FeatureCollection with one point per finding that has a location (properties: the finding), and
// its extent as bbox.
nlohmann::json locations_geojson(const QcReport& r);

}  // namespace minplan::services::qc
