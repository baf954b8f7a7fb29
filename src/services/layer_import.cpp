#include "services/layer_import.hpp"

#include "services/geoenv/check_import.hpp"
#include "services/qc/gate.hpp"

namespace minplan::services {

decltype(store::ImportOptions::quality_check) import_checks(bool force) {
    return [force](const store::PlanStore& snapshot, const TableSchema& target, bool append) {
        // references, dates and register transitions of the geo-environment layers, then the quality check
        return geoenv::import_check(target, append, qc::import_gate(snapshot, target, append, force));
    };
}

}  // namespace minplan::services
