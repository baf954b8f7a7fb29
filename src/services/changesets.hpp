// The yearly adjustment (年度动态调整) as a service both front ends call: change sets (调整批次) are created as
// drafts, filled from a change file or item by item, checked against the plan's adjustment rules before
// submission, and approved (planner role or higher) in one plan transaction that retires and adds rows
// effective on the set's date. An approved set is never edited; a later set supersedes it.
//
// Bad input (store::ChangeItem rows) is refused with every problem named, nothing written: retiring or
// modifying a feature that does not exist or is already retired on the effective date, adding one that
// exists, changing a feature that a newer approved set changed (both sets named), an effective date before
// the plan period. Rule violations (AdjustmentFinding) are values: they stop a submission and are listed
// with the clause they break.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/plan_database.hpp"

namespace minplan::services {

struct AdjustmentFinding {
    std::string rule;     // per_year | control_lines | same_kind_overlap | zone_quota | extraction_cap
    std::string item;     // "第 2 项 KC-009（新增）", or the change set
    std::string message;  // what is wrong, with areas where there are some
    std::string clause;   // the plan clause it breaks (section and quote)
    bool blocking = true; // false: a note (schematic geometry never decides)
};

// `client`: the portal client's address for the audit trail (empty from the CLI).
// A new draft; InputError for a missing name, a bad or out-of-period effective date, an unknown kind.
std::int64_t create_change_set(store::PlanDatabase& db, store::ChangeSet header, const std::string& actor,
                               const std::string& client = {});

// Appends items to a draft (or returned) set after checking each against the plan on the set's effective
// date; InputError listing every problem (row and reason), nothing written.
void add_change_items(store::PlanDatabase& db, std::int64_t id, std::vector<store::ChangeItem> items,
                      const std::string& actor, const std::string& client = {});

// A whole change set from elsewhere (an exchange bundle, services/exchange_bundle.hpp) recreated as a draft
// of `db` in one transaction, header and items as given: checked as create + add would check them, and
// refused when `db` already holds a set of the same name, 批复文号 and effective date (named). InputError
// listing every problem (`origin` first), nothing written. Returns the new id.
std::int64_t recreate_change_set(store::PlanDatabase& db, store::ChangeSet cs, const std::string& actor, const std::string& origin);

// The plan's adjustment rules (rules.json settings.adjustment) applied to `cs`.
std::vector<AdjustmentFinding> check_adjustment(const store::PlanDatabase& db, const store::ChangeSet& cs);

// Submits a draft when check_adjustment finds nothing blocking; otherwise returns the findings and writes
// nothing.
std::vector<AdjustmentFinding> submit_change_set(store::PlanDatabase& db, std::int64_t id, const std::string& actor,
                                                 const std::string& client = {});

// Applies a submitted set: retires and adds its rows effective on its date, marks it approved; returns the
// plan version. `may_approve`: the caller holds the planner role or higher (InputError otherwise).
std::int64_t approve_change_set(store::PlanDatabase& db, std::int64_t id, const std::string& actor, bool may_approve);

// Approval as the portal and `minplan changeset approve` give it. Before anything is written the plan as
// the set would leave it is quality-checked (services/changeset_qc.hpp): a set that brings 错误 is refused
// (ProblemsError listing them) unless `force` with a `force_reason`, which the audit entry records.
struct Approval {
    bool may_approve = false;  // the caller holds the planner role or higher
    bool force = false;
    std::string force_reason;
    std::string client;
};
std::int64_t approve_change_set(store::PlanDatabase& db, std::int64_t id, const std::string& actor, const Approval& approval);

// Returns a submitted set to its author (planner role or higher, `may_decide`).
void reject_change_set(store::PlanDatabase& db, std::int64_t id, const std::string& actor, const std::string& note);
void reject_change_set(store::PlanDatabase& db, std::int64_t id, const std::string& actor, const std::string& note,
                       const std::string& client);

}  // namespace minplan::services
