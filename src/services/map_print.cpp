#include "services/map_print.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "rules/pdf.hpp"

namespace minplan::services {
namespace {

// Layer ids are snake_case; anything else could not be a layer and must not reach the page's address.
bool plain_id(const std::string& id) {
    if (id.empty()) return false;
    for (char c : id)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

}  // namespace

void validate(const MapPrintOptions& o) {
    if (o.paper != "A4" && o.paper != "A3") throw InputError("纸张应为 A4 或 A3，实际为 \"" + o.paper + "\"");
    if (o.orientation != "landscape" && o.orientation != "portrait")
        throw InputError("方向应为 landscape（横向）或 portrait（纵向），实际为 \"" + o.orientation + "\"");
    for (const auto& l : o.layers)
        if (!plain_id(l)) throw InputError("图层名 \"" + l + "\" 无效：应为图层编号，如 mining_blocks（见 minplan layers）");
}

std::string print_url(const std::string& base, const MapPrintOptions& o) {
    validate(o);
    std::string url = base + "/#/print?paper=" + o.paper + "&orientation=" + o.orientation;
    if (!o.layers.empty()) {
        url += "&layers=";
        for (std::size_t i = 0; i < o.layers.size(); ++i) url += (i ? "," : "") + o.layers[i];
    }
    if (o.bbox) url += fmt::format("&bbox={},{},{},{}", o.bbox->min_x, o.bbox->min_y, o.bbox->max_x, o.bbox->max_y);
    return url;
}

void print_map_pdf(const std::string& base, const MapPrintOptions& o, const std::filesystem::path& pdf) {
    rules::url_to_pdf(print_url(base, o), pdf);
}

}  // namespace minplan::services
