#include "server/client.hpp"

#include <algorithm>

namespace minplan::server {
namespace {

std::string trim(std::string s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

}  // namespace

bool from_trusted_proxy(const httplib::Request& req, const ProxyPolicy& policy) {
    return std::find(policy.trusted_proxies.begin(), policy.trusted_proxies.end(), req.remote_addr) !=
           policy.trusted_proxies.end();
}

std::string client_address(const httplib::Request& req, const ProxyPolicy& policy) {
    if (!from_trusted_proxy(req, policy)) return req.remote_addr;
    // "client, proxy1, proxy2": the proxy we trust appended the address it saw last; earlier entries are
    // whatever the client claimed.
    const std::string forwarded = req.get_header_value("X-Forwarded-For");
    const auto comma = forwarded.rfind(',');
    std::string last = trim(comma == std::string::npos ? forwarded : forwarded.substr(comma + 1));
    return last.empty() ? req.remote_addr : last;
}

bool over_tls(const httplib::Request& req, const ProxyPolicy& policy) {
    if (policy.behind_tls) return true;
    return from_trusted_proxy(req, policy) && req.get_header_value("X-Forwarded-Proto") == "https";
}

}  // namespace minplan::server
