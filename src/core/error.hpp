// Failure hierarchy. Findings (conformance results, validation problems reported to users as lists) are
// values; these exceptions are for I/O, configuration and corrupt input. Each app boundary (CLI, HTTP)
// turns them into an exit code or status in exactly one place.
#pragma once

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace minplan {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file could not be opened, read or written.
class IoError : public Error {
public:
    using Error::Error;
};

// Input that is readable but wrong: bad syntax, a bad value, an invalid polygon. The message names
// the file, line/feature and field, and what was expected.
class InputError : public Error {
public:
    using Error::Error;
};

// Input with several problems at once (a plan folder, an import): each problem names its file, line and
// field. The message lists them all; callers that present them one by one (HTTP, tests) use problems().
// A reader of untrusted input may keep only the first problems and count the others (`total`): a
// million bad rows need not be a million strings in memory.
class ProblemsError : public InputError {
public:
    ProblemsError(const std::string& summary, std::vector<std::string> problems, std::size_t total = 0)
        : InputError(render(summary, problems, std::max(total, problems.size()))),
          problems_(std::move(problems)),
          total_(std::max(total, problems_.size())) {}
    const std::vector<std::string>& problems() const { return problems_; }
    std::size_t total() const { return total_; }  // problems found, listed or not

private:
    static std::string render(const std::string& summary, const std::vector<std::string>& problems, std::size_t total) {
        constexpr std::size_t kShown = 50;  // a terminal's worth; the rest are counted
        std::string msg = summary;
        std::size_t shown = 0;
        for (; shown < problems.size() && shown < kShown; ++shown) msg += "\n  " + problems[shown];
        if (total > shown) msg += "\n  …（其余 " + std::to_string(total - shown) + " 处省略）";
        return msg;
    }
    std::vector<std::string> problems_;
    std::size_t total_;
};

using InputProblems = ProblemsError;  // the import's name for the same thing

// A name the caller asked for does not exist: unknown layer, field, table, mineral code.
class NotFoundError : public Error {
public:
    using Error::Error;
};

// The library itself misbehaved (GEOS returned an error code, PROJ failed to create a transform).
class InternalError : public Error {
public:
    using Error::Error;
};

}  // namespace minplan
