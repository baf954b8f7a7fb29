// Reads a plan's human-readable source files (CSV tables, GeoJSON boundaries) through GDAL and types
// every cell by its schema. Errors name the file, line and field, and what was expected.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/schema.hpp"
#include "core/value.hpp"

namespace minplan::plan {

// Converts one text cell; throws InputError "<file>:<line>: 字段 <name>（<alias>）…".
Value parse_cell(const std::string& text, const FieldDef& field, const std::string& file, int line);

// Rows of a CSV file typed by the schema. Unknown columns and missing required columns are errors.
std::vector<Feature> read_csv_table(const std::filesystem::path& file, const TableSchema& schema);

// Features of a vector file (GeoJSON etc.) with geometry as EPSG:4490 WKB; attributes typed by schema.
std::vector<Feature> read_vector_file(const std::filesystem::path& file, const TableSchema& schema);

}  // namespace minplan::plan
