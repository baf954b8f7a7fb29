// Indicators from the geo-environment layers and the green-mine register, for `monitor` and `report`
// (monitor::ExternalMeasure): each returns its value, or 需人工核查 with the reason when the data it needs
// are missing, and the notes that show how it was counted.
//
//   restoration_area        G01 (专栏8 序号30): Σ area of legacy sites (party = settings.geoenv.legacy_party)
//                           restored between the start of the period and the end of the year, in km²
//   geoenv_key_restoration  base + Σ completed area of the key-restoration category in the period (ha)
//   geoenv_key_projects     projects of the key-projects category completed by the end of the year
//   geoenv_coverage         ellipsoidal area (km², CGCS2000) of the union of the year's coverage polygons
//   green_new_mines         T28: new mines listed in the register at the end of the year; mines the
//                           register does not name keep their annual report's status
#pragma once

#include <memory>

#include "core/table_view.hpp"
#include "monitor/evaluate.hpp"
#include "services/geoenv/geoenv.hpp"

namespace minplan::services::geoenv {

std::optional<monitor::MeasureValue> measure(const Data& d, const monitor::IndicatorDef& def, int year,
                                             const monitor::AnnualData& annual);

// The measure function over `d` (kept alive by the function).
monitor::ExternalMeasure external_measures(std::shared_ptr<const Data> d);

// Restoration per 专栏15 zone up to `year`: planned and completed area of the zone's projects, share done.
TableView zone_progress_table(const Data& d, int year);
// Remote-sensing coverage per year against the coverage target (the geoenv_coverage indicator).
TableView coverage_table(const Data& d, int year, const monitor::IndicatorSet& set);
// The green-mine register on 31 December of `year`: one row per mine, its state, level and since when.
TableView register_table(const Data& d, const std::string& date);

}  // namespace minplan::services::geoenv
