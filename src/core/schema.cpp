#include "core/schema.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_file.hpp"

namespace minplan {

FieldType parse_field_type(const std::string& s) {
    if (s == "string") return FieldType::String;
    if (s == "integer") return FieldType::Integer;
    if (s == "real") return FieldType::Real;
    if (s == "date") return FieldType::Date;
    if (s == "boolean") return FieldType::Boolean;
    throw InputError("未知字段类型 \"" + s + "\"，应为 string/integer/real/date/boolean");
}

std::string to_string(FieldType t) {
    switch (t) {
        case FieldType::String: return "string";
        case FieldType::Integer: return "integer";
        case FieldType::Real: return "real";
        case FieldType::Date: return "date";
        case FieldType::Boolean: return "boolean";
    }
    return "string";
}

const FieldDef* TableSchema::field(const std::string& key) const {
    for (const auto& f : fields)
        if (f.name == key || f.code == key || f.alias_zh == key) return &f;
    return nullptr;
}

std::vector<FieldDef> spatial_extra_fields() {
    return {
        {kGeometrySourceField, "JHLY", "几何来源", FieldType::String, "", true},
        {kAreaField, "TQMJ", "椭球面积", FieldType::Real, "km²", false},
        {kGeometryNoteField, "JHSM", "几何说明", FieldType::String, "", false},
    };
}

namespace {

std::string get_string(const nlohmann::json& j, const char* key, const std::filesystem::path& file,
                       bool required = true) {
    if (!j.contains(key) || j[key].is_null()) {
        if (required) throw InputError(file.string() + ": 缺少必填键 \"" + key + "\" / missing key");
        return {};
    }
    if (!j[key].is_string()) throw InputError(file.string() + ": 键 \"" + key + "\" 应为字符串 / must be a string");
    return j[key].get<std::string>();
}

TableSchema parse_schema(const std::filesystem::path& file) {
    nlohmann::json j = read_json_file(file);
    TableSchema s;
    s.id = get_string(j, "id", file);
    s.code = get_string(j, "code", file);
    s.code_origin = get_string(j, "code_origin", file, false);
    s.name_zh = get_string(j, "name_zh", file);
    s.spatial = get_string(j, "geometry", file) == "polygon";
    s.source_file = get_string(j, "source_file", file, false);
    if (!j.contains("fields") || !j["fields"].is_array())
        throw InputError(file.string() + ": 缺少 fields 数组 / missing fields array");
    for (const auto& fj : j["fields"]) {
        FieldDef f;
        f.name = get_string(fj, "name", file);
        f.code = get_string(fj, "code", file, false);
        if (f.code.empty()) f.code = f.name;
        f.alias_zh = get_string(fj, "alias_zh", file, false);
        f.type = parse_field_type(get_string(fj, "type", file));
        f.unit = fj.contains("unit") && fj["unit"].is_string() ? fj["unit"].get<std::string>() : "";
        f.required = fj.value("required", false);
        f.codes = get_string(fj, "codes", file, false);
        s.fields.push_back(std::move(f));
    }
    return s;
}

}  // namespace

SchemaRegistry SchemaRegistry::load(const std::filesystem::path& dir) {
    SchemaRegistry reg;
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.path().extension() == ".json") files.push_back(e.path());
    if (ec) throw IoError("无法读取模式目录 " + dir.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) reg.tables_.push_back(parse_schema(f));
    return reg;
}

SchemaRegistry SchemaRegistry::load(const std::vector<std::filesystem::path>& dirs) {
    SchemaRegistry reg;
    for (const auto& dir : dirs) {
        for (auto& t : load(dir).tables_) {
            if (reg.try_find(t.id))
                throw InputError(dir.string() + "：图层 \"" + t.id + "\" 已在另一个模式目录中定义 / table defined twice");
            reg.tables_.push_back(std::move(t));
        }
    }
    return reg;
}

const TableSchema* SchemaRegistry::try_find(const std::string& key) const {
    for (const auto& t : tables_)
        if (t.id == key || t.code == key || t.name_zh == key) return &t;
    return nullptr;
}

const TableSchema& SchemaRegistry::find(const std::string& key) const {
    if (const auto* t = try_find(key)) return *t;
    std::string known;
    for (const auto& t : tables_) known += (known.empty() ? "" : ", ") + t.id;
    throw NotFoundError("未知图层或表 \"" + key + "\"；可用: " + known + " / unknown layer or table");
}

}  // namespace minplan
