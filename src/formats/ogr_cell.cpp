#include "formats/ogr_cell.hpp"

#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdio>

namespace minplan::formats {

std::string ogr_cell_text(OGRFeature& feature, int index, bool date_only) {
    if (index < 0 || !feature.IsFieldSetAndNotNull(index)) return {};
    const OGRFieldType type = feature.GetFieldDefnRef(index)->GetType();
    if (type != OFTDate && type != OFTDateTime) return feature.GetFieldAsString(index);
    int y = 0, m = 0, d = 0, hh = 0, mm = 0, tz = 0;
    float ss = 0;
    if (!feature.GetFieldAsDateTime(index, &y, &m, &d, &hh, &mm, &ss, &tz)) return feature.GetFieldAsString(index);
    char buf[48];
    const int whole_seconds = static_cast<int>(std::floor(ss));
    if (type == OFTDate || date_only || (hh == 0 && mm == 0 && whole_seconds == 0))
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    else
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, hh, mm, whole_seconds);
    return buf;
}

}  // namespace minplan::formats
