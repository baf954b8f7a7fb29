#include "core/value.hpp"

#include <cmath>
#include <cstdio>

namespace minplan {

std::string to_display(const Value& v) {
    struct Visitor {
        std::string operator()(std::monostate) const { return {}; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.10g", d);
            return buf;
        }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(bool b) const { return b ? "是" : "否"; }
    };
    return std::visit(Visitor{}, v);
}

std::optional<double> as_number(const Value& v) {
    if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (auto* d = std::get_if<double>(&v)) return *d;
    return std::nullopt;
}

std::optional<std::string> as_text(const Value& v) {
    if (auto* s = std::get_if<std::string>(&v)) return *s;
    return std::nullopt;
}

const Value& Feature::get(const std::string& field) const {
    static const Value null_value{};
    auto it = attributes.find(field);
    return it == attributes.end() ? null_value : it->second;
}

}  // namespace minplan
