// libFuzzer target: the application attribute sidecar (JSON and the TOML subset) and the key=value
// overrides of the command line and of /api/check's query. See fuzz/README.md.
// Invariants: only InputError escapes; what is accepted is a flat object of known keys, each of its
// declared type, numbers finite and inside their domain, text valid UTF-8 (it is written out as JSON).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "core/text.hpp"
#include "formats/text_encoding.hpp"
#include "fuzz_support.hpp"
#include "rules/model.hpp"

namespace {

using minplan::fuzz::require;
using namespace minplan::rules;

void check(const Attributes& a) {
    const nlohmann::json& j = a.json();
    require(j.is_object(), "attributes not an object");
    std::string dumped;
    try {
        dumped = j.dump();  // what report_to_json and the saved review do with them
    } catch (const nlohmann::json::exception& e) {
        require(false, "accepted attributes cannot be written as JSON", e.what());
    }
    require(dumped.size() < 4u << 20, "attributes larger than their input could hold");
    for (const auto& [key, v] : j.items()) {
        const AttributeDef* def = nullptr;
        for (const auto& d : attribute_defs())
            if (key == d.key) def = &d;
        require(def != nullptr, "unknown key accepted", key);
        if (v.is_null()) continue;
        const std::string type = def->type;
        if (type == "string") {
            require(v.is_string(), "string attribute of another type", key);
            require(minplan::formats::is_valid_utf8(v.get<std::string>()), "string attribute not UTF-8", key);
        } else if (type == "number") {
            require(v.is_number(), "number attribute of another type", key);
            require(def->domain.contains(v.get<double>()), "number outside its domain", key);
            require(a.number(key).has_value(), "number() lost an accepted number", key);
        } else if (type == "boolean") {
            require(v.is_boolean(), "boolean attribute of another type", key);
            require(a.flag(key).has_value(), "flag() lost an accepted boolean", key);
        } else {
            require(v.is_array(), "list attribute not an array", key);
            for (const auto& e : v) require(e.is_string(), "list element not a string", key);
            require(a.list(key).size() == v.size(), "list() lost elements", key);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        check(Attributes::from_json_text(text, "application.attrs.json"));
    } catch (const minplan::InputError&) {
    }
    try {
        check(Attributes::from_toml_text(text, "application.attrs.toml"));
    } catch (const minplan::InputError&) {
    }
    // Overrides, one key=value a line (the CLI's --attr and /api/check's query parameters).
    Attributes overrides;
    std::size_t start = 0;
    for (int n = 0; start < text.size() && n < 64; ++n) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(start, end - start);
        start = end + 1;
        const auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        try {
            overrides.set_from_text(line.substr(0, eq), line.substr(eq + 1));
        } catch (const minplan::InputError&) {
        }
    }
    check(overrides);
    return 0;
}
