// Reads an application from files: the polygon from a coordinate text (mining/exploration right string,
// 国土 TXT, 登记 TXT; via src/formats) or a GeoJSON/Shapefile/GeoPackage (via store::read_application_polygon),
// the attributes from a JSON or TOML sidecar and command-line overrides.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "formats/geojson_limits.hpp"
#include "rules/application.hpp"
#include "rules/model.hpp"

namespace minplan::rules {

struct LoadOptions {
    std::optional<std::string> kind, action;  // override the sidecar
    std::filesystem::path attrs_file;         // .json or .toml; empty = none
    std::vector<std::pair<std::string, std::string>> attrs;  // key=value overrides
    std::string layer;                        // layer inside a GeoPackage
    // The name of the file the application came in (the portal's upload): the project is named after it
    // only when neither the attributes nor the file state a name.
    std::string file_name;
    // Size, vertex and part limits of the application file (docs/review.md §Limits).
    formats::InputLimits limits = formats::kDefaultInputLimits;
};

// A sidecar holds a few dozen short values; anything larger is refused before it is read.
inline constexpr std::uintmax_t kMaxAttributesFileBytes = 1024 * 1024;

Attributes load_attributes(const std::filesystem::path& file);

// The kind of right cannot be told from the input: the caller asks the user to choose (the CLI names its
// --kind option; the web form its 采矿权/探矿权 choice).
class KindUnknownError : public InputError {
public:
    KindUnknownError();
};

// Kind: option, then the sidecar's "kind", then the coordinate format (采矿权/探矿权 string); else a
// KindUnknownError. Action: option, then sidecar, else new.
Application load_application(const std::filesystem::path& file, const LoadOptions& options, const PolygonOptions& polygon);

// The same from bytes already in memory (tests, server); filename_hint picks the format.
Application application_from_bytes(const std::string& bytes, const std::string& filename_hint, const LoadOptions& options,
                                   const PolygonOptions& polygon);

}  // namespace minplan::rules
