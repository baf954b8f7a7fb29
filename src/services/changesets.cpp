#include "services/changesets.hpp"

#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"
#include "plan/qgis_assets.hpp"
#include "services/adjustment_quotas.hpp"
#include "services/changeset_qc.hpp"
#include "services/qc/gate.hpp"

namespace minplan::services {

using store::ChangeAction;
using store::ChangeItem;
using store::ChangeSet;

using detail::citation_text;
using detail::item_label;

namespace {

// The far future: a read at this date is the head of the history (every approved set applied).
constexpr const char* kHead = "2999-12-31";

// The live row of `key` in the head of the layer, if any (the identifier is the layer's first field).
std::optional<Feature> head_row(const store::PlanStore& head, const TableSchema& s, const std::string& key) {
    store::Query q;
    q.filters = {{s.fields.front().name, "=", key}};
    auto rows = head.read(s.id, q);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

bool valid_at(const store::PlanStore& at, const TableSchema& s, const std::string& key) {
    store::Query q;
    q.filters = {{s.fields.front().name, "=", key}};
    q.limit = 1;
    return !at.read(s.id, q).empty();
}

void check_header(const store::PlanDatabase& db, const ChangeSet& cs) {
    if (cs.name.empty()) throw InputError("调整批次缺少名称（--name）/ a change set needs a name");
    store::parse_date(cs.effective_date, "生效日期 / effective date");
    if (!cs.doc_date.empty()) store::parse_date(cs.doc_date, "批复日期 / approval document date");
    if (cs.kind != store::kAdjustment && cs.kind != store::kAmendment)
        throw InputError("调整类型 “" + cs.kind + "” 无效，应为 adjustment（集中调整）或 amendment（规划修改）/ unknown kind");
    auto snap = db.snapshot();
    if (auto start = snap->metadata("period_start"); start && start->size() == 4 && cs.effective_date < *start + "-01-01")
        throw InputError("生效日期 " + cs.effective_date + " 早于规划期起始（" + *start + " 年）/ effective date before the plan period");
    if (auto end = snap->metadata("period_end"); end && end->size() == 4 && cs.effective_date > *end + "-12-31")
        throw InputError("生效日期 " + cs.effective_date + " 晚于规划期末（" + *end + " 年）/ effective date after the plan period");
}

// Every problem of `items` against the plan on `cs.effective_date`, and against newer approved sets.
std::vector<std::string> item_problems(const store::PlanDatabase& db, const ChangeSet& cs, const std::vector<ChangeItem>& items) {
    std::vector<std::string> problems;
    auto at = db.snapshot_at(cs.effective_date);
    auto head = db.snapshot_at(kHead);
    // Features a newer approved set changed: a change effective earlier would be overtaken by it.
    std::map<std::pair<std::string, std::string>, const ChangeSet*> newer;
    std::vector<ChangeSet> sets;
    for (const auto& s : db.change_sets())
        if (s.state == store::kApproved && s.id != cs.id && s.effective_date > cs.effective_date)
            if (auto full = db.change_set(s.id)) sets.push_back(*full);
    for (const auto& s : sets)
        for (const auto& it : s.items) newer[{it.layer, it.key}] = &s;
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& existing : cs.items) seen.insert({existing.layer, existing.key});
    for (const auto& item : items) {
        const std::string where = item_label(item);
        const TableSchema* s = nullptr;
        try {
            s = &head->schema(item.layer);
        } catch (const NotFoundError&) {
            problems.push_back(where + "：没有图层 “" + item.layer + "” / unknown layer");
            continue;
        }
        if (!seen.insert({s->id, item.key}).second)
            problems.push_back(where + "：同一批次中该要素已有变更 / the feature is changed twice in one set");
        const bool exists = valid_at(*at, *s, item.key);
        if (item.action == ChangeAction::Add && exists)
            problems.push_back(where + "：" + s->name_zh + " 中已有 " + item.key + "，新增应改为修改 / already exists");
        if (item.action != ChangeAction::Add && !exists) {
            const bool ever = head_row(*head, *s, item.key).has_value();
            problems.push_back(where + "：" + s->name_zh + " 在 " + cs.effective_date + " 没有有效的 " + item.key +
                               (ever ? "（尚未生效或已注销）" : "（不存在或已注销）") + "，不能" + store::action_zh(item.action) +
                               " / no such feature in force");
        }
        // The row in force on the date was since replaced by a later import (a set without items): name it.
        if (exists && item.action != ChangeAction::Add && !newer.count({s->id, item.key})) {
            auto now = head_row(*head, *s, item.key);
            store::Query q;
            q.filters = {{s->fields.front().name, "=", item.key}};
            auto then = at->read(s->id, q);
            if (now && !then.empty() && now->fid != then.front().fid) {
                std::string later;
                for (const auto& other : db.change_sets())
                    if (other.state == store::kApproved && other.id != cs.id && other.effective_date > cs.effective_date)
                        later += (later.empty() ? "" : "、") + std::to_string(other.id) + "「" + other.name + "」（生效 " + other.effective_date + "）";
                problems.push_back(where + "：该要素在 " + cs.effective_date + " 之后已被较新的批次替换：" + later + "；本批次「" + cs.name +
                                   "」 / replaced by a newer approved change set");
            }
        }
        if (auto it = newer.find({s->id, item.key}); it != newer.end())
            problems.push_back(where + "：与已批准的较新批次冲突——批次 " + std::to_string(it->second->id) + "「" + it->second->name +
                               "」（生效 " + it->second->effective_date + "）已变更该要素；本批次「" + cs.name + "」生效 " +
                               cs.effective_date + " / conflicts with a newer approved change set");
        if (item.action != ChangeAction::Retire) {
            auto key = item.feature.get(s->fields.front().name);
            if (to_display(key) != item.key)
                problems.push_back(where + "：要素的 " + s->fields.front().code + " 与变更标识不一致 / identifier mismatch");
            if (s->spatial && item.feature.wkb.empty())
                problems.push_back(where + "：新增或修改的要素缺少几何 / geometry missing");
        }
    }
    return problems;
}

// Rows given item by item (the API, a test) get what an import gives every row it reads
// (store/import_reader.cpp): the geometry's source, unless stated, and its ellipsoidal area.
void complete_rows(const store::PlanDatabase& db, std::vector<ChangeItem>& items) {
    auto head = db.snapshot_at(kHead);
    for (auto& item : items) {
        if (item.action == ChangeAction::Retire || item.feature.wkb.empty()) continue;
        const TableSchema* s = nullptr;
        try {
            s = &head->schema(item.layer);
        } catch (const NotFoundError&) {
            continue;  // item_problems names the unknown layer
        }
        if (!s->spatial) continue;
        if (s->field(kGeometrySourceField) && is_null(item.feature.get(kGeometrySourceField)))
            item.feature.attributes[kGeometrySourceField] = std::string("imported");
        if (s->field(kAreaField))
            item.feature.attributes[kAreaField] = geo::round_km2(geo::ellipsoidal_area_km2(geo::Geometry::from_wkb(item.feature.wkb)));
    }
}

void throw_problems(const std::string& title, const std::vector<std::string>& problems) {
    if (problems.empty()) return;
    std::string text = title + "（" + std::to_string(problems.size()) + " 处问题，未写入任何数据）：";
    for (const auto& p : problems) text += "\n  " + p;
    throw InputError(text);
}

ChangeSet load(const store::PlanDatabase& db, std::int64_t id) {
    auto cs = db.change_set(id);
    if (!cs) throw NotFoundError("没有调整批次 " + std::to_string(id) + "（minplan changeset list 查看）/ no such change set");
    return *cs;
}

}  // namespace

std::int64_t create_change_set(store::PlanDatabase& db, ChangeSet header, const std::string& actor, const std::string& client) {
    if (header.year == 0 && header.effective_date.size() >= 4) header.year = std::stoi(header.effective_date.substr(0, 4));
    if (header.author.empty()) header.author = actor;
    header.id = 0;
    header.state = store::kDraft;
    header.items.clear();
    check_header(db, header);
    return db.save_change_set(header, {0, "", actor, client, "changeset.create", "", "",
                                       header.name + "，" + store::kind_zh(header.kind) + "，生效 " + header.effective_date});
}

void add_change_items(store::PlanDatabase& db, std::int64_t id, std::vector<ChangeItem> items, const std::string& actor,
                      const std::string& client) {
    ChangeSet cs = load(db, id);
    if (cs.state != store::kDraft && cs.state != store::kRejected)
        throw InputError("调整批次 " + std::to_string(id) + " 状态为" + store::state_zh(cs.state) + "，不能再添加变更 / only a draft can be edited");
    int seq = static_cast<int>(cs.items.size());
    for (auto& item : items) item.seq = ++seq;
    complete_rows(db, items);
    throw_problems("调整批次 " + std::to_string(id) + " 的变更有误", item_problems(db, cs, items));
    std::size_t n = items.size();
    for (auto& item : items) cs.items.push_back(std::move(item));
    db.save_change_set(cs, {0, "", actor, client, "changeset.edit", "调整批次 " + std::to_string(id),
                            std::to_string(cs.items.size() - n) + " 项", std::to_string(cs.items.size()) + " 项"});
}

std::int64_t recreate_change_set(store::PlanDatabase& db, ChangeSet cs, const std::string& actor, const std::string& origin) {
    if (cs.year == 0 && cs.effective_date.size() >= 4) cs.year = std::stoi(cs.effective_date.substr(0, 4));
    cs.id = 0;
    cs.state = store::kDraft;
    cs.plan_version = 0;
    cs.decided_at = cs.decided_by = cs.note = "";
    check_header(db, cs);
    std::vector<std::string> problems;
    for (const auto& s : db.change_sets())
        if (s.name == cs.name && s.doc_no == cs.doc_no && s.effective_date == cs.effective_date)
            problems.push_back("本库已有同名、同文号、同生效日期的调整批次 " + std::to_string(s.id) + "「" + s.name + "」（" + store::state_zh(s.state) +
                               "），不重复导入 / already in this database");
    std::vector<ChangeItem> items = std::move(cs.items);
    cs.items.clear();
    for (auto& p : item_problems(db, cs, items)) problems.push_back(std::move(p));
    throw_problems(origin + " 中的调整批次「" + cs.name + "」不能导入", problems);
    cs.items = std::move(items);
    return db.save_change_set(cs, {0, "", actor, "", "changeset.import", "", "",
                                   origin + "：" + cs.name + "，" + store::kind_zh(cs.kind) + "，生效 " + cs.effective_date + "，" +
                                       std::to_string(cs.items.size()) + " 项，重建为草稿"});
}

std::vector<AdjustmentFinding> check_adjustment(const store::PlanDatabase& db, const ChangeSet& cs) {
    std::vector<AdjustmentFinding> out;
    auto at = db.snapshot_at(cs.effective_date);
    nlohmann::json rules = nlohmann::json::object();
    if (auto text = at->package_file("rules.json")) rules = nlohmann::json::parse(*text, nullptr, false);
    const nlohmann::json settings = rules.is_object() ? rules.value("settings", nlohmann::json::object()) : nlohmann::json::object();
    const nlohmann::json adj = settings.value("adjustment", nlohmann::json::object());

    // At most `limit` concentrated adjustments a year; a 规划修改 follows its own procedure.
    if (cs.kind == store::kAdjustment) {
        const nlohmann::json per_year = adj.value("per_year", nlohmann::json::object());
        const int limit = per_year.value("limit", 1);
        std::vector<std::string> others;
        for (const auto& s : db.change_sets())
            if (s.id != cs.id && s.kind == store::kAdjustment && s.year == cs.year &&
                (s.state == store::kApproved || s.state == store::kSubmitted))
                others.push_back(std::to_string(s.id) + "「" + s.name + "」");
        if (static_cast<int>(others.size()) >= limit) {
            std::string list;
            for (const auto& o : others) list += (list.empty() ? "" : "、") + o;
            out.push_back({"per_year", "批次 " + std::to_string(cs.id),
                           std::to_string(cs.year) + " 年已有集中调整批次 " + list + "；每年集中调整 " + std::to_string(limit) +
                               " 次，确需再调整的请标为规划修改（--kind amendment）并按程序报批",
                           citation_text(per_year.value("citation", nlohmann::json())), true});
        }
    }

    // New and modified blocks: clear of the control lines (the review's own no_overlap rules, by id), and
    // not overlapping another block of the same layer.
    std::set<std::string> block_layers;
    for (const auto& l : adj.value("block_layers", nlohmann::json::array())) block_layers.insert(l.get<std::string>());
    std::vector<nlohmann::json> control_rules;
    std::set<std::string> wanted;
    for (const auto& r : adj.value("control_rules", nlohmann::json::array())) wanted.insert(r.get<std::string>());
    if (rules.is_object())
        for (const auto& r : rules.value("rules", nlohmann::json::array()))
            if (wanted.count(r.value("id", ""))) control_rules.push_back(r);
    const double min_overlap_km2 = settings.value("min_overlap_m2", 1.0) / 1e6;
    std::set<std::pair<std::string, std::string>> changed;
    for (const auto& item : cs.items) changed.insert({item.layer, item.key});

    for (const auto& item : cs.items) {
        if (item.action == ChangeAction::Retire || !block_layers.count(item.layer) || item.feature.wkb.empty()) continue;
        const TableSchema& s = at->schema(item.layer);
        auto block = geo::Geometry::from_wkb(item.feature.wkb);
        const bool block_schematic = item.feature.text(kGeometrySourceField) == kSchematic;
        auto e = block.envelope();
        store::BBox box{e.min_x, e.min_y, e.max_x, e.max_y};
        auto overlap = [&](const Feature& other) -> double {
            if (other.wkb.empty()) return 0;
            auto g = geo::Geometry::from_wkb(other.wkb);
            if (!g.intersects(block)) return 0;
            return geo::ellipsoidal_area_km2(g.intersection(block));
        };
        auto add = [&](const std::string& rule, const std::string& what, double km2, const std::string& clause, bool schematic) {
            char area[32];
            std::snprintf(area, sizeof area, "%.4f", km2);
            out.push_back({rule, item_label(item), s.name_zh + " " + item.key + " 与" + what + "重叠 " + area + " km²" +
                                                       (schematic ? "（示意几何，仅供提示，不作判定）" : ""),
                           clause, !schematic});
        };
        for (const auto& rule : control_rules) {
            const auto params = rule.value("parameters", nlohmann::json::object());
            for (const auto& src : params.value("sources", nlohmann::json::array())) {
                const std::string layer = src.value("layer", "");
                std::set<std::string> values;
                for (const auto& v : src.value("values", nlohmann::json::array())) values.insert(v.get<std::string>());
                const std::string field = src.value("field", "");
                std::vector<Feature> near;
                try {
                    near = at->features_in(layer, box);
                } catch (const NotFoundError&) {
                    continue;  // the plan has no such layer
                }
                for (const auto& f : near) {
                    if (!field.empty() && !values.empty() && !values.count(f.text(field))) continue;
                    double km2 = overlap(f);
                    if (km2 < min_overlap_km2) continue;
                    add("control_lines", src.value("label_zh", layer) + (f.text("name_zh").empty() ? "" : "「" + f.text("name_zh") + "」"),
                        km2, rule.value("id", "") + " " + rule.value("title_zh", "") + "；" + citation_text(rule.value("citation", nlohmann::json())),
                        block_schematic || f.text(kGeometrySourceField) == kSchematic);
                }
            }
        }
        for (const auto& f : at->features_in(s.id, box)) {
            const std::string other = f.text(s.fields.front().name);
            if (other == item.key || changed.count({s.id, other})) continue;  // itself, or changed by this set too
            double km2 = overlap(f);
            if (km2 < min_overlap_km2) continue;
            add("same_kind_overlap", "同类区块 " + other, km2,
                citation_text(adj.value("same_kind_overlap", nlohmann::json::object()).value("citation", nlohmann::json())),
                block_schematic || f.text(kGeometrySourceField) == kSchematic);
        }
        // Blocks added by this set must not overlap each other either.
        for (const auto& other : cs.items) {
            if (other.seq == item.seq || other.layer != item.layer || other.action == ChangeAction::Retire || other.seq < item.seq ||
                other.feature.wkb.empty())
                continue;
            double km2 = overlap(other.feature);
            if (km2 < min_overlap_km2) continue;
            add("same_kind_overlap", "本批次同类区块 " + other.key, km2,
                citation_text(adj.value("same_kind_overlap", nlohmann::json::object()).value("citation", nlohmann::json())),
                block_schematic || other.feature.text(kGeometrySourceField) == kSchematic);
        }
    }
    // Zone quotas (专栏12/13) and extraction caps after the set (services/adjustment_quotas.hpp).
    if (rules.is_object()) {
        for (auto& f : detail::zone_quota_findings(*at, rules, cs)) out.push_back(std::move(f));
        for (auto& f : detail::extraction_cap_findings(*at, rules, cs)) out.push_back(std::move(f));
    }
    return out;
}

std::vector<AdjustmentFinding> submit_change_set(store::PlanDatabase& db, std::int64_t id, const std::string& actor,
                                                 const std::string& client) {
    ChangeSet cs = load(db, id);
    if (cs.items.empty()) throw InputError("调整批次 " + std::to_string(id) + " 没有变更项，不能提交 / nothing to submit");
    throw_problems("调整批次 " + std::to_string(id) + " 的变更有误", [&] {
        ChangeSet empty = cs;
        empty.items.clear();
        return item_problems(db, empty, cs.items);
    }());
    auto findings = check_adjustment(db, cs);
    for (const auto& f : findings)
        if (f.blocking) return findings;
    db.set_change_set_state(id, cs.state == store::kRejected ? store::kRejected : store::kDraft, store::kSubmitted, "",
                            {0, "", actor, client, "changeset.submit", "调整批次 " + std::to_string(id), store::state_zh(cs.state),
                             store::state_zh(store::kSubmitted)});
    return findings;
}

std::int64_t approve_change_set(store::PlanDatabase& db, std::int64_t id, const std::string& actor, bool may_approve) {
    Approval a;
    a.may_approve = may_approve;
    return approve_change_set(db, id, actor, a);
}

std::int64_t approve_change_set(store::PlanDatabase& db, std::int64_t id, const std::string& actor, const Approval& approval) {
    if (!approval.may_approve) throw InputError("批准调整批次需要规划员或管理员角色 / approval needs the planner role or higher");
    ChangeSet cs = load(db, id);
    if (cs.state != store::kSubmitted)
        throw InputError("调整批次 " + std::to_string(id) + " 状态为" + store::state_zh(cs.state) + "，只有已提交的批次可以批准 / only a submitted set");
    {
        ChangeSet empty = cs;
        empty.items.clear();
        throw_problems("调整批次 " + std::to_string(id) + " 不能批准", item_problems(db, empty, cs.items));
    }
    // The plan as the set would leave it passes the quality check, or the approver says why it goes ahead.
    if (approval.force && approval.force_reason.find_first_not_of(" \t\r\n") == std::string::npos)
        throw InputError("强制批准（--force）须说明理由（--reason）/ forcing an approval needs a reason");
    const auto checked = qc_change_set(db, cs);
    const bool qc_errors = checked.report.has_errors();
    if (qc_errors && !approval.force) {
        try {
            qc::gate(checked.report, "changeset approve " + std::to_string(id), false);
        } catch (const ProblemsError& e) {  // the gate's list, with what an approver can do about it
            throw ProblemsError("调整批次 " + std::to_string(id) + " 生效后的规划质检发现 " +
                                    std::to_string(checked.report.count(qc::Severity::Error)) +
                                    " 处错误，未批准；请退回修正，或说明理由后强制批准（--force --reason，API {force, reason}，记入审计记录）"
                                    "/ the quality check found errors, not approved:",
                                e.problems(), e.total());
        }
    }
    const std::string qc_text = qc_note(checked.report, qc_errors && approval.force, approval.force_reason);
    auto head = db.snapshot_at(kHead);
    std::map<std::string, std::vector<Feature>> adds;
    std::map<std::string, std::vector<std::int64_t>> retires;
    for (const auto& item : cs.items) {
        const TableSchema& s = head->schema(item.layer);
        if (item.action != ChangeAction::Add) {
            auto row = head_row(*head, s, item.key);
            if (!row) throw InputError(item_label(item) + "：没有有效的 " + item.key + " / no such feature");
            retires[s.id].push_back(row->fid);
        }
        if (item.action != ChangeAction::Retire) adds[s.id].push_back(item.feature);
    }
    std::vector<std::unique_ptr<store::StagedLayer>> staged;
    for (const auto& [layer, rows] : adds) staged.push_back(db.stage(head->schema(layer), rows));
    auto tx = db.begin_plan();
    tx->set_actor(actor);
    tx->set_effect(cs.effective_date, id);
    for (const auto& [layer, fids] : retires) tx->retire(head->schema(layer), fids);
    for (auto& s : staged) tx->swap_in(*s, store::SwapMode::Append);
    tx->approve_change_set(id, actor);
    tx->audit({0, "", actor, approval.client, "changeset.approve", "调整批次 " + std::to_string(id) + "「" + cs.name + "」",
               store::state_zh(cs.state),
               store::state_zh(store::kApproved) + "，" + std::to_string(cs.items.size()) + " 项，生效 " + cs.effective_date + "；" + qc_text});
    const std::int64_t version = tx->commit();
    plan::refresh_qgis_assets(db);  // the QGIS metadata's version and date follow the plan
    return version;
}

void reject_change_set(store::PlanDatabase& db, std::int64_t id, const std::string& actor, const std::string& note) {
    reject_change_set(db, id, actor, note, "");
}

void reject_change_set(store::PlanDatabase& db, std::int64_t id, const std::string& actor, const std::string& note,
                       const std::string& client) {
    db.set_change_set_state(id, store::kSubmitted, store::kRejected, note,
                            {0, "", actor, client, "changeset.reject", "调整批次 " + std::to_string(id), store::state_zh(store::kSubmitted),
                             store::state_zh(store::kRejected) + (note.empty() ? "" : "：" + note)});
}

}  // namespace minplan::services
