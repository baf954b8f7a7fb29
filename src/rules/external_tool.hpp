// Running the document tools minplan relies on (chromium for PDF, pandoc and rsvg-convert for DOCX) as child
// processes: no shell, no inherited sockets, silent, with a time limit. The one place that forks them.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace minplan::rules {

// The program is not installed (not on PATH).
class ToolMissing : public IoError {
public:
    using IoError::IoError;
};

// All tools already running: the caller may retry (the portal answers 503 with Retry-After).
class ToolBusy : public IoError {
public:
    using IoError::IoError;
};

// At most this many tools run at once in the process (a Chromium takes ~200 MB and a core for a second or
// more; a burst of PDF requests on the portal must not start one per worker). MINPLAN_MAX_TOOLS overrides.
std::size_t max_running_tools();

// Runs argv[0] (looked up on PATH) with the arguments, in `cwd` when given; kills it after `timeout`.
// Waits at most `timeout` for one of the max_running_tools() slots, else throws ToolBusy.
// Returns its exit status; throws ToolMissing when it cannot be found, IoError when it cannot be started,
// is killed by a signal or runs out of time.
int run_tool(const std::vector<std::string>& argv, std::chrono::seconds timeout, const std::filesystem::path& cwd = {});

// A temporary directory removed with everything in it when destroyed.
class TempDir {
public:
    explicit TempDir(const std::string& prefix);
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace minplan::rules
