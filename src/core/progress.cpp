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

std::string Progress::render(const std::string& label, std::size_t done, std::size_t total, int width) {
    std::string line = label + " ";
    if (total == 0) return line + std::to_string(done);
    const std::size_t shown = std::min(done, total);
    const auto filled = static_cast<int>(static_cast<double>(shown) / static_cast<double>(total) * width);
    line += "[";
    for (int i = 0; i < width; ++i) line += i < filled ? "█" : "░";
    line += "] " + std::to_string(shown * 100 / total) + "% " + std::to_string(shown) + "/" + std::to_string(total);
    return line;
}

void Progress::draw(bool force) {
    // A redraw per feature would cost more than reading it: at most ten frames a second.
    auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(100) && done_ != total_) return;
    last_ = now;
    std::fprintf(out_, "\r%s\033[K", render(label_, done_, total_).c_str());
    std::fflush(out_);
}

}  // namespace minplan
