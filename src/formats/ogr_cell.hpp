// The text of one field of an OGR feature as minplan's readers expect it. GDAL's own GetFieldAsString
// writes a DATE as "2018/01/01" and a DATETIME as "2018/01/01 08:30:00", which no plan field accepts; here
// they are ISO 8601 ("2018-01-01", "2018-01-01 08:30:00"), the form of the plan's date fields.
#pragma once

#include <string>

class OGRFeature;

namespace minplan::formats {

// Empty for an unset or null field. With `date_only`, a DATETIME gives its day (a licence valid from a
// moment is valid from that day).
std::string ogr_cell_text(OGRFeature& feature, int index, bool date_only = false);

}  // namespace minplan::formats
