// Internal: each verb lives in its own command_<name>.cpp and registers here (osmium-tool style):
// setup() declares its options on the CLI11 app, run() does the work.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace minplan::cli {

struct Context {
    std::ostream& out;
    std::ostream& err;
    bool json = false;
    std::string db{};  // plan database path; empty = embedded default
    std::string as_of{};  // --as-of YYYY-MM-DD: read the plan in force on that day; empty = today
    std::string plan{};   // --plan ID: the plan (schema) in a PG: database; already part of `db`
};

class Command {
public:
    virtual ~Command() = default;
    virtual void setup(CLI::App& sub) = 0;
    virtual int run(Context& ctx) = 0;
};

struct CommandInfo {
    const char* name;
    const char* description;
    std::function<std::unique_ptr<Command>()> make;
};

const std::vector<CommandInfo>& commands();

// The plan database of the context (default: the plan shipped with minplan, built if missing).
std::string resolve_db(const Context& ctx);
// `location` with the plan's schema added when it is a PG: location (active_schema=ID) and `plan` is given.
std::string with_plan(const std::string& location, const std::string& plan);

}  // namespace minplan::cli
