#include <CLI/CLI.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "store/plan_database.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "geo/geojson.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {

// "field<=value" etc.; exposed for tests.
store::AttributeFilter parse_filter(const std::string& text) {
    static const char* ops[] = {"<=", ">=", "!=", "~", "=", "<", ">"};
    for (const char* op : ops) {
        auto pos = text.find(op);
        if (pos == std::string::npos || pos == 0) continue;
        std::string o = op;
        std::string value = text.substr(pos + o.size());
        if (o == "~") return {text.substr(0, pos), "like", "%" + value + "%"};
        return {text.substr(0, pos), o, value};
    }
    throw InputError("过滤条件 \"" + text + "\" 应为 字段=值、字段>=值 或 字段~部分文字 / expected field=value");
}

namespace {

class QueryCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("layer", layer_, "图层（代码、内部名或中文名）/ layer")->required();
        sub.add_option("-w,--where", filters_, "属性条件，如 mineral=煤 或 name~石灰岩（可多次）/ attribute filter");
        sub.add_option("--bbox", bbox_, "范围 最小经度,最小纬度,最大经度,最大纬度 (EPSG:4490)");
        sub.add_option("--limit", limit_, "最多返回条数 / max features");
        sub.add_option("--offset", offset_, "跳过条数 / skip features");
    }
    int run(Context& ctx) override {
        auto store = store::open_store_at(resolve_db(ctx), ctx.as_of);
        const TableSchema& schema = store->schema(layer_);
        store::Query q;
        for (const auto& f : filters_) q.filters.push_back(parse_filter(f));
        if (!bbox_.empty()) q.bbox = store::parse_bbox(bbox_);
        q.limit = limit_;
        q.offset = offset_;
        auto features = store->read(layer_, q);
        if (ctx.json) {
            ctx.out << geo::features_to_geojson(schema, features).dump(1) << "\n";
            return 0;
        }
        std::vector<std::string> header;
        for (const auto& f : schema.fields) header.push_back(f.alias_zh.empty() ? f.name : f.alias_zh);
        TextTable t(header);
        for (const auto& feat : features) {
            std::vector<std::string> row;
            for (const auto& f : schema.fields) row.push_back(feat.text(f.name));
            t.add(row);
        }
        ctx.out << schema.name_zh << "（" << schema.code << "）共 " << features.size() << " 条";
        if (schema.spatial) ctx.out << "；几何来源见“几何来源”列（schematic = 示意几何，非真实位置）";
        ctx.out << "\n";
        t.print(ctx.out);
        return 0;
    }

private:
    std::string layer_, bbox_;
    std::vector<std::string> filters_;
    std::size_t limit_ = 0, offset_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_query() { return std::make_unique<QueryCommand>(); }

}  // namespace minplan::cli
