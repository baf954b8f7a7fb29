// RP6: the zone quotas of the plan (专栏12 重点勘查区 / 专栏13 重点开采区 "拟设…数量") against what the year's
// release plan, the plans already stored for other years of the period and the rights granted since the
// period began would use. The figures are the plan's data (planned_rights_count of the zone layers); a zone
// without one, or drawn schematically, is 需人工核查 — never a silent pass.
#include "services/release_quota.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "core/schema.hpp"
#include "geo/crs.hpp"
#include "geo/geometry.hpp"

namespace minplan::services {
namespace {

constexpr double kMinOverlapKm2 = 1e-6;  // 1 m²: below, two polygons only touch

struct ZoneLayer {
    const char* zones;
    const char* blocks;
    ReleaseKind kind;
    const char* right_kind;
    const char* name_zh;
};
// The plan model's pairs: key exploration zones hold exploration blocks, key mining zones mining blocks.
const ZoneLayer kZoneLayers[] = {
    {"key_exploration_zones", "exploration_blocks", ReleaseKind::Exploration, "exploration", "重点勘查区拟设探矿权数"},
    {"key_mining_zones", "mining_blocks", ReleaseKind::Mining, "mining", "重点开采区拟设采矿权数"},
};

std::optional<geo::Geometry> geometry_of(const Feature& f) {
    if (f.wkb.empty()) return std::nullopt;
    auto g = geo::Geometry::from_wkb(f.wkb);
    if (g.is_empty()) return std::nullopt;
    return g;
}

bool schematic(const Feature& f) { return f.text(kGeometrySourceField) == kSchematic; }

bool overlaps(const geo::Geometry& a, const geo::Geometry& b) {
    return a.intersects(b) && geo::ellipsoidal_area_km2(a.intersection(b)) > kMinOverlapKm2;
}

bool has_layer(const store::PlanStore& store, const std::string& id) {
    for (const auto& l : store.layers())
        if (l.id == id) return true;
    return false;
}

bool same_mineral(const standards::MineralNames& names, const std::string& zone_minerals, const std::string& mineral) {
    const auto zone = names.names_in(zone_minerals);
    if (zone.empty()) return true;  // the zone names no mineral: every release in it counts
    for (const auto& m : names.names_in(mineral))
        if (zone.count(m)) return true;
    return false;
}

}  // namespace

std::vector<ReleaseFinding> check_release_quotas(const QuotaInputs& in) {
    std::vector<ReleaseFinding> out;
    const auto& store = in.store;
    for (const ZoneLayer& zl : kZoneLayers) {
        if (!has_layer(store, zl.zones) || !has_layer(store, zl.blocks)) continue;
        // The blocks released (this year's plan, rows; other stored years, counted) by id.
        std::vector<const ReleaseEntry*> current;
        for (const auto& e : in.plan.entries)
            if (e.kind == zl.kind) current.push_back(&e);
        if (current.empty()) continue;
        std::map<std::string, std::optional<Feature>> blocks;
        auto block = [&](const std::string& id) -> const std::optional<Feature>& {
            auto it = blocks.find(id);
            if (it != blocks.end()) return it->second;
            store::Query q;
            q.filters.push_back({"block_id", "=", id});
            auto rows = store.read(zl.blocks, q);
            return blocks[id] = rows.empty() ? std::nullopt : std::optional<Feature>(std::move(rows.front()));
        };
        for (const Feature& zone : store.read(zl.zones)) {
            auto zg = geometry_of(zone);
            if (!zg) continue;
            bool drawn_schematic = schematic(zone);
            const std::string zone_minerals = zone.text("minerals").empty() ? zone.text("mineral") : zone.text("minerals");
            auto in_zone = [&](const std::string& block_id, const std::string& mineral) {
                const auto& b = block(block_id);
                if (!b || !same_mineral(in.names, zone_minerals, mineral)) return false;
                auto bg = geometry_of(*b);
                if (bg && overlaps(*zg, *bg)) {
                    drawn_schematic = drawn_schematic || schematic(*b);
                    return true;
                }
                // Apart on schematic geometry (or no geometry) says nothing: counted as possibly inside, and the
                // zone's verdict is left to a person.
                if (!bg || schematic(zone) || schematic(*b)) {
                    drawn_schematic = true;
                    return true;
                }
                return false;
            };
            std::vector<const ReleaseEntry*> rows;
            for (const auto* e : current)
                if (in_zone(e->block_id, e->mineral)) rows.push_back(e);
            if (rows.empty()) continue;  // this year's plan releases nothing in the zone
            int earlier = 0;
            std::vector<int> earlier_years;
            for (const auto& p : in.stored)
                if (p.year != in.plan.year && p.year >= in.first_year && p.year <= in.last_year)
                    for (const auto& e : p.entries)
                        if (e.kind == zl.kind && in_zone(e.block_id, e.mineral)) {
                            ++earlier;
                            if (std::find(earlier_years.begin(), earlier_years.end(), p.year) == earlier_years.end()) earlier_years.push_back(p.year);
                        }
            // Rights granted since the period began use the quota too (the plan's 已设 figure is the base year's).
            int granted = 0;
            const std::string period_start = fmt::format("{:04}-01-01", in.first_year);
            const auto env = zg->envelope();
            for (const Feature& r : store.features_in(in.rights_layer, {env.min_x, env.min_y, env.max_x, env.max_y})) {
                if (r.text("kind") != zl.right_kind || r.text("valid_from") < period_start) continue;
                if (!same_mineral(in.names, zone_minerals, r.text("mineral"))) continue;
                auto rg = geometry_of(r);
                if (!rg || !overlaps(*zg, *rg)) continue;
                drawn_schematic = drawn_schematic || schematic(r);
                ++granted;
            }
            std::string row_list;
            for (const auto* e : rows) row_list += (row_list.empty() ? "第" : "、") + std::to_string(e->row);
            row_list += "行";
            const int total = static_cast<int>(rows.size()) + earlier + granted;
            std::string years;
            for (int y : earlier_years) years += (years.empty() ? "" : "、") + std::to_string(y);
            const std::string tally = fmt::format("本计划{}（{}个）+ 已入库投放计划{}个{} + 规划期内已设矿业权{}个 = {}个", row_list, rows.size(), earlier,
                                                  years.empty() ? "" : "（" + years + "年）", granted, total);
            const auto planned = as_number(zone.get("planned_rights_count"));
            ReleaseFinding f{rows.front()->row, zone.text("zone_id"), "RP6", ReleaseVerdict::Manual, "", in.clause_zh};
            const std::string zone_name = "“" + zone.text("name") + "”";
            if (!planned)
                f.message_zh = fmt::format("{}：规划未给出{}，{}，需人工核查", zone_name, zl.name_zh, tally);
            else if (drawn_schematic)
                f.message_zh = fmt::format("示意几何，不能据此判定区块是否位于{}（同矿种区块均按可能位于计）：{}，规划{}{}个，需人工核查", zone_name, tally, zl.name_zh, *planned);
            else if (total > *planned) {
                f.verdict = ReleaseVerdict::Fail;
                f.message_zh = fmt::format("{}：{}，超过规划{}{}个", zone_name, tally, zl.name_zh, *planned);
            } else {
                f.verdict = ReleaseVerdict::Pass;
                f.message_zh = fmt::format("{}：{}，未超过规划{}{}个", zone_name, tally, zl.name_zh, *planned);
            }
            if (in.clause_zh.empty() && f.verdict == ReleaseVerdict::Fail) {
                f.verdict = ReleaseVerdict::Manual;  // no clause in the plan's data: not a veto
                f.message_zh += "（规划数据未给出该项依据条款，需人工核查）";
            }
            out.push_back(std::move(f));
        }
    }
    // The extraction totals (开采总量调控, ch. 4 caps) with the capacity each mining release would add.
    for (auto& f : check_release_caps(in)) out.push_back(std::move(f));
    return out;
}

}  // namespace minplan::services
