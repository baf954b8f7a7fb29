// Where minplan finds what it ships besides the binary: the shared source files of plans (data/schema,
// data/standards), the default plan folder (data/plans/<default>) and the built front end (web/dist).
// Only `minplan build` and the portal's static files read them; a running command reads its plan from
// the plan database.
#pragma once

#include <filesystem>

namespace minplan {

// MINPLAN_HOME when set; else <prefix>/share/minplan when the binary runs installed as <prefix>/bin/minplan;
// else the source tree it was built from. Throws IoError naming every place tried when none exists.
std::filesystem::path home_dir();

// Where the default plan database is built on first use: MINPLAN_DB when set; else the build tree when
// minplan runs from it; else $XDG_CACHE_HOME/minplan (~/.cache/minplan).
std::filesystem::path default_database_dir();

}  // namespace minplan
