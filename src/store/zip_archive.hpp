// Zip archives through GDAL's CPL zip writer (the same code behind /vsizip/), for downloads that are
// several files, such as a Shapefile (.shp .shx .dbf .prj .cpg). No other zip library is needed.
#pragma once

#include <filesystem>
#include <vector>

namespace minplan::store {

// Writes `files` into a new archive `zip`, each under its file name (no directories). Throws IoError.
void write_zip(const std::filesystem::path& zip, const std::vector<std::filesystem::path>& files);

}  // namespace minplan::store
