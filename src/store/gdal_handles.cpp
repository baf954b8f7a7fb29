#include "store/gdal_handles.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>

#include <mutex>

namespace minplan::store::detail {

void ensure_gdal_registered() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(CPLQuietErrorHandler);
    });
}

std::string last_gdal_error() {
    const char* msg = CPLGetLastErrorMsg();
    return msg ? msg : "";
}

OGRSpatialReference cgcs2000() {
    OGRSpatialReference srs;
    srs.importFromEPSG(4490);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

}  // namespace minplan::store::detail
