#include "server/access_log.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <system_error>

#include "core/error.hpp"

namespace minplan::server {
namespace {

// Bureau staff read times in Beijing time; China has had no daylight saving time since 1991.
std::string beijing_time(std::chrono::system_clock::time_point t) {
    const auto local = std::chrono::floor<std::chrono::milliseconds>(t + std::chrono::hours(8));
    const auto secs = std::chrono::floor<std::chrono::seconds>(local);
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}+08:00", fmt::gmtime(std::chrono::system_clock::to_time_t(secs)),
                       static_cast<int>((local - secs).count()));
}

// Spaces and control characters would break the one-line, space-separated format.
std::string field(const std::string& s) {
    if (s.empty()) return "-";
    std::string out;
    for (unsigned char c : s) out += (c <= ' ' || c == 0x7f) ? '_' : static_cast<char>(c);
    return out;
}

}  // namespace

AccessLog::AccessLog(AccessLogOptions options) : options_(std::move(options)) {
    if (options_.path.empty() || options_.path == "-") return;
    file_ = std::fopen(options_.path.c_str(), "ab");
    if (!file_) throw IoError("无法打开请求日志文件 " + options_.path.string() + "（--access-log）");
    std::error_code ec;
    size_ = std::filesystem::file_size(options_.path, ec);
    if (ec) size_ = 0;
}

AccessLog::~AccessLog() {
    if (file_) std::fclose(file_);
}

std::string AccessLog::format(const AccessLogEntry& e) {
    return fmt::format("{} {} {} {} {} {} {} {}\n", beijing_time(e.time), field(e.client), field(e.user), field(e.method),
                       field(e.path), e.status, e.bytes, e.duration_ms < 0 ? std::string("-") : fmt::format("{:.1f}ms", e.duration_ms));
}

void AccessLog::write(const AccessLogEntry& entry) {
    if (options_.path.empty()) return;
    const std::string line = format(entry);
    std::lock_guard lock(mutex_);
    if (!file_) {
        std::fputs(line.c_str(), stderr);
        return;
    }
    if (size_ + line.size() > options_.max_bytes && size_ > 0) rotate();
    if (!file_) return;
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
    size_ += line.size();
}

// Renaming log files is safe here (unlike the plan database): only this process writes them.
void AccessLog::rotate() {
    std::fclose(file_);
    file_ = nullptr;
    std::error_code ec;
    const std::string base = options_.path.string();
    std::filesystem::remove(base + "." + std::to_string(options_.keep), ec);
    for (int i = options_.keep - 1; i >= 1; --i)
        std::filesystem::rename(base + "." + std::to_string(i), base + "." + std::to_string(i + 1), ec);
    if (options_.keep > 0) std::filesystem::rename(options_.path, base + ".1", ec);
    else std::filesystem::remove(options_.path, ec);
    file_ = std::fopen(base.c_str(), "ab");
    size_ = 0;
}

}  // namespace minplan::server
