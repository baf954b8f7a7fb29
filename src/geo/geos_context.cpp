#include "geo/geos_context.hpp"

#include <cstdarg>
#include <cstdio>

#include "core/error.hpp"

namespace minplan::geo::detail {
namespace {

thread_local std::string t_last_error;

void on_error(const char* fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    t_last_error = buf;
}

void on_notice(const char*, ...) {}

struct Context {
    GEOSContextHandle_t handle;
    Context() : handle(GEOS_init_r()) {
        GEOSContext_setErrorHandler_r(handle, reinterpret_cast<GEOSMessageHandler>(on_error));
        GEOSContext_setNoticeHandler_r(handle, reinterpret_cast<GEOSMessageHandler>(on_notice));
    }
    ~Context() { GEOS_finish_r(handle); }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
};

}  // namespace

GEOSContextHandle_t geos() {
    thread_local Context ctx;
    return ctx.handle;
}

std::string last_geos_error() { return t_last_error; }

void throw_geos(const char* operation) {
    throw InternalError(std::string("GEOS ") + operation + " failed: " + t_last_error);
}

GEOSGeometry* check(GEOSGeometry* g, const char* operation) {
    if (!g) throw_geos(operation);
    return g;
}

bool check_predicate(char result, const char* operation) {
    if (result == 2) throw_geos(operation);
    return result == 1;
}

}  // namespace minplan::geo::detail
