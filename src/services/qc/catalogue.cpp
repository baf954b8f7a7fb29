#include "services/qc/catalogue.hpp"

#include "core/error.hpp"

namespace minplan::services::qc {

const char* severity_zh(Severity s) {
    switch (s) {
        case Severity::Error: return "错误";
        case Severity::Warning: return "警告";
        case Severity::Hint: return "提示";
    }
    return "";
}

const char* severity_key(Severity s) {
    switch (s) {
        case Severity::Error: return "error";
        case Severity::Warning: return "warning";
        case Severity::Hint: return "hint";
    }
    return "";
}

Severity parse_severity(const std::string& text, const std::string& context) {
    for (Severity s : {Severity::Error, Severity::Warning, Severity::Hint})
        if (text == severity_zh(s) || text == severity_key(s)) return s;
    throw InputError(context + "：严重程度 \"" + text + "\" 应为 错误、警告 或 提示（error/warning/hint）/ unknown severity");
}

const char* category_zh(Category c) {
    switch (c) {
        case Category::Structure: return "结构";
        case Category::Attribute: return "属性";
        case Category::Geometry: return "图形";
        case Category::Topology: return "拓扑";
        case Category::Consistency: return "一致性";
    }
    return "";
}

namespace {

// Clauses: DZ/T 0226—2020 is known only by its table of contents (docs ../shared/docs/dzt0226-2020.md), so a
// check cites the clause whose subject it is; the rest cite the plan text or the MNR area rule.
const std::vector<CheckDef> kCatalogue = {
    {"plan_database", Category::Structure, Severity::Error, "数据库缺少规划元数据（规划编号、名称、规划期）：不是规划数据库或元数据已损坏", "DZ/T 0226—2020 4.1 数据库内容（元数据）", false},
    {"layer_missing", Category::Structure, Severity::Error, "规划要求的图层或表不存在或没有要素", "DZ/T 0226—2020 4.1 数据库内容", false},
    {"layer_crs", Category::Structure, Severity::Error, "图层坐标系与规划设置不符", "DZ/T 0226—2020（坐标系按规划设置，见 qc.json crs_epsg）", false},
    {"field_type", Category::Structure, Severity::Error, "图层模式的字段在数据库表中缺失或列类型不符", "DZ/T 0226—2020 5.1 空间要素（字段名称、类型）", false},
    {"field_code", Category::Structure, Severity::Hint, "字段代码不是不超过10个字符的大写ASCII（Shapefile/DBF 交换需要）", "DZ/T 0226—2020 5.1 空间要素；7 数据交换格式", false},
    {"code_mapping", Category::Structure, Severity::Hint, "图层代码未对应到 DZ/T 0226—2020 的代码（代码来源为 minplan 或部署）", "DZ/T 0226—2020 4.2 要素分类与编码", false},
    {"required_value", Category::Attribute, Severity::Error, "必填字段为空", "DZ/T 0226—2020 5.1 空间要素（图层模式的必填字段）", false},
    {"code_value", Category::Attribute, Severity::Error, "代码字段的值不在代码表中", "DZ/T 0226—2020 5.3 属性值代码", false},
    {"value_range", Category::Attribute, Severity::Error, "数值超出规划设定的范围", "qc.json ranges", false},
    {"unique_id", Category::Attribute, Severity::Error, "标识编号重复", "DZ/T 0226—2020 5.1（区块编号唯一）", false},
    {"stated_area_ellipsoid", Category::Attribute, Severity::Error, "所列面积与图形椭球面积之差超过容差",
     "自然资源部 2022 矿业权面积规则：CGCS2000 椭球面积，km² 保留4位小数", true},
    {"stated_area_plane", Category::Attribute, Severity::Warning, "所列面积与图形高斯-克吕格平面面积之差超过容差",
     "DZ/T 0226—2020 5.1（面积字段）；3°带平面面积", true},
    {"corner_string", Category::Attribute, Severity::Error, "拐点坐标串与图形不一致或无法解析", "DZ/T 0226—2020 5.1（拐点坐标 GDZB）", true},
    {"empty_geometry", Category::Geometry, Severity::Error, "要素没有图形或图形无法读取", "DZ/T 0226—2020 5.1 空间要素", false},
    {"invalid_geometry", Category::Geometry, Severity::Error, "图形无效（自相交、环方向或闭合错误等，GEOS 判定）", "OGC Simple Features 有效性", true},
    {"duplicate_vertex", Category::Geometry, Severity::Warning, "相邻重复节点", "拓扑质量：节点", true},
    {"spike", Category::Geometry, Severity::Warning, "尖刺（节点处夹角小于阈值）", "拓扑质量：尖角", true},
    {"sliver", Category::Geometry, Severity::Error, "狭长碎面（宽度小于最小宽度）", "拓扑质量：碎面", true},
    {"multipart", Category::Geometry, Severity::Error, "图层不允许多部件要素", "qc.json layers.*.multipart", true},
    {"overlap", Category::Topology, Severity::Error, "同类区块或分区相互重叠", "规划要求：同类规划区块/分区不重叠", true},
    {"outside_admin", Category::Topology, Severity::Error, "要素超出规划行政区范围", "规划范围：行政区界线", true},
    {"outside_region", Category::Topology, Severity::Error, "要素不在其所在行政区（县区）内", "规划区块所在行政区", true},
    {"outside_zone", Category::Topology, Severity::Error, "区块不在其所属规划分区内", "规划区块应位于所属分区", true},
    {"zone_missing", Category::Consistency, Severity::Error, "区块所属的规划分区不存在", "规划区块与分区对应", false},
    {"conflict_area", Category::Topology, Severity::Error, "区块与禁止压覆的管控区（生态保护红线、永久基本农田等）重叠",
     "规划管控：开采区块避让生态保护红线和永久基本农田", true},
    {"column_count", Category::Consistency, Severity::Error, "专栏（汇总表）所列个数与要素个数不一致", "规划专栏与图层一致", false},
    {"column_area", Category::Consistency, Severity::Error, "专栏（汇总表）所列面积与要素面积合计不一致", "规划专栏与图层一致", true},
    {"stated_total", Category::Consistency, Severity::Error, "汇总表合计行与分项之和不一致", "规划专栏合计", false},
};

}  // namespace

const std::vector<CheckDef>& catalogue() { return kCatalogue; }

const CheckDef* find_check(const std::string& id) {
    for (const auto& c : kCatalogue)
        if (id == c.id) return &c;
    return nullptr;
}

}  // namespace minplan::services::qc
