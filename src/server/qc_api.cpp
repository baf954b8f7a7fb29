// PlanApi::qc_report: the portal's QC panel (#/qc) reads the whole quality check of the plan it serves,
// the same report `minplan --json qc` prints (services/qc/report.hpp), computed once per plan version.
#include "server/api.hpp"
#include "services/qc/qc.hpp"
#include "services/qc/report.hpp"

namespace minplan::server {

nlohmann::json PlanApi::qc_report(bool geojson) const {
    std::lock_guard qc_lock(qc_mutex_);
    // A read view of its own: the check takes seconds on a real plan, and holding the shared store's lock
    // that long kept every other read of the portal waiting (seen as the geo-environment page timing out).
    const auto own = db_->snapshot();
    const std::int64_t version = own->version();
    if (version != qc_version_) {
        const services::qc::QcReport report = services::qc::run_qc(*own);
        qc_json_ = services::qc::to_json(report);
        qc_geojson_ = services::qc::locations_geojson(report);
        qc_version_ = version;
    }
    return geojson ? qc_geojson_ : qc_json_;
}

}  // namespace minplan::server
