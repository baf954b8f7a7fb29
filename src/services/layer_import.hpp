// The checks of an import into a plan layer, shared by `minplan import` and the portal's geo-environment
// upload (server/geoenv_upload_api): the geo-environment references, dates and register transitions
// (services/geoenv/check_import), then the quality-check gate (services/qc). One definition, so that a file
// refused by the CLI is refused by the portal with the same messages.
#pragma once

#include "store/exchange.hpp"

namespace minplan::services {

// For store::ImportOptions::quality_check. `force`: import despite quality-check errors (the CLI's --force).
decltype(store::ImportOptions::quality_check) import_checks(bool force);

}  // namespace minplan::services
