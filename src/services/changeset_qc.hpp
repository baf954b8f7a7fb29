// The quality check (质检, services/qc) of the plan as a change set would leave it: before a set is
// submitted or approved, every layer it touches is checked with the set's retirements and changes applied
// to the head of the history (all approved sets) and its additions included. Only what the set brings is
// reported: findings the same check also gives on the layer as it stands are counted, not listed, so a
// defect already in the plan never blocks an unrelated adjustment.
#pragma once

#include <cstddef>
#include <string>

#include "services/qc/qc.hpp"
#include "store/plan_database.hpp"

namespace minplan::services {

struct ChangeSetQc {
    qc::QcReport report;            // the findings the set introduces
    std::size_t already_present = 0;  // findings of the touched layers that the plan has without the set
};

ChangeSetQc qc_change_set(const store::PlanDatabase& db, const store::ChangeSet& cs);

// The record of a QC gate for the audit trail: "质检：错误 0，警告 1，提示 2" (+ the forcing reason).
std::string qc_note(const qc::QcReport& report, bool forced, const std::string& reason);

}  // namespace minplan::services
