#include "core/progress.hpp"

#include <unistd.h>

#include <algorithm>

namespace minplan {

Progress::Progress(std::string label, std::size_t total, std::FILE* out)
    : label_(std::move(label)), total_(total), out_(out && ::isatty(::fileno(out)) ? out : nullptr) {}

Progress::~Progress() {
    if (!out_ || done_ == 0) return;
    draw(true);
    std::fputc('\n', out_);
}

void Progress::advance(std::size_t n) {
    done_ += n;
    if (out_) draw(false);
}

std::string Progress::duration(double seconds) {
    const auto s = static_cast<long long>(std::max(0.0, seconds) + 0.5);
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

namespace {

// " 120/秒 剩余 0:03": the rate so far and the time left at that rate.
std::string rate_text(std::size_t done, std::size_t total, double elapsed) {
    if (elapsed <= 0 || done == 0) return {};
    const double rate = static_cast<double>(done) / elapsed;
    char buf[48];
    std::snprintf(buf, sizeof buf, rate < 10 ? " %.1f/秒" : " %.0f/秒", rate);
    std::string out = buf;
    if (total > done) out += " 剩余 " + Progress::duration(static_cast<double>(total - done) / rate);
    return out;
}

}  // namespace

std::string Progress::render(const std::string& label, std::size_t done, std::size_t total, int width, double elapsed) {
    std::string line = label + " ";
    if (total == 0) return line + std::to_string(done) + rate_text(done, total, elapsed);
    const std::size_t shown = std::min(done, total);
    const auto filled = static_cast<int>(static_cast<double>(shown) / static_cast<double>(total) * width);
    line += "[";
    for (int i = 0; i < width; ++i) line += i < filled ? "█" : "░";
    line += "] " + std::to_string(shown * 100 / total) + "% " + std::to_string(shown) + "/" + std::to_string(total);
    return line + rate_text(shown, total, elapsed);
}

void Progress::draw(bool force) {
    // A redraw per feature would cost more than reading it: at most ten frames a second.
    auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(100) && done_ != total_) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    std::fprintf(out_, "\r%s\033[K", render(label_, done_, total_, 30, elapsed).c_str());
    std::fflush(out_);
}

}  // namespace minplan
