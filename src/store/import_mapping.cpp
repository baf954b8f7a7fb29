#include "store/import_mapping.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

#include "core/error.hpp"
#include "core/json_file.hpp"
#include "core/text.hpp"
#include "formats/sheet_reader.hpp"

namespace minplan::store {

std::pair<std::string, std::string> parse_assignment(const std::string& text, const std::string& option) {
    auto eq = text.find('=');
    std::string left = eq == std::string::npos ? std::string() : trim(text.substr(0, eq));
    std::string right = eq == std::string::npos ? std::string() : trim(text.substr(eq + 1));
    if (left.empty() || right.empty()) {
        const bool is_map = option == "--map";
        throw InputError(option + " \"" + text + "\"：应为 " + (is_map ? "源字段=目标字段" : "字段=值") + " / expected " +
                         (is_map ? "SRC=DST" : "field=value"));
    }
    return {left, right};
}

namespace {

std::vector<std::pair<std::string, std::string>> read_map_csv(const std::filesystem::path& file) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& row : formats::read_csv_sheet(file).rows) {
        std::vector<std::string> cells;
        for (const auto& c : row.cells) cells.push_back(trim(c));
        while (!cells.empty() && cells.back().empty()) cells.pop_back();
        if (cells.empty()) continue;
        if (cells.size() == 2 && cells[0] == "source" && cells[1] == "target") continue;  // the optional header
        if (cells.size() != 2 || cells[0].empty() || cells[1].empty())
            throw InputError(file.string() + ":" + std::to_string(row.number) +
                             ": 应为两列 源字段,目标字段 / expected two columns source,target");
        out.emplace_back(cells[0], cells[1]);
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> read_map_json(const std::filesystem::path& file) {
    nlohmann::json j = read_json_file(file);
    if (!j.is_object()) throw InputError(file.string() + ": 应为 JSON 对象 {\"源字段\": \"目标字段\"} / expected a JSON object");
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [source, target] : j.items()) {
        if (!target.is_string() || trim(target.get<std::string>()).empty())
            throw InputError(file.string() + ": 源字段 \"" + source + "\" 的目标应为字段名字符串 / target must be a field name");
        out.emplace_back(source, trim(target.get<std::string>()));
    }
    return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> read_map_file(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw IoError("文件不存在: " + file.string() + " / file not found");
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".csv") return read_map_csv(file);
    if (ext == ".json") return read_map_json(file);
    throw InputError("字段映射文件 \"" + file.string() + "\" 应为 .csv 或 .json / mapping file must be .csv or .json");
}

const FieldDef& target_field(const TableSchema& target, const std::string& name, const std::string& option) {
    if (const FieldDef* f = target.field(name)) return *f;
    std::string known;
    for (const auto& f : target.fields) known += (known.empty() ? "" : ", ") + f.name + "/" + f.code + "(" + f.alias_zh + ")";
    throw NotFoundError(option + "：图层 " + target.id + "（" + target.name_zh + "）没有字段 \"" + name + "\"；可用字段: " +
                        known + " / unknown target field");
}

const FieldDef* match_source_field(const TableSchema& s, const std::string& source_name) {
    for (const auto& f : s.fields) {
        if (f.code == source_name || f.name == source_name || (!f.alias_zh.empty() && f.alias_zh == source_name)) return &f;
        // Shapefile truncates names to 10 bytes.
        if (f.code.size() > 10 && f.code.substr(0, 10) == source_name) return &f;
    }
    return nullptr;
}

}  // namespace minplan::store
