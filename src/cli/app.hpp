// The minplan command line. main() only calls run(); tests call run() with their own streams.
#pragma once

#include <exception>
#include <iosfwd>
#include <string>
#include <vector>

namespace minplan::cli {

// Documented exit codes (README "Exit codes").
enum ExitCode : int {
    kOk = 0,
    kNonConformant = 1,   // a check found a veto (不符合)
    kUsage = 2,           // bad command line
    kInputError = 3,      // bad input data (file, line, field named in the message)
    kIoError = 4,         // a file could not be read or written
    kNotFound = 5,        // unknown layer, field, table
    kInternal = 10,
};

int run(int argc, char** argv);
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// The one place where a command's failure becomes its exit code and message (on `err`).
int report_failure(std::exception_ptr failure, std::ostream& err);

}  // namespace minplan::cli
