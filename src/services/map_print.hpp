// The printed thematic map (专题图): the portal's print view (#/print) — the web map's own layers, colours,
// legend, scale bar and north arrow on an A4/A3 sheet with title, CRS, date, source and schematic note —
// printed to PDF by headless Chromium (rules::url_to_pdf, the opinions' path). One service for
// `GET /api/map.pdf` (the portal prints its own page) and `minplan map` (which serves the plan on a private
// loopback port for the print).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "store/plan_store.hpp"

namespace minplan::services {

struct MapPrintOptions {
    std::vector<std::string> layers;  // layer ids to show (the boundaries always); empty = the map's default
    std::optional<store::BBox> bbox;  // EPSG:4490; none = the whole plan area
    std::string paper = "A4";         // A4 or A3
    std::string orientation = "landscape";  // landscape or portrait
};

// InputError naming the bad value (paper, orientation, an empty layer name).
void validate(const MapPrintOptions& o);
// "<base>/#/print?paper=…&orientation=…&layers=…&bbox=…" (base: "http://127.0.0.1:8080").
std::string print_url(const std::string& base, const MapPrintOptions& o);
// Prints the print view of the portal at `base` into `pdf`. rules::ChromiumMissing / IoError on failure.
void print_map_pdf(const std::string& base, const MapPrintOptions& o, const std::filesystem::path& pdf);

}  // namespace minplan::services
