// Login throttling: failed logins are counted per account and per client address; from the threshold on,
// each further failure doubles the wait (exponential back-off), during which every login for that account
// or address, right password included, is answered 429 with Retry-After. A successful login clears both
// counters. State is in memory (like sessions) and bounded: past kMaxTracked keys, keys that are not
// waiting are forgotten first. Defaults documented in docs/portal.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace minplan::server {

struct ThrottlePolicy {
    int account_failures = 5;   // failures of one account name before it waits
    int address_failures = 20;  // failures from one client address (an office behind one NAT shares it)
    std::chrono::seconds first_wait{30};
    std::chrono::seconds max_wait{3600};
};

class LoginThrottle {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t kMaxTracked = 100'000;

    explicit LoginThrottle(ThrottlePolicy policy = {}) : policy_(policy) {}

    // How long the account or the address must still wait; nullopt when a login may be tried.
    std::optional<std::chrono::seconds> wait(const std::string& account, const std::string& address, Clock::time_point now) const;
    void failed(const std::string& account, const std::string& address, Clock::time_point now);
    void succeeded(const std::string& account, const std::string& address);
    // An admin vouches for the account: its count and wait are cleared (addresses keep theirs).
    void lift(const std::string& account);
    // Likewise for a client address (an office NAT locked out by a few colleagues' typos); false when the
    // address had no failures counted.
    bool lift_address(const std::string& address);
    const ThrottlePolicy& policy() const { return policy_; }

private:
    struct Count {
        int failures = 0;
        Clock::time_point until{};
    };
    void count(const std::string& key, int threshold, Clock::time_point now);
    std::optional<std::chrono::seconds> remaining(const std::string& key, Clock::time_point now) const;

    ThrottlePolicy policy_;
    mutable std::mutex mutex_;
    std::map<std::string, Count> counts_;  // "user:NAME" and "addr:IP"
};

}  // namespace minplan::server
