#include "server/body_reader.hpp"

#include <cstdint>
#include <string>

#include "server/http_error.hpp"

namespace minplan::server {
namespace {

std::string too_large(std::size_t max_bytes) {
    return "请求体过大：上限 " + std::to_string(max_bytes / 1024) + " KiB，请缩小上传内容（服务器设置 max_body_bytes）";
}

// Keeps bytes until the limit, then only counts them; asks httplib to stop once the drain allowance is
// used up as well. A body of declared length is drained to its end, as httplib itself does for bodies over
// its payload limit (its length is bounded by that limit).
class Sink {
public:
    Sink(std::size_t limit, bool keep, bool declared)
        : limit_(limit), allowance_(declared ? SIZE_MAX : (keep ? limit + kDrainBytes : kDrainBytes)), keep_(keep) {}
    bool take(std::string& into, const char* data, std::size_t n) {
        seen_ += n;
        if (keep_ && seen_ <= limit_) into.append(data, n);
        return seen_ <= allowance_;
    }
    bool over() const { return seen_ > limit_; }

private:
    std::size_t limit_, allowance_, seen_ = 0;
    bool keep_;
};

std::size_t declared_length(const httplib::Request& req) {
    const std::string v = req.get_header_value("Content-Length");
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) return 0;
    return v.size() > 18 ? SIZE_MAX : std::stoull(v);
}

}  // namespace

httplib::Server::HandlerWithContentReader read_body(BodyPolicy policy, BodyHandler handler, Refuse refuse) {
    return [policy = std::move(policy), handler = std::move(handler), refuse = std::move(refuse)](
               const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        std::exception_ptr refused;
        try {
            if (policy.admit) policy.admit(req);
            // Declared too large: decided before any byte is read (the bytes are then drained, not kept).
            if (declared_length(req) > policy.max_bytes) throw HttpError(413, too_large(policy.max_bytes));
        } catch (const HttpError&) {
            refused = std::current_exception();
        }
        httplib::Request full = req;
        Sink sink(policy.max_bytes, !refused, !req.get_header_value("Content-Length").empty());
        if (req.is_multipart_form_data()) {
            std::string* current = nullptr;
            reader(
                [&](const httplib::MultipartFormData& part) {
                    if (refused) return false;  // the parts of a refused upload are not even looked at
                    current = &full.files.emplace(part.name, part)->second.content;
                    return true;
                },
                [&](const char* data, std::size_t n) {
                    std::string ignored;
                    return sink.take(current ? *current : ignored, data, n);
                });
        } else {
            reader([&](const char* data, std::size_t n) { return sink.take(full.body, data, n); });
        }
        if (!refused && sink.over()) refused = std::make_exception_ptr(HttpError(413, too_large(policy.max_bytes)));
        if (refused) {
            res.set_header("Connection", "close");
            refuse(req, res, refused);
            return;
        }
        handler(full, res);
    };
}

}  // namespace minplan::server
