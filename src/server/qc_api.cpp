// PlanApi::qc_report: the portal's QC panel (#/qc) reads the whole quality check of the plan it serves,
// the same report `minplan --json qc` prints (services/qc/report.hpp), computed once per plan version.
#include "server/api.hpp"
#include "services/qc/qc.hpp"
#include "services/qc/report.hpp"

namespace minplan::server {

nlohmann::json PlanApi::qc_report(bool geojson) const {
    current();  // the store follows the plan version first
    std::lock_guard qc_lock(qc_mutex_);
    std::int64_t version = 0;
    {
        std::lock_guard lock(mutex_);
        version = store_->version();
    }
    if (version != qc_version_) {
        services::qc::QcReport report;
        {
            std::lock_guard lock(mutex_);
            report = services::qc::run_qc(*store_);
        }
        qc_json_ = services::qc::to_json(report);
        qc_geojson_ = services::qc::locations_geojson(report);
        qc_version_ = version;
    }
    return geojson ? qc_geojson_ : qc_json_;
}

}  // namespace minplan::server
