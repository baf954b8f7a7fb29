#include "plan/source_reader.hpp"

#include <charconv>
#include <regex>

#include "core/error.hpp"
#include "core/text.hpp"
#include "store/gdal_handles.hpp"

namespace minplan::plan {

using store::detail::DatasetPtr;
using store::detail::FeaturePtr;

namespace {

std::string where(const std::string& file, int line, const FieldDef& f) {
    return file + ":" + std::to_string(line) + ": 字段 " + f.name + (f.alias_zh.empty() ? "" : "（" + f.alias_zh + "）");
}


DatasetPtr open_vector(const std::filesystem::path& file, const char* const* open_options) {
    store::detail::ensure_gdal_registered();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw IoError("文件不存在: " + file.string() + " / file not found");
    DatasetPtr ds{GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options)};
    if (!ds || ds->GetLayerCount() < 1)
        throw IoError("无法读取 " + file.string() + " (" + store::detail::last_gdal_error() + ") / cannot read");
    return ds;
}

}  // namespace

Value parse_cell(const std::string& raw, const FieldDef& f, const std::string& file, int line) {
    std::string text = trim(raw);
    if (text.empty()) {
        if (f.required) throw InputError(where(file, line, f) + " 为必填项，不能为空 / required field is empty");
        return {};
    }
    switch (f.type) {
        case FieldType::String: return text;
        case FieldType::Integer: {
            std::int64_t v = 0;
            auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (ec != std::errc() || p != text.data() + text.size())
                throw InputError(where(file, line, f) + " 应为整数，实际为 \"" + text + "\" / expected an integer");
            return v;
        }
        case FieldType::Real: {
            double v = 0;
            auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (ec != std::errc() || p != text.data() + text.size())
                throw InputError(where(file, line, f) + " 应为数值，实际为 \"" + text + "\" / expected a number");
            return v;
        }
        case FieldType::Boolean:
            if (text == "true" || text == "是" || text == "1") return true;
            if (text == "false" || text == "否" || text == "0") return false;
            throw InputError(where(file, line, f) + " 应为 true/false，实际为 \"" + text + "\" / expected a boolean");
        case FieldType::Date: {
            static const std::regex date_re(R"(^\d{4}-\d{2}-\d{2}$)");
            if (!std::regex_match(text, date_re))
                throw InputError(where(file, line, f) + " 应为日期 YYYY-MM-DD，实际为 \"" + text + "\" / expected a date");
            return text;
        }
    }
    return text;
}

std::vector<Feature> read_csv_table(const std::filesystem::path& file, const TableSchema& schema) {
    const char* options[] = {"AUTODETECT_TYPE=NO", "HEADERS=YES", "EMPTY_STRING_AS_NULL=NO", nullptr};
    DatasetPtr ds = open_vector(file, options);
    OGRLayer* layer = ds->GetLayer(0);
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    const std::string name = file.string();
    std::vector<int> index(schema.fields.size(), -1);
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        std::string col = defn->GetFieldDefn(i)->GetNameRef();
        bool found = false;
        for (std::size_t k = 0; k < schema.fields.size(); ++k) {
            if (schema.fields[k].name == col) {
                index[k] = i;
                found = true;
            }
        }
        if (!found)
            throw InputError(name + ":1: 列 \"" + col + "\" 不在表 " + schema.id + " 的模式中 / unknown column");
    }
    for (std::size_t k = 0; k < schema.fields.size(); ++k)
        if (index[k] < 0 && schema.fields[k].required)
            throw InputError(name + ":1: 缺少必填列 \"" + schema.fields[k].name + "\" / missing required column");
    std::vector<Feature> out;
    int line = 1;
    layer->ResetReading();
    while (FeaturePtr f{layer->GetNextFeature()}) {
        ++line;
        Feature row;
        row.fid = line - 1;
        for (std::size_t k = 0; k < schema.fields.size(); ++k) {
            std::string cell = index[k] >= 0 && f->IsFieldSetAndNotNull(index[k]) ? f->GetFieldAsString(index[k]) : "";
            row.attributes[schema.fields[k].name] = parse_cell(cell, schema.fields[k], name, line);
        }
        out.push_back(std::move(row));
    }
    return out;
}

std::vector<Feature> read_vector_file(const std::filesystem::path& file, const TableSchema& schema) {
    DatasetPtr ds = open_vector(file, nullptr);
    OGRLayer* layer = ds->GetLayer(0);
    OGRSpatialReference target = store::detail::cgcs2000();
    std::vector<Feature> out;
    int n = 0;
    layer->ResetReading();
    while (FeaturePtr f{layer->GetNextFeature()}) {
        ++n;
        Feature row;
        row.fid = n;
        for (const auto& fd : schema.fields) {
            int idx = f->GetFieldIndex(fd.name.c_str());
            std::string cell = idx >= 0 && f->IsFieldSetAndNotNull(idx) ? f->GetFieldAsString(idx) : "";
            row.attributes[fd.name] = parse_cell(cell, fd, file.string(), n);
        }
        OGRGeometry* g = f->GetGeometryRef();
        if (!g) throw InputError(file.string() + ": 第 " + std::to_string(n) + " 个要素没有几何 / feature has no geometry");
        g->assignSpatialReference(&target);
        row.wkb.resize(static_cast<std::size_t>(g->WkbSize()));
        g->exportToWkb(wkbNDR, row.wkb.data(), wkbVariantIso);
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace minplan::plan
