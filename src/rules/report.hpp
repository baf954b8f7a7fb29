// Rendering a review report: JSON for machines, and the Chinese review opinion (审查意见) as a standalone
// HTML page with an inline SVG map of the application over the plan features it touches. Schematic plan
// geometry is marked on the map and in the text. PDF is made from the HTML by headless Chromium (cli). The
// issued opinion (number, reviewer, signature block, DOCX) is rules/opinion.hpp; report_to_html is its draft.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "rules/model.hpp"

namespace minplan::rules {

nlohmann::json report_to_json(const Report& r);
// The same document as text, written straight from the report (no tree: building and freeing it was ~14 % of
// a server check), with the members of `extra` (an object: the server's plan_version, review) among the
// report's: json_text(report_to_json(r) merged with extra), byte for byte.
std::string report_json_text(const Report& r, const nlohmann::json& extra = nlohmann::json::object());
std::string report_to_html(const Report& r);
// The SVG map alone (also used by the HTML page); width/height in px.
std::string report_map_svg(const Report& r, int width = 720, int height = 480);
std::string html_escape(const std::string& s);

}  // namespace minplan::rules
