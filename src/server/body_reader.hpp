// Request bodies read through httplib's content reader, so that a route's limit is enforced while the body
// streams in (a chunked body has no Content-Length to refuse it by) and a caller without the route's role
// is refused before any byte of the body is kept. Without it httplib reads the whole body, up to the
// largest limit of any route, before a handler can say 413 or 401: ten such uploads at once raised the
// server from 193 to 464 MB (issue 11).
#pragma once

#include <httplib.h>

#include <cstddef>
#include <functional>

namespace minplan::server {

struct BodyPolicy {
    std::size_t max_bytes = 1 << 20;
    // Called before the body is read; throws HttpError (401/403) to refuse the request.
    std::function<void(const httplib::Request&)> admit;
};

// After a refusal the rest of the body is read and dropped up to this many bytes before the connection is
// closed: closing a socket with unread data makes the kernel reset it, and the client then often loses the
// answer (seen with 413s answered from Content-Length before the body was read).
inline constexpr std::size_t kDrainBytes = 1 << 20;

// What a body-reading route hands to its handler: a copy of the request with `body` (or, for
// multipart/form-data, `files`) filled in.
using BodyHandler = std::function<void(const httplib::Request&, httplib::Response&)>;
// `refuse` answers an HttpError thrown while reading (the server's guarded()).
using Refuse = std::function<void(const httplib::Request&, httplib::Response&, std::exception_ptr)>;

httplib::Server::HandlerWithContentReader read_body(BodyPolicy policy, BodyHandler handler, Refuse refuse);

}  // namespace minplan::server
