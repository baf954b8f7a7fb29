// The plan's history as values: dates of validity, change sets (调整批次) and audit entries. Every plan row
// is valid from the effective date of the change set that added it until the effective date of the one
// that retired it (a half-open interval [valid_from, valid_to)); a read at a date sees the rows valid then
// (PlanDatabase::snapshot_at). Nothing here knows how a database stores them (gpkg_history.cpp; a PostGIS
// store maps the same values onto its own tables, docs/database.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/value.hpp"

namespace minplan::store {

// Today's date "YYYY-MM-DD" in China Standard Time (UTC+8; China has kept no daylight saving since 1991):
// the date a bureau works in, whatever the server's time zone.
std::string today();
// The time now as "YYYY-MM-DDTHH:MM:SS+08:00" (Asia/Shanghai), as the audit trail records it.
std::string now_shanghai();
// `text` if it is a calendar date YYYY-MM-DD, else InputError naming `what` and the expected form.
std::string parse_date(const std::string& text, const std::string& what);

// What a change set does to one feature or table row.
enum class ChangeAction { Add, Modify, Retire };
// 新增/修改/注销 or add/modify/retire (and a few synonyms); nullopt for anything else.
std::optional<ChangeAction> parse_action(const std::string& text);
std::string action_zh(ChangeAction a);   // 新增 / 修改 / 注销
std::string action_code(ChangeAction a); // add / modify / retire

struct ChangeItem {
    int seq = 0;  // 1-based, in the order the items were given
    ChangeAction action = ChangeAction::Add;
    std::string layer;  // layer id (mining_blocks …)
    std::string key;    // the feature's identifier (the layer's first field, e.g. 区块编号)
    Feature feature;    // add/modify: the new row (attributes by internal name, EPSG:4490 WKB); retire: empty
    std::string source; // where the item came from, for messages: "changes.xlsx 第 3 行"
};

// States of a change set: 草稿 → 已提交 → 已批准 | 已退回 (a returned set can be edited and submitted again).
inline constexpr const char* kDraft = "draft";
inline constexpr const char* kSubmitted = "submitted";
inline constexpr const char* kApproved = "approved";
inline constexpr const char* kRejected = "rejected";
std::string state_zh(const std::string& state);

// Kinds: the yearly concentrated adjustment (集中调整, at most one a year), a plan amendment (规划修改,
// 按程序报批, not counted against the yearly limit), and a layer import (导入, approved when written).
inline constexpr const char* kAdjustment = "adjustment";
inline constexpr const char* kAmendment = "amendment";
inline constexpr const char* kImport = "import";
std::string kind_zh(const std::string& kind);

struct ChangeSet {
    std::int64_t id = 0;
    std::string name;
    int year = 0;
    std::string kind = kAdjustment;
    std::string reason;
    std::string doc_no;    // 批复文号
    std::string doc_date;  // 批复日期
    std::string author;
    std::string effective_date;  // YYYY-MM-DD: from this day on the set's rows are in force
    std::string state = kDraft;
    std::string created_at, updated_at, decided_at, decided_by, note;
    std::int64_t plan_version = 0;  // the plan version its approval committed
    std::vector<ChangeItem> items;
};

// One line of the audit trail (append-only): when (Asia/Shanghai), who (portal user or OS user), from where
// (client address for the server), what was done to which object, and a summary before/after.
struct AuditEntry {
    std::int64_t id = 0;
    std::string at;
    std::string actor;
    std::string client;
    std::string action;  // import, changeset.create, changeset.approve, intake, user.add, review.save, login.ok …
    std::string object;
    std::string before;
    std::string after;
};

struct AuditFilter {
    std::string from, to;  // dates YYYY-MM-DD, inclusive; empty = open
    std::string actor;     // exact
    std::string action;    // prefix: "changeset" matches changeset.create, changeset.approve …
    std::string object;    // substring
    std::size_t limit = 1000;
};

// The actor of a command-line write: the operating-system user and host.
std::string os_actor();

}  // namespace minplan::store
