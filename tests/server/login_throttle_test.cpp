// Login back-off on a clock the test moves: the waits follow from the policy (30 s after the 5th failure,
// doubling with each further one, capped at an hour), not from the code under test.
#include <gtest/gtest.h>

#include "server/login_throttle.hpp"

namespace minplan::server {
namespace {

using std::chrono::seconds;
using Clock = LoginThrottle::Clock;

TEST(LoginThrottle, FifthFailureWaitsThirtySecondsThenEachFurtherOneDoubles) {
    LoginThrottle t;
    Clock::time_point now{};
    for (int i = 0; i < 4; ++i) t.failed("shen", "10.0.0.1", now);
    EXPECT_FALSE(t.wait("shen", "10.0.0.1", now));
    t.failed("shen", "10.0.0.1", now);
    EXPECT_EQ(t.wait("shen", "10.0.0.1", now), seconds(30));
    EXPECT_EQ(t.wait("shen", "10.0.0.2", now), seconds(30)) << "the account waits from any address";
    EXPECT_FALSE(t.wait("gui", "10.0.0.2", now)) << "other accounts elsewhere do not";
    now += seconds(30);
    EXPECT_FALSE(t.wait("shen", "10.0.0.1", now));
    t.failed("shen", "10.0.0.1", now);
    EXPECT_EQ(t.wait("shen", "10.0.0.1", now), seconds(60));
    now += seconds(60);
    t.failed("shen", "10.0.0.1", now);
    EXPECT_EQ(t.wait("shen", "10.0.0.1", now), seconds(120));
    for (int i = 0; i < 30; ++i) t.failed("shen", "10.0.0.1", now);
    EXPECT_EQ(t.wait("shen", "10.0.0.1", now), seconds(3600)) << "capped";
}

TEST(LoginThrottle, AddressWaitsAfterTwentyFailuresWhateverTheNames) {
    LoginThrottle t;
    Clock::time_point now{};
    for (int i = 0; i < 19; ++i) t.failed("guess" + std::to_string(i), "10.0.0.9", now);
    EXPECT_FALSE(t.wait("root", "10.0.0.9", now));
    t.failed("guess19", "10.0.0.9", now);
    EXPECT_EQ(t.wait("root", "10.0.0.9", now), seconds(30));
    EXPECT_FALSE(t.wait("root", "10.0.0.8", now));
}

TEST(LoginThrottle, SuccessClearsAccountAndAddress) {
    LoginThrottle t;
    Clock::time_point now{};
    for (int i = 0; i < 4; ++i) t.failed("shen", "10.0.0.1", now);
    t.succeeded("shen", "10.0.0.1");
    for (int i = 0; i < 4; ++i) t.failed("shen", "10.0.0.1", now);
    EXPECT_FALSE(t.wait("shen", "10.0.0.1", now)) << "4 + 4 failures with a success between: no wait";
}

}  // namespace
}  // namespace minplan::server
