// A progress bar for long runs (an import of many features, a plan build):
//     Progress p("导入", total);  p.advance();  …  (the destructor ends the line)
// It draws on stderr only when stderr is a terminal: pipes, logs, CI and tests see no output at all.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

namespace minplan {

class Progress {
public:
    // `total` 0 = unknown (the bar shows the count only). `out` is for tests; drawn only if it is a tty.
    Progress(std::string label, std::size_t total, std::FILE* out = stderr);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void advance(std::size_t n = 1);
    void add_total(std::size_t n) { total_ += n; }
    bool drawing() const { return out_ != nullptr; }

    // The text of one frame, e.g. "导入 [██████░░░░] 60% 600/1000 120/秒 剩余 0:03" (exposed for tests):
    // with the time elapsed since the start (seconds, > 0), the rate and, when the total is known, the time
    // left at that rate.
    static std::string render(const std::string& label, std::size_t done, std::size_t total, int width = 30,
                              double elapsed_seconds = 0);
    // "0:07", "12:34", "1:02:03".
    static std::string duration(double seconds);

private:
    void draw(bool force);

    std::string label_;
    std::size_t total_ = 0, done_ = 0;
    std::FILE* out_ = nullptr;  // null when not a terminal
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_{};
};

}  // namespace minplan
