// The server's worker pool (worker_pool.hpp): every job runs, jobs beyond the workers wait in arrival order,
// shutdown runs what is queued, and a job arriving when workers are idle goes to the one idle last — so one
// sequential client keeps meeting the same warm thread. No timing: the test waits on the pool's own state.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <stdexcept>
#include <set>
#include <thread>
#include <vector>

#include "server/worker_pool.hpp"

namespace minplan::server {
namespace {

void wait_until_idle(LifoWorkerPool& pool, std::size_t n) {
    while (pool.idle_workers() != n) std::this_thread::yield();
}

TEST(LifoWorkerPool, EveryJobRunsAndShutdownRunsWhatIsQueued) {
    LifoWorkerPool pool(2);
    std::atomic<int> done{0};
    for (int i = 0; i < 200; ++i) pool.enqueue([&] { ++done; });
    pool.shutdown();
    EXPECT_EQ(done.load(), 200);
}

// Each worker runs the start hook on its own thread before it takes a job (per-thread state such as the
// thread's PROJ database is set up there); a hook that throws leaves the worker serving jobs.
TEST(LifoWorkerPool, EachWorkerRunsTheStartHookOnItsThreadBeforeItsFirstJob) {
    std::mutex mutex;
    std::set<std::thread::id> started;
    std::atomic<int> hooks{0};
    LifoWorkerPool pool(4, [&] {
        {
            std::lock_guard lock(mutex);
            started.insert(std::this_thread::get_id());
        }
        if (++hooks % 2 == 0) throw std::runtime_error("a hook that fails");
    });
    wait_until_idle(pool, 4);  // all four hooks ran (a worker goes idle only after its hook)
    EXPECT_EQ(hooks.load(), 4);
    std::atomic<int> unprepared{0}, done{0};
    for (int i = 0; i < 100; ++i)
        pool.enqueue([&] {
            std::lock_guard lock(mutex);
            if (!started.contains(std::this_thread::get_id())) ++unprepared;
            ++done;
        });
    pool.shutdown();
    EXPECT_EQ(done.load(), 100);
    EXPECT_EQ(unprepared.load(), 0);
    EXPECT_EQ(started.size(), 4u);
}

TEST(LifoWorkerPool, ASequenceOfJobsStaysOnTheWorkerIdleLast) {
    LifoWorkerPool pool(8);
    wait_until_idle(pool, 8);
    std::set<std::thread::id> threads;
    for (int i = 0; i < 50; ++i) {
        std::promise<std::thread::id> ran;
        pool.enqueue([&] { ran.set_value(std::this_thread::get_id()); });
        threads.insert(ran.get_future().get());
        wait_until_idle(pool, 8);  // the worker is back on the stack before the next job arrives
    }
    EXPECT_EQ(threads.size(), 1u) << "each job went to the worker that had just finished the one before";
    pool.shutdown();
}

TEST(LifoWorkerPool, JobsBeyondTheWorkersWaitInArrivalOrder) {
    LifoWorkerPool pool(1);
    wait_until_idle(pool, 1);
    std::promise<void> release;
    std::promise<void> holding;
    pool.enqueue([&] { holding.set_value(); release.get_future().wait(); });  // the only worker is held
    holding.get_future().wait();
    std::vector<int> order;  // written by the one worker only
    for (int i = 0; i < 6; ++i) pool.enqueue([&, i] { order.push_back(i); });
    EXPECT_EQ(pool.idle_workers(), 0u);
    release.set_value();
    pool.shutdown();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

}  // namespace
}  // namespace minplan::server
