// A change file (调整数据): the changed features of one plan layer with an action column — GeoPackage,
// Shapefile or GeoJSON (features with geometry), or XLSX/CSV for retirements and attribute-table rows.
// The action column is named 操作, 变更类型, 调整类型 or action; it holds 新增/修改/注销 (add/modify/retire).
// The layer's identifier field (its first field, e.g. 区块编号) names the feature each row changes.
#pragma once

#include <filesystem>
#include <vector>

#include "core/schema.hpp"
#include "store/exchange.hpp"
#include "store/history.hpp"

namespace minplan::store {

// Every row of `file` as a change item of `target`; add/modify rows read, mapped and validated as an import
// reads them (exchange.hpp). Any problem (an unknown action, a missing identifier, a bad field) throws one
// InputError naming the file and each row; nothing is returned half.
std::vector<ChangeItem> read_change_file(const std::filesystem::path& file, const TableSchema& target,
                                         const ImportReference& reference, const ImportOptions& options = {});

}  // namespace minplan::store
