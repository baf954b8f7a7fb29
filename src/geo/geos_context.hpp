// Internal: the per-thread GEOS context. Only included by src/geo/*.cpp.
#pragma once

#include <geos_c.h>

#include <string>

namespace minplan::geo::detail {

GEOSContextHandle_t geos();
std::string last_geos_error();
[[noreturn]] void throw_geos(const char* operation);
GEOSGeometry* check(GEOSGeometry* g, const char* operation);
bool check_predicate(char result, const char* operation);

}  // namespace minplan::geo::detail
