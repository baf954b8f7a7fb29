// Who is on the other end of a request. Behind a reverse proxy (a bureau's nginx terminating TLS) every
// request comes from the proxy's address; only a proxy the administrator named is believed about the
// client's address (X-Forwarded-For) and the scheme (X-Forwarded-Proto), so that a client cannot pose as
// another address to escape login throttling or fake its way into the log.
#pragma once

#include <httplib.h>

#include <string>
#include <vector>

namespace minplan::server {

struct ProxyPolicy {
    bool behind_tls = false;                   // the portal is only reached over HTTPS (cookies get Secure)
    std::vector<std::string> trusted_proxies;  // addresses whose X-Forwarded-* headers are believed
};

bool from_trusted_proxy(const httplib::Request& req, const ProxyPolicy& policy);
// The client's address: the last address X-Forwarded-For adds in front of a trusted proxy, else the peer.
std::string client_address(const httplib::Request& req, const ProxyPolicy& policy);
// Whether the browser reached the portal over TLS (cookies must then be Secure).
bool over_tls(const httplib::Request& req, const ProxyPolicy& policy);

}  // namespace minplan::server
