#include "services/geoenv/check_import.hpp"

#include <functional>
#include <memory>
#include <set>

#include "core/error.hpp"
#include "services/geoenv/geoenv.hpp"
#include "services/geoenv/register.hpp"
#include "store/history.hpp"

namespace minplan::services::geoenv {
namespace {

// "第3条（图斑编号 S3）": the row as the import counts it (1-based, in file order) and its identifier.
std::string row_name(const TableSchema& t, std::size_t i, const Feature& f, const std::string& id_field) {
    const FieldDef* fd = t.field(id_field);
    return t.name_zh + " 第" + std::to_string(i + 1) + "条（" + (fd ? fd->alias_zh : id_field) + " " + f.text(id_field) + "）";
}

std::string num(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.2f", v);
    return b;
}

bool is_geoenv_layer(const std::string& id) {
    static const std::set<std::string> ours = {kSites, kProjects, kProjectYears, kCampaigns, kFindings, kRegister};
    return ours.count(id) > 0;
}

class GeoenvImportCheck final : public store::ImportCheck {
public:
    GeoenvImportCheck(TableSchema target, bool append, std::unique_ptr<store::ImportCheck> next)
        : target_(std::move(target)), append_(append), next_(std::move(next)) {}
    void add(const store::PlanStore& snapshot, const std::vector<Feature>& rows) override {
        rows_.insert(rows_.end(), rows.begin(), rows.end());
        if (next_) next_->add(snapshot, rows);
    }
    std::vector<std::pair<std::string, std::string>> finish(const store::PlanStore& snapshot) override {
        check_import(snapshot, target_, rows_, append_);
        return next_ ? next_->finish(snapshot) : std::vector<std::pair<std::string, std::string>>{};
    }

private:
    TableSchema target_;
    bool append_;
    std::unique_ptr<store::ImportCheck> next_;
    std::vector<Feature> rows_;
};

}  // namespace

std::unique_ptr<store::ImportCheck> import_check(const TableSchema& target, bool append,
                                                 std::unique_ptr<store::ImportCheck> next) {
    if (!is_geoenv_layer(target.id)) return next;
    return std::make_unique<GeoenvImportCheck>(target, append, std::move(next));
}

void check_import(const store::PlanStore& snapshot, const TableSchema& target, const std::vector<Feature>& rows, bool append,
                  const std::string& today_in) {
    if (!is_geoenv_layer(target.id)) return;
    const std::string today = today_in.empty() ? store::today() : today_in;
    const Data d = load(snapshot);
    std::vector<std::string> problems;
    auto dup_check = [&](const std::string& field, std::size_t i, const Feature& f, std::set<std::string>& into) {
        if (!into.insert(f.text(field)).second)
            problems.push_back(row_name(target, i, f, field) + "：编号重复 / duplicate id");
    };

    if (target.id == kSites) {
        std::set<std::string> ids;
        if (append)
            for (const auto& s : d.sites) ids.insert(s.id);
        const auto parties = d.settings.parties();
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Feature& f = rows[i];
            const std::string row = row_name(target, i, f, "site_id");
            dup_check("site_id", i, f, ids);
            const std::string formed = f.text("formed_date"), restored = f.text("restored_date");
            if (formed > today)
                problems.push_back(row + "：形成日期 " + formed + " 晚于今天 " + today + "，应为已发生的日期 / formation date in the future");
            if (!restored.empty() && restored < formed)
                problems.push_back(row + "：治理完成日期 " + restored + " 早于形成日期 " + formed + " / restored before formed");
            if (!restored.empty() && restored > today)
                problems.push_back(row + "：治理完成日期 " + restored + " 晚于今天 " + today + " / restoration date in the future");
            const std::string party = f.text("responsibility");
            if (!party.empty()) {
                if (!parties.empty() && !parties.count(party)) {
                    std::string allowed;
                    for (const auto& p : parties) allowed += (allowed.empty() ? "" : "、") + p;
                    problems.push_back(row + "：治理责任主体“" + party + "”应为 " + allowed + " 之一 / unknown party");
                }
                if (f.text("override_reason").empty())
                    problems.push_back(row + "：人工调整治理责任主体须填写责任调整理由 / an override needs its reason");
            }
            if (f.wkb.empty() && is_null(f.get("area_ha")))
                problems.push_back(row + "：既无图斑范围也无面积，应至少有其一 / neither polygon nor area");
        }
    } else if (target.id == kProjects) {
        std::set<std::string> zones, ids;
        for (const auto& z : d.zones) zones.insert(z.id);
        if (append)
            for (const auto& p : d.projects) ids.insert(p.id);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Feature& f = rows[i];
            const std::string row = row_name(target, i, f, "project_id");
            dup_check("project_id", i, f, ids);
            const std::string zone = f.text("zone_id");
            if (!zone.empty() && !zones.count(zone))
                problems.push_back(row + "：治理分区编号 " + zone + " 不在规划的矿山地质环境治理分区（专栏15）中 / unknown zone");
            for (const auto& sid : split_site_ids(f.text("sites")))
                if (!d.site(sid))
                    problems.push_back(row + "：图斑编号 " + sid + " 不在矿山地质环境问题图斑图层中（请先导入图斑）/ unknown site");
            auto start = as_number(f.get("start_year")), due = as_number(f.get("due_year"));
            if (start && due && *due < *start)
                problems.push_back(row + "：计划完成年度 " + f.text("due_year") + " 早于开工年度 " + f.text("start_year") + " / due before start");
        }
    } else if (target.id == kProjectYears) {
        std::set<std::string> projects, seen;
        for (const auto& p : d.projects) projects.insert(p.id);
        if (append)
            for (const auto& p : d.projects)
                for (const auto& y : p.years) seen.insert(p.id + "\n" + std::to_string(y.year));
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Feature& f = rows[i];
            const std::string row = row_name(target, i, f, "project_id") + f.text("year") + "年";
            if (!projects.count(f.text("project_id")))
                problems.push_back(row + "：工程编号不在治理工程表中（请先导入治理工程）/ unknown project");
            if (!seen.insert(f.text("project_id") + "\n" + f.text("year")).second)
                problems.push_back(row + "：同一工程同一年度重复 / duplicate project and year");
            auto planned = as_number(f.get("planned_ha")), done = as_number(f.get("completed_ha"));
            if (planned && *planned < 0) problems.push_back(row + "：计划治理面积为负数 / negative area");
            if (done && *done < 0) problems.push_back(row + "：完成治理面积为负数 / negative area");
            if (planned && done && *done > *planned)
                problems.push_back(row + "：完成治理面积 " + num(*done) + " 公顷大于计划治理面积 " + num(*planned) +
                                   " 公顷，应不大于计划 / completed above planned");
        }
    } else if (target.id == kCampaigns) {
        std::set<std::string> ids;
        if (append)
            for (const auto& c : d.campaigns) ids.insert(c.id);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            dup_check("campaign_id", i, rows[i], ids);
            if (rows[i].wkb.empty())
                problems.push_back(row_name(target, i, rows[i], "campaign_id") + "：缺少覆盖范围多边形 / coverage polygon required");
        }
    } else if (target.id == kFindings) {
        std::set<std::string> campaigns;
        for (const auto& c : d.campaigns) campaigns.insert(c.id);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Feature& f = rows[i];
            const std::string row = row_name(target, i, f, "site_id");
            if (!campaigns.count(f.text("campaign_id")))
                problems.push_back(row + "：监测批次 " + f.text("campaign_id") + " 不在遥感监测覆盖范围图层中 / unknown campaign");
            if (!d.site(f.text("site_id")))
                problems.push_back(row + "：图斑编号不在矿山地质环境问题图斑图层中 / unknown site");
            if (f.wkb.empty()) problems.push_back(row + "：缺少监测图斑范围 / polygon required");
        }
    } else if (target.id == kRegister) {
        std::vector<RegisterEvent> events;
        std::vector<std::string> names;
        if (append)
            for (const auto& e : d.register_events) {
                events.push_back(e);
                names.push_back("名录已有记录（" + e.mine_name + " " + e.date + " " + e.state + "）");
            }
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Feature& f = rows[i];
            events.push_back({f.text("mine_name"), f.text("mine_id"), f.text("event_date"), f.text("state"), f.text("level"),
                              f.text("assessor"), f.text("assessment"), f.text("note"), f.text("source")});
            names.push_back(row_name(target, i, f, "mine_name") + " " + f.text("event_date"));
            if (f.text("event_date") > today)
                problems.push_back(names.back() + "：日期晚于今天 " + today + " / date in the future");
            // The mine's point, when given, is both coordinates on the earth (the map shows it as given).
            const auto lon = as_number(f.get("lon")), lat = as_number(f.get("lat"));
            if (lon.has_value() != lat.has_value())
                problems.push_back(names.back() + "：经度与纬度应同时填写或同时留空 / give both lon and lat, or neither");
            else if (lon && (*lon < -180 || *lon > 180 || *lat < -90 || *lat > 90))
                problems.push_back(names.back() + "：经纬度超出范围（经度 −180～180，纬度 −90～90，CGCS2000 度）/ lon/lat out of range");
        }
        auto more = register_problems(d.settings, events, names, append ? d.register_events.size() : 0);
        problems.insert(problems.end(), more.begin(), more.end());
    }
    if (!problems.empty())
        throw InputProblems(target.name_zh + "：导入数据有 " + std::to_string(problems.size()) +
                                " 处错误，未导入任何数据 / nothing imported:",
                            problems);
}

}  // namespace minplan::services::geoenv
