// The server's HTTP workers: httplib's TaskQueue with the most recently idle worker taking the next
// connection. httplib's own ThreadPool wakes any waiting worker (with glibc's condition variable, in
// practice the one idle longest), so one client's successive connections (a keep-alive connection is
// closed after keep_alive_max_count requests) moved round all 72 workers: each connection started on the
// coldest thread — its caches, jemalloc's thread cache and the thread's PROJ objects cold. Here a sequential
// client keeps meeting the same warm worker; under load every worker is busy and jobs wait in arrival order
// as before (docs/performance.md, session 10, `check8`).
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace minplan::server {

class LifoWorkerPool : public httplib::TaskQueue {
public:
    // `on_start` runs on each worker's thread before it takes a job (exceptions ignored): per-thread state a
    // job would otherwise set up on its first call, e.g. the thread's PROJ database (geo::prepare_thread).
    explicit LifoWorkerPool(std::size_t workers, std::function<void()> on_start = {});
    ~LifoWorkerPool() override;
    LifoWorkerPool(const LifoWorkerPool&) = delete;
    LifoWorkerPool& operator=(const LifoWorkerPool&) = delete;

    // A job goes to the most recently idle worker, or waits (first come, first served) for the next free one.
    void enqueue(std::function<void()> fn) override;
    // Runs the jobs already queued, then joins the workers (as httplib's ThreadPool does).
    void shutdown() override;

    std::size_t idle_workers();  // for tests

private:
    struct Worker {
        std::condition_variable wake;
        std::function<void()> job;
    };
    void run(Worker& self);
    void start(Worker& self);

    std::mutex mutex_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::vector<Worker*> idle_;  // a stack: back() idled last, and its thread is the warmest
    std::deque<std::function<void()>> jobs_;
    bool shutdown_ = false;
    std::function<void()> on_start_;
    std::vector<std::thread> threads_;
};

}  // namespace minplan::server
