#include "server/login_throttle.hpp"

#include <algorithm>
#include <cstdint>

namespace minplan::server {

std::optional<std::chrono::seconds> LoginThrottle::remaining(const std::string& key, Clock::time_point now) const {
    auto it = counts_.find(key);
    if (it == counts_.end() || it->second.until <= now) return std::nullopt;
    // Rounded up: a client that waits Retry-After seconds must find the account open again.
    return std::chrono::ceil<std::chrono::seconds>(it->second.until - now);
}

std::optional<std::chrono::seconds> LoginThrottle::wait(const std::string& account, const std::string& address,
                                                        Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    auto a = remaining("user:" + account, now), b = remaining("addr:" + address, now);
    if (a && b) return std::max(*a, *b);
    return a ? a : b;
}

void LoginThrottle::count(const std::string& key, int threshold, Clock::time_point now) {
    if (counts_.size() >= kMaxTracked && !counts_.contains(key))
        std::erase_if(counts_, [now](const auto& kv) { return kv.second.until <= now; });
    if (counts_.size() >= kMaxTracked) return;  // every tracked key is waiting: keep them, do not grow
    Count& c = counts_[key];
    if (++c.failures < threshold) return;
    // threshold → first_wait, each further failure doubles it, up to max_wait.
    const int doublings = std::min(c.failures - threshold, 20);
    const std::chrono::seconds doubled = policy_.first_wait * (std::int64_t{1} << doublings);
    const auto wait = std::min(doubled, policy_.max_wait);
    c.until = now + wait;
}

void LoginThrottle::failed(const std::string& account, const std::string& address, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    count("user:" + account, policy_.account_failures, now);
    count("addr:" + address, policy_.address_failures, now);
}

void LoginThrottle::succeeded(const std::string& account, const std::string& address) {
    std::lock_guard lock(mutex_);
    counts_.erase("user:" + account);
    counts_.erase("addr:" + address);
}

void LoginThrottle::lift(const std::string& account) {
    std::lock_guard lock(mutex_);
    counts_.erase("user:" + account);
}

bool LoginThrottle::lift_address(const std::string& address) {
    std::lock_guard lock(mutex_);
    return counts_.erase("addr:" + address) > 0;
}

}  // namespace minplan::server
