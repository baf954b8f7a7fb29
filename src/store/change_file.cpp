#include "store/change_file.hpp"

#include <cctype>

#include "core/error.hpp"
#include "formats/ogr_cell.hpp"
#include "store/gdal_handles.hpp"
#include "store/import_mapping.hpp"

namespace minplan::store {

namespace {

const char* const kActionColumns[] = {"操作", "变更类型", "调整类型", "调整方式", "action", "ACTION", "Action"};

std::string quote(const std::string& v) {
    std::string out = "'";
    for (char c : v) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

bool is_sheet(const std::filesystem::path& file) {
    auto ext = file.extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".xlsx" || ext == ".csv";
}

}  // namespace

std::vector<ChangeItem> read_change_file(const std::filesystem::path& file, const TableSchema& target,
                                         const ImportReference& reference, const ImportOptions& options) {
    detail::ensure_gdal_registered();
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) throw IoError("文件不存在: " + file.string() + " / file not found");
    const std::string name = file.filename().string();
    const char* sheet_options[] = {"HEADERS=FORCE", "FIELD_TYPES=STRING", "AUTODETECT_TYPE=NO", nullptr};
    detail::DatasetPtr ds{GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                            is_sheet(file) ? sheet_options : nullptr, nullptr)};
    if (!ds) throw IoError("无法读取 " + file.string() + "（" + detail::last_gdal_error() + "）/ cannot open");
    OGRLayer* layer = options.source_layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(options.source_layer.c_str());
    if (!layer) throw NotFoundError(name + " 中没有图层 \"" + options.source_layer + "\" / no such layer");
    if (target.fields.empty()) throw InputError("图层 " + target.code + " 没有字段 / layer has no fields");
    const FieldDef& key_field = target.fields.front();

    OGRFeatureDefn* defn = layer->GetLayerDefn();
    int action_index = -1, key_index = -1;
    std::string action_column;
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        std::string col = defn->GetFieldDefn(i)->GetNameRef();
        for (const char* a : kActionColumns)
            if (col == a && action_index < 0) {
                action_index = i;
                action_column = col;
            }
        if (const FieldDef* f = match_source_field(target, col); f && f->name == key_field.name) key_index = i;
        for (const auto& [src, dst] : options.field_map)
            if (src == col && &target_field(target, dst, "--map " + src + "=" + dst) == &key_field) key_index = i;
    }
    if (action_index < 0)
        throw InputError(name + " 缺少操作列（操作 / 变更类型 / action，取值 新增、修改、注销）/ no action column");
    if (key_index < 0)
        throw InputError(name + " 缺少标识字段 " + key_field.code + "（" + key_field.alias_zh + "），无法确定每行变更哪个要素 / no identifier column");

    std::vector<ChangeItem> items;
    std::vector<std::string> problems;
    // A spreadsheet's first data row is row 2 (row 1 is the header); a GIS file's rows are its features.
    const int first = is_sheet(file) ? 2 : 1;
    int row = first - 1;
    layer->ResetReading();
    while (detail::FeaturePtr f{layer->GetNextFeature()}) {
        ++row;
        const std::string where = name + (is_sheet(file) ? " 第 " + std::to_string(row) + " 行" : " 第 " + std::to_string(row) + " 个要素");
        std::string action = formats::ogr_cell_text(*f, action_index);
        std::string key = formats::ogr_cell_text(*f, key_index);
        auto parsed = parse_action(action);
        if (!parsed)
            problems.push_back(where + "：操作 “" + action + "” 无法识别，应为 新增、修改 或 注销（add/modify/retire）/ unknown action");
        if (key.empty())
            problems.push_back(where + "：标识字段 " + key_field.code + "（" + key_field.alias_zh + "）为空 / identifier missing");
        if (!parsed || key.empty()) continue;
        ChangeItem item;
        item.seq = static_cast<int>(items.size()) + 1;
        item.action = *parsed;
        item.layer = target.id;
        item.key = key;
        item.source = where;
        items.push_back(std::move(item));
    }
    if (!problems.empty()) {
        std::string text = name + " 有 " + std::to_string(problems.size()) + " 处问题，未写入任何数据：";
        for (const auto& p : problems) text += "\n  " + p;
        throw InputError(text);
    }
    ds.reset();

    // The new rows of add/modify items, read as an import reads them (mapping, codes, geometry), in order.
    std::string wanted;
    for (const char* a : {"新增", "增加", "add", "ADD", "Add", "修改", "调整", "modify", "MODIFY", "Modify"})
        wanted += (wanted.empty() ? "" : ", ") + quote(a);
    std::size_t changed = 0;
    for (const auto& item : items) changed += item.action != ChangeAction::Retire;
    if (changed == 0) return items;
    if (is_sheet(file) && target.spatial)
        throw InputError(name + "：新增、修改带几何的要素须用 GeoPackage、Shapefile 或 GeoJSON 文件；XLSX/CSV 只能注销要素或修改属性表 / "
                         "features with geometry need a GIS file");
    ImportOptions o = options;
    o.where = "\"" + action_column + "\" IN (" + wanted + ")";
    o.append = true;
    ImportBatch batch = read_for_import({file}, target, o, reference);
    if (batch.features.size() != changed)
        throw InternalError(name + "：读取的新增/修改要素数 " + std::to_string(batch.features.size()) + " 与操作列不符 " +
                            std::to_string(changed));
    std::size_t next = 0;
    for (auto& item : items)
        if (item.action != ChangeAction::Retire) item.feature = std::move(batch.features[next++]);
    return items;
}

}  // namespace minplan::store
