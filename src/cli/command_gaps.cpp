// `minplan gaps`: corner and gap resources (边角、夹缝资源) inside mining blocks or deposit outlines.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <ostream>

#include "cli/command.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"
#include "rules/rule_set.hpp"
#include "services/gaps.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

class GapsCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--within", within_, "查找范围图层：开采规划区块或导入的矿床范围 / container layer")->default_val("mining_blocks");
        sub.add_option("--rights", rights_, "矿业权图层 / mineral-rights layer")->default_val("mineral_rights");
        sub.add_option("--min-area-km2", min_area_, "小于此面积不能独立设置采矿权（平方公里；覆盖规划设置）/ minimum independent area");
        sub.add_option("--max-width-m", max_width_, "窄于此宽度不能独立设置采矿权（米；覆盖规划设置）/ minimum independent width");
        sub.add_option("--adjacency-m", adjacency_, "与采矿权相距不超过此距离视为相邻（米）/ adjacency tolerance");
        sub.add_option("--bbox", bbox_, "只查与此范围相交的区块：最小经度,最小纬度,最大经度,最大纬度");
        sub.add_option("--xlsx", xlsx_, "写出清单 XLSX / write the list as XLSX");
        sub.add_option("--geojson", geojson_, "写出 GeoJSON（EPSG:4490，可在QGIS中打开）/ write GeoJSON");
    }
    int run(Context& ctx) override {
        auto store = store::open_store(resolve_db(ctx));
        services::GapParams p = services::GapParams::from_settings(rules::RuleSet::from_store(*store).settings);
        p.within_layer = within_;
        p.rights_layer = rights_;
        p.override_with(min_area_, max_width_, adjacency_, "命令行参数", "--");
        if (!bbox_.empty()) p.bbox = store::parse_bbox(bbox_);
        const auto report = services::find_gaps(*store, p);
        const auto table = services::gaps_table(report);
        if (!xlsx_.empty()) formats::write_xlsx(xlsx_, {table});
        if (!geojson_.empty()) {
            std::ofstream out(geojson_, std::ios::binary);
            out << services::gaps_geojson(report).dump(1) << "\n";
            if (!out) throw IoError("无法写出 " + geojson_ + " / cannot write");
        }
        if (ctx.json) {
            ctx.out << services::gaps_geojson(report).dump(1) << "\n";
            return 0;
        }
        ctx.out << table.title << "（范围图层 " << p.within_layer << "，共 " << report.containers << " 个）\n";
        if (report.gaps.empty()) ctx.out << "未发现与同矿种采矿权相邻的未设权部分。\n";
        else {
            TextTable t({"序号", "所在区块", "矿种", "结论", "平面面积(km²)", "椭球面积(km²)", "宽度(m)", "相邻采矿权", "相邻矿业权人", "出让方式"});
            for (const auto& row : table.rows)
                t.add({row[0].text, row[1].text, row[3].text, row[4].text, row[5].text, row[6].text, row[7].text, row[8].text, row[9].text, row[10].text});
            t.print(ctx.out);
        }
        for (const auto& n : table.notes) ctx.out << n << "\n";
        return 0;
    }

private:
    std::string within_, rights_, bbox_, xlsx_, geojson_;
    std::optional<double> min_area_, max_width_, adjacency_;
};

}  // namespace

std::unique_ptr<Command> make_gaps() { return std::make_unique<GapsCommand>(); }

}  // namespace minplan::cli
