// The report table shape is core's (core/table_view.hpp); the monitoring module and its callers
// (e.g. the CLI's `table` command) keep naming it monitor::TableView / monitor::Cell.
#pragma once

#include "core/table_view.hpp"

namespace minplan::monitor {

using minplan::Cell;
using minplan::format_number;
using minplan::TableView;

}  // namespace minplan::monitor
