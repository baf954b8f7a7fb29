// libFuzzer target: mining- and exploration-right strings, and the DMS decoder. See fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/error.hpp"
#include "formats/coordinate_input.hpp"
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace minplan::formats;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        fuzz::check_parsed(parse_mining_right_string(text));
    } catch (const minplan::InputError&) {
    }
    try {
        fuzz::check_parsed(parse_exploration_right_string(text));
    } catch (const minplan::InputError&) {
    }
    if (size >= sizeof(double)) {
        double v = 0;
        std::memcpy(&v, data, sizeof v);
        try {
            double d = dms_packed_to_degrees(v);
            fuzz::require(std::fabs(d) <= 361.0);
        } catch (const minplan::InputError&) {
        }
    }
    return 0;
}
