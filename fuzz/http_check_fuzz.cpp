// libFuzzer target: POST /api/check on an in-process portal (fuzz/portal_support.hpp), anonymous (a
// self-check: nothing is saved). First byte: the Content-Type; then the query string up to the first
// newline (kind, action, format, attributes), then the body. Answers allowed: 200 (a report, or the HTML
// opinion with format=html), 400, 413, 415, 429 and 503; never 500. See fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string>

#include "portal_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace minplan;
    if (size == 0) return 0;
    static const char* kTypes[] = {"application/json",          "application/geo+json", "text/plain",
                                   "text/plain; charset=utf-8", "text/plain; charset=gbk", "application/x-www-form-urlencoded",
                                   "multipart/form-data; boundary=x", "application/octet-stream"};
    static fuzz::Portal& portal = fuzz::portal();
    static httplib::Client client = portal.client();
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    const auto nl = rest.find('\n');
    const std::string query = nl == std::string_view::npos ? "" : fuzz::as_query(rest.substr(0, std::min<std::size_t>(nl, 1024)));
    const std::string body(nl == std::string_view::npos ? rest : rest.substr(nl + 1));
    const std::string path = "/api/check" + (query.empty() ? "" : "?" + query);
    auto res = client.Post(path, body, kTypes[data[0] % 8]);
    auto answer = fuzz::check_answer(res, {200, 400, 413, 415, 429, 503}, "POST " + path);
    if (res->status == 200 && answer.is_object())
        fuzz::require(answer.contains("verdict") && answer.contains("findings"), "200 without a verdict", res->body.substr(0, 500));
    return 0;
}
