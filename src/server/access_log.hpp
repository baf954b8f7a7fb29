// The portal's request log: one line per request with time (Asia/Shanghai), client address, user, method,
// path, status, response bytes and duration, appended to a file that is rotated by size
// (FILE → FILE.1 → … → FILE.<keep>), or written to stderr ("-"). Query strings are not logged: they may
// carry names of applicants.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>

namespace minplan::server {

struct AccessLogEntry {
    std::chrono::system_clock::time_point time;
    std::string client, user, method, path;
    int status = 0;
    std::size_t bytes = 0;
    double duration_ms = -1;  // < 0: unknown (the request failed before routing)
};

struct AccessLogOptions {
    std::filesystem::path path;  // empty: no log; "-": stderr
    std::size_t max_bytes = 10u << 20;
    int keep = 5;
};

class AccessLog {
public:
    explicit AccessLog(AccessLogOptions options);  // throws IoError when the file cannot be opened
    ~AccessLog();
    AccessLog(const AccessLog&) = delete;
    AccessLog& operator=(const AccessLog&) = delete;

    void write(const AccessLogEntry& entry);
    static std::string format(const AccessLogEntry& entry);

private:
    void rotate();

    AccessLogOptions options_;
    std::mutex mutex_;
    std::FILE* file_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace minplan::server
