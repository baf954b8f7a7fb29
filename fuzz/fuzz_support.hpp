// What the fuzz targets over the plan database share: invariant checks that abort (a violation is a
// finding, like a crash), a scratch directory of the process, and a plan database built once from the
// shipped plan folder of the source tree (MINPLAN_FUZZ_DATA) and cached in the system temp directory.
// Used by the libFuzzer binaries and by the corpus replay of the test suite (fuzz/replay_main.cpp).
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>

#include "plan/builder.hpp"

namespace minplan::fuzz {

namespace fs = std::filesystem;

// Aborts with the broken invariant on stderr (libFuzzer reports the input as a crash).
inline void require(bool ok, const char* what, std::string_view detail = {}) {
    if (ok) return;
    std::fprintf(stderr, "fuzz invariant broken: %s %.*s\n", what, static_cast<int>(std::min<std::size_t>(detail.size(), 2000)),
                 detail.data());
    std::abort();
}

// A directory of this process under the temp dir, removed at exit.
inline const fs::path& scratch_dir() {
    static const fs::path dir = [] {
        fs::path d = fs::temp_directory_path() / ("minplan-fuzz-" + std::to_string(::getpid()));
        fs::create_directories(d);
        static const fs::path keep = d;
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(keep, ec);
        });
        return d;
    }();
    return dir;
}

inline void write_file(const fs::path& p, std::string_view bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    require(static_cast<bool>(out), "cannot write scratch file", p.string());
}

inline fs::path source_tree() { return MINPLAN_FUZZ_DATA; }

// The shipped plan built by plan::build_plan, once per source tree and user; rebuilt when its sources are
// newer. Read-only: targets that write copy it (copy_of_plan).
inline const fs::path& shared_plan() {
    static const fs::path db = [] {
        const fs::path plan_dir = source_tree() / "data" / "plans" / plan::kDefaultPlan;
        const auto tree = std::hash<std::string>{}(source_tree().string());
        const fs::path out = fs::temp_directory_path() /
                             ("minplan-fuzz-plan-" + std::to_string(::getuid()) + "-" + std::to_string(tree) + ".gpkg");
        auto newest = fs::file_time_type::min();
        for (const auto& e : fs::recursive_directory_iterator(source_tree() / "data"))
            if (e.is_regular_file()) newest = std::max(newest, e.last_write_time());
        // One builder at a time (ctest runs the replays in parallel; the others wait, then find it built).
        const int lock = ::open((out.string() + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (lock >= 0) ::flock(lock, LOCK_EX);
        std::error_code ec;
        if (!fs::exists(out, ec) || fs::last_write_time(out) < newest) plan::build_plan({plan_dir, {}, out, {}});
        if (lock >= 0) ::close(lock);
        return out;
    }();
    return db;
}

inline fs::path copy_of_plan(const std::string& name) {
    const fs::path p = scratch_dir() / name;
    fs::copy_file(shared_plan(), p, fs::copy_options::overwrite_existing);
    return p;
}

}  // namespace minplan::fuzz
