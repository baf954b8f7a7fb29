// minplan geoenv sites|open|overdue|change|register|campaigns|projects|zones|history|template: mine geo-environment supervision and the
// green-mine register (services/geoenv). Data come in through `minplan import` (GeoPackage, Shapefile,
// GeoJSON, XLSX) and are checked there; these verbs only read.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <ostream>

#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"
#include "services/geoenv/green_map.hpp"
#include "services/geoenv/indicators.hpp"
#include "services/geoenv/register.hpp"
#include "services/geoenv/views.hpp"
#include "store/history.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

namespace ge = services::geoenv;

std::string ha(double v) { return format_number(v, 2); }

void print_table(std::ostream& out, const TableView& t) {
    out << t.title << "\n";
    TextTable x(t.headers);
    for (const auto& row : t.rows) {
        std::vector<std::string> cells;
        for (const auto& c : row) cells.push_back(c.text);
        x.add(cells);
    }
    x.print(out);
    for (const auto& n : t.notes) out << n << "\n";
}

// The layers a bureau fills in a workbook (attribute tables): one sheet each, Chinese headers as the
// import matches them (the schema's aliases).
TableView template_sheet(const store::PlanStore& store, const std::string& layer, const std::string& sheet) {
    TableView t;
    t.sheet_name = sheet;
    for (const auto& f : store.schema(layer).fields) t.headers.push_back(f.alias_zh);
    return t;
}

class GeoenvCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.require_subcommand(1);
        sites_ = sub.add_subcommand("sites", "问题图斑及治理责任主体（按第五章治理责任划分）/ problem sites and who must restore them");
        open_ = sub.add_subcommand("open", "未治理图斑：按行政区或责任单位 / open sites per county or holder");
        open_->add_option("--by", by_, "county（行政区，默认）或 holder（责任单位）")->check(CLI::IsMember({"county", "holder"}));
        open_->add_option("--date", date_, "统计日期 YYYY-MM-DD（默认今天）/ as of this date");
        overdue_ = sub.add_subcommand("overdue", "逾期未完工的治理工程 / projects past their due year");
        overdue_->add_option("--year", year_, "年度（计划完成年度早于该年且未完工即逾期；默认今年）/ year");
        change_ = sub.add_subcommand("change", "两期遥感监测之间扩大的图斑与矿山 / sites grown between two campaigns");
        change_->add_option("from", from_, "前一期监测批次编号 / earlier campaign")->required();
        change_->add_option("to", to_, "后一期监测批次编号 / later campaign")->required();
        change_->add_option("--min-growth-ha", min_growth_, "视为扩大的最小新增面积（公顷，默认 0.01）/ growth threshold");
        register_ = sub.add_subcommand("register", "绿色矿山名录（某日状态、各级数量）/ the green-mine register on a date");
        register_->add_option("--date", date_, "日期 YYYY-MM-DD（默认今天）/ as of this date");
        register_->add_option("--out", out_, "另存为 XLSX / also write an XLSX workbook");
        campaigns_ = sub.add_subcommand("campaigns", "遥感监测批次及其发现的图斑 / campaigns and the sites each found");
        projects_ = sub.add_subcommand("projects", "治理工程：状态、计划与完成面积 / restoration projects and their progress");
        projects_->add_option("--year", year_, "完成面积统计至该年底（默认今年）/ completed area up to this year");
        zones_ = sub.add_subcommand("zones", "专栏15 治理分区进度 / restoration per zone");
        zones_->add_option("--year", year_, "统计至该年底（默认今年）/ up to this year");
        greenmap_ = sub.add_subcommand("greenmap", "绿色矿山名录落图：按采矿许可证号关联采矿权范围，或名录经纬度；其余列为未落图 / the register on the map");
        greenmap_->add_option("--date", date_, "日期 YYYY-MM-DD（默认今天）/ as of this date");
        greenmap_->add_option("--out", out_, "另存为 GeoJSON / also write the placed mines as GeoJSON");
        history_ = sub.add_subcommand("history", "绿色矿山名录全部状态变更记录 / every register event");
        template_ = sub.add_subcommand("template", "写出治理工程、年度进度、绿色矿山名录的 XLSX 模板 / write the XLSX template");
        template_->add_option("out", out_, "输出 .xlsx / output workbook")->required();
        sub.footer(
            "数据导入（全部成功或全部不写入，逐行检查分区、图斑、面积、日期与名录状态变更）：\n"
            "  minplan --db plan.gpkg import geoenv_sites 图斑.gpkg\n"
            "  minplan --db plan.gpkg import geoenv_projects 模板.xlsx --source-layer 治理工程\n"
            "  minplan --db plan.gpkg import geoenv_project_years 模板.xlsx --source-layer 治理工程年度进度\n"
            "  minplan --db plan.gpkg import geoenv_campaigns 2023覆盖范围.shp\n"
            "  minplan --db plan.gpkg import geoenv_findings 2023监测图斑.shp --append\n"
            "  minplan --db plan.gpkg import green_mine_register 模板.xlsx --source-layer 绿色矿山名录 --append\n"
            "指标（G01、GE1–GE3、T28）见 minplan monitor --year Y；格式见 docs/geoenv.md。");
    }

    int run(Context& ctx) override {
        auto store = store::open_store_at(resolve_db(ctx), ctx.as_of);
        if (template_->parsed()) {
            formats::write_xlsx(out_, {template_sheet(*store, ge::kProjects, "治理工程"),
                                       template_sheet(*store, ge::kProjectYears, "治理工程年度进度"),
                                       template_sheet(*store, ge::kRegister, "绿色矿山名录")});
            ctx.out << "已写出模板 " << out_ << "\n";
            return 0;
        }
        const ge::Data d = ge::load(*store);
        const std::string date = date_.empty() ? store::today() : store::parse_date(date_, "--date");
        if (sites_->parsed()) return sites(ctx, d);
        if (open_->parsed()) return open(ctx, d, date);
        if (overdue_->parsed()) return overdue(ctx, d, year_ ? year_ : std::stoi(store::today().substr(0, 4)));
        if (change_->parsed()) return change(ctx, d);
        if (greenmap_->parsed()) return greenmap(ctx, d, date);
        if (campaigns_->parsed() || projects_->parsed() || zones_->parsed() || history_->parsed()) return portal_view(ctx, d);
        return registry(ctx, d, date);
    }

private:
    // The API's answer (GET /api/geoenv?view=…), from the one service.
    int json_view(Context& ctx, const ge::Data& d, const std::string& view) {
        ge::ViewRequest r{view, by_, date_, from_, to_, year_, min_growth_};
        ctx.out << ge::view_json(d, r).dump(1) << "\n";
        return 0;
    }

    int sites(Context& ctx, const ge::Data& d) {
        if (ctx.json) return json_view(ctx, d, "sites");
        TextTable t({"图斑编号", "类型", "面积（公顷）", "行政区", "矿山", "矿山状态", "形成日期", "治理完成", "责任主体", "判定依据"});
        for (const auto& s : d.sites)
            t.add({s.id, s.kind, ha(s.area_ha), s.county, s.mine_name.empty() ? s.mine_id : s.mine_name, s.mine_state, s.formed,
                   s.restored, s.party.empty() ? "需人工核查" : s.party, s.party_rule});
        t.print(ctx.out);
        if (!d.settings.cutoff_note_zh.empty()) ctx.out << d.settings.cutoff_note_zh << "\n";
        return 0;
    }

    int open(Context& ctx, const ge::Data& d, const std::string& date) {
        if (ctx.json) return json_view(ctx, d, "open");
        auto groups = by_ == "holder" ? ge::open_by_holder(d, date) : ge::open_by_county(d, date);
        ctx.out << "未治理的矿山地质环境问题图斑（" << date << "，按" << (by_ == "holder" ? "责任单位" : "行政区") << "）\n";
        TextTable t({by_ == "holder" ? "责任单位" : "行政区", "责任主体", "图斑数", "面积（公顷）", "图斑"});
        for (const auto& g : groups) {
            std::string list;
            for (const auto& s : g.sites) list += (list.empty() ? "" : "、") + s;
            t.add({g.key, g.party.empty() ? "需人工核查" : g.party, std::to_string(g.sites.size()), ha(g.area_ha), list});
        }
        t.print(ctx.out);
        return 0;
    }

    int overdue(Context& ctx, const ge::Data& d, int year) {
        if (ctx.json) return json_view(ctx, d, "overdue");
        auto list = ge::overdue_projects(d, year);
        ctx.out << "逾期治理工程（计划完成年度早于 " << year << " 年且未完工）\n";
        TextTable t({"工程编号", "工程名称", "分区", "状态", "计划完成", "逾期（年）", "计划面积", "已完成面积", "实施单位"});
        for (const auto& o : list)
            t.add({o.project->id, o.project->name, o.project->zone_id, o.project->state, std::to_string(*o.project->due_year),
                   std::to_string(o.years_late), ha(o.planned_ha), ha(o.completed_ha), o.project->holder});
        t.print(ctx.out);
        return 0;
    }

    int change(Context& ctx, const ge::Data& d) {
        if (ctx.json) return json_view(ctx, d, "change");
        auto r = ge::change_detection(d, from_, to_, min_growth_);
        ctx.out << "遥感监测图斑变化：" << from_ << " → " << to_ << "（面积为 CGCS2000 椭球面积）\n";
        TextTable t({"图斑编号", "矿山", "责任主体", "前期面积", "后期面积", "新增", "减少", "说明"});
        for (const auto& c : r.sites)
            t.add({c.site ? c.site->id : "", c.site ? (c.site->mine_name.empty() ? c.site->mine_id : c.site->mine_name) : "",
                   c.site && !c.site->party.empty() ? c.site->party : "需人工核查", ha(c.before_ha), ha(c.after_ha), ha(c.grown_ha),
                   ha(c.shrunk_ha), c.is_new ? "前期未发现" : (c.grown_ha >= min_growth_ ? "扩大" : "")});
        t.print(ctx.out);
        std::string mines;
        for (const auto& m : r.grown_mines) mines += (mines.empty() ? "" : "、") + m;
        ctx.out << "图斑扩大的矿山：" << (mines.empty() ? "无" : mines) << "\n";
        return 0;
    }

    // The views of the portal's geo-environment page: JSON as served, or the same values as a table.
    int portal_view(Context& ctx, const ge::Data& d) {
        const std::string view = campaigns_->parsed() ? "campaigns" : projects_->parsed() ? "projects" : zones_->parsed() ? "zones" : "history";
        if (ctx.json) return json_view(ctx, d, view);
        const int year = year_ ? year_ : std::stoi(store::today().substr(0, 4));
        if (view == "zones") {
            print_table(ctx.out, ge::zone_progress_table(d, year));
            return 0;
        }
        if (view == "projects") {
            TextTable t({"工程编号", "工程名称", "分区", "类别", "资金来源", "状态", "计划面积", "完成面积（至" + std::to_string(year) + "年）"});
            for (const auto& p : d.projects)
                t.add({p.id, p.name, p.zone_id, p.category, p.funding, p.state, ha(p.planned_total()), ha(p.completed_until(year))});
            t.print(ctx.out);
            return 0;
        }
        if (view == "campaigns") {
            TextTable t({"监测批次", "年度", "覆盖面积（平方公里）", "发现图斑"});
            const nlohmann::json all = ge::campaigns_json(d);
            for (const auto& c : all["campaigns"]) {
                std::string ids;
                for (const auto& f : c["findings"]) ids += (ids.empty() ? "" : "、") + f["site_id"].get<std::string>();
                t.add({c["campaign_id"].get<std::string>(), std::to_string(c["year"].get<int>()), ha(c["coverage_km2"].get<double>()), ids});
            }
            t.print(ctx.out);
            return 0;
        }
        TextTable t({"矿山名称", "矿山编号", "日期", "状态", "级别", "第三方评估机构", "评估结论", "备注"});
        for (const auto& e : d.register_events) t.add({e.mine_name, e.mine_id, e.date, e.state, e.level, e.assessor, e.assessment, e.note});
        t.print(ctx.out);
        return 0;
    }

    int greenmap(Context& ctx, const ge::Data& d, const std::string& date) {
        const auto m = ge::green_mine_map(d, date);
        if (!out_.empty()) std::ofstream(out_) << ge::to_geojson(m).dump() << "\n";
        if (ctx.json) return json_view(ctx, d, "greenmap");
        ctx.out << "绿色矿山名录落图（" << date << "）：落图 " << m.placed.size() << " 座，未落图 " << m.unplaced.size() << " 座\n";
        TextTable t({"矿山名称", "状态", "级别", "采矿许可证号", "落图方式", "说明"});
        for (const auto& p : m.placed)
            t.add({p.state.mine_name, p.state.state, p.state.level, p.state.licence_no,
                   p.placed_by == "rights" ? "采矿权范围（" + p.right_ids + "）" : "名录经纬度", p.reason_zh});
        for (const auto& p : m.unplaced)
            t.add({p.state.mine_name, p.state.state, p.state.level, p.state.licence_no, "未落图", p.reason_zh});
        t.print(ctx.out);
        return 0;
    }

    int registry(Context& ctx, const ge::Data& d, const std::string& date) {
        auto table = ge::register_table(d, date);
        if (!out_.empty()) formats::write_xlsx(out_, {table});
        if (ctx.json) return json_view(ctx, d, "register");
        print_table(ctx.out, table);
        if (!out_.empty()) ctx.out << "已写出 " << out_ << "\n";
        return 0;
    }

    CLI::App *sites_ = nullptr, *open_ = nullptr, *overdue_ = nullptr, *change_ = nullptr, *register_ = nullptr,
             *template_ = nullptr, *campaigns_ = nullptr, *projects_ = nullptr, *zones_ = nullptr, *history_ = nullptr, *greenmap_ = nullptr;
    std::string by_ = "county", date_, from_, to_, out_;
    int year_ = 0;
    double min_growth_ = 0.01;
};

}  // namespace

std::unique_ptr<Command> make_geoenv() { return std::make_unique<GeoenvCommand>(); }

}  // namespace minplan::cli
