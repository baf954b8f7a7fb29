#include "server/worker_pool.hpp"

namespace minplan::server {

LifoWorkerPool::LifoWorkerPool(std::size_t workers, std::function<void()> on_start) : on_start_(std::move(on_start)) {
    workers_.reserve(workers);
    for (std::size_t i = 0; i < workers; ++i) workers_.push_back(std::make_unique<Worker>());
    threads_.reserve(workers);
    for (auto& w : workers_) threads_.emplace_back([this, worker = w.get()] { start(*worker); });
}

void LifoWorkerPool::start(Worker& self) {
    if (on_start_) {
        try {
            on_start_();
        } catch (...) {  // only a head start: the jobs set up what is missing themselves
        }
    }
    run(self);
}

LifoWorkerPool::~LifoWorkerPool() {
    bool joined = false;
    {
        std::lock_guard lock(mutex_);
        joined = shutdown_ && threads_.empty();
    }
    if (!joined) shutdown();
}

void LifoWorkerPool::enqueue(std::function<void()> fn) {
    Worker* worker = nullptr;
    {
        std::lock_guard lock(mutex_);
        if (idle_.empty()) {
            jobs_.push_back(std::move(fn));
            return;
        }
        worker = idle_.back();
        idle_.pop_back();
        worker->job = std::move(fn);
    }
    worker->wake.notify_one();
}

void LifoWorkerPool::run(Worker& self) {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (!self.job && !jobs_.empty()) {
            self.job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        if (!self.job) {
            if (shutdown_) return;
            idle_.push_back(&self);
            self.wake.wait(lock, [&] { return self.job || shutdown_; });
            if (!self.job) {  // shut down while idle: leave the stack so that no job is handed to this worker
                std::erase(idle_, &self);
                continue;
            }
        }
        std::function<void()> job = std::move(self.job);
        self.job = nullptr;
        lock.unlock();
        job();
        job = nullptr;  // whatever the job captured is released before the worker counts as idle
        lock.lock();
    }
}

void LifoWorkerPool::shutdown() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex_);
        shutdown_ = true;
        threads.swap(threads_);
    }
    for (auto& w : workers_) w->wake.notify_all();
    for (auto& t : threads) t.join();
}

std::size_t LifoWorkerPool::idle_workers() {
    std::lock_guard lock(mutex_);
    return idle_.size();
}

}  // namespace minplan::server
