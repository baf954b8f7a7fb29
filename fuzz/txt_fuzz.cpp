// libFuzzer target: land-parcel and registration TXT, encoding detection and format sniffing.
// See fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "formats/coordinate_input.hpp"
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace minplan::formats;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        const std::string text = to_utf8(bytes);
        fuzz::require(is_valid_utf8(text));
    } catch (const minplan::InputError&) {
    }
    try {
        fuzz::check_parsed(parse_land_parcel_txt(bytes));
    } catch (const minplan::InputError&) {
    }
    try {
        fuzz::check_parsed(parse_registration_txt(bytes));
    } catch (const minplan::InputError&) {
    }
    try {
        fuzz::check_parsed(parse_auto(bytes, "upload.txt"));
    } catch (const minplan::InputError&) {
    }
    return 0;
}
