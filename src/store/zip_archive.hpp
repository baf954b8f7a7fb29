// Zip archives through GDAL's CPL zip writer (the same code behind /vsizip/), for downloads that are
// several files, such as a Shapefile (.shp .shx .dbf .prj .cpg). No other zip library is needed.
#pragma once

#include <filesystem>
#include <vector>

namespace minplan::store {

// Writes `files` into a new archive `zip`, each under its file name (no directories). Throws IoError.
void write_zip(const std::filesystem::path& zip, const std::vector<std::filesystem::path>& files);

// Extracts every file at the top of `zip` into the existing directory `dir` (through GDAL's /vsizip/);
// returns the extracted paths. Entries in sub-folders or with a path in their name are refused
// (InputError), as is an archive GDAL cannot read (InputError naming the file).
std::vector<std::filesystem::path> extract_zip(const std::filesystem::path& zip, const std::filesystem::path& dir);

}  // namespace minplan::store
