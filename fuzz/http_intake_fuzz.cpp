// libFuzzer target: POST /api/intake on an in-process portal (fuzz/portal_support.hpp) as a logged-in
// planner. First byte: bits 0–1 the upload (0 a CSV file part, 1 an XLSX built around worksheet XML parts
// as in intake_xlsx_fuzz, 2 the bytes as an .xlsx file part, 3 the bytes as the whole multipart body),
// bit 2 replace=true. Answers allowed: 200 (imported; the database is replaced), 400, 413, 415, 429 and
// 503; never 500. See fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string>

#include "portal_support.hpp"
#include "xlsx_parts.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace minplan;
    if (size == 0) return 0;
    static fuzz::Portal& portal = fuzz::portal();
    static httplib::Client client = portal.client();
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    const int mode = data[0] & 3;
    const bool replace = data[0] & 4;
    const std::string path = std::string("/api/intake") + (replace ? "?replace=true" : "");
    auto post = [&]() -> httplib::Result {
        if (mode == 3)
            return client.Post(path, portal.planner_headers(), std::string(rest), "multipart/form-data; boundary=fuzzboundary");
        const std::string content = mode == 1 ? fuzz::xlsx_from_parts(rest) : std::string(rest);
        httplib::MultipartFormDataItems items{
            {"file", content, mode == 0 ? "annual.csv" : "annual.xlsx", "application/octet-stream"}};
        return client.Post(path, portal.planner_headers(), items);
    };
    auto res = post();
    auto answer = fuzz::check_answer(res, {200, 400, 413, 415, 429, 503}, "POST " + path + " mode " + std::to_string(mode));
    if (res->status == 200) fuzz::require(answer.contains("imported"), "200 without the imported counts", res->body.substr(0, 500));
    return 0;
}
