#include "store/database_copy.hpp"

#include "core/error.hpp"
#include "store/gpkg_database.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::store {

namespace {

std::string sql_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

}  // namespace

void copy_database(const PlanDatabase& db, const std::filesystem::path& out) {
    if (std::filesystem::exists(out)) throw InputError(out.string() + " 已存在 / already exists");
    // A consistent copy of the whole file, history included, while others write: SQLite's VACUUM INTO.
    const auto* gpkg = dynamic_cast<const GpkgDatabase*>(&db);
    if (gpkg == nullptr)
        throw InputError("交换包导出需要 GeoPackage 规划数据库；PostGIS 中的规划请先用 minplan copy 复制为 GeoPackage / "
                         "the exchange bundle is exported from a GeoPackage (minplan copy first)");
    auto conn = gpkg->read_records();
    conn->exec("VACUUM INTO " + sql_quote(out.string()));
}

std::shared_ptr<PlanDatabase> install_database(const std::filesystem::path& copy, const std::filesystem::path& target) {
    std::error_code ec;
    if (std::filesystem::exists(target) && std::filesystem::file_size(target, ec) > 0)
        throw InputError("目标数据库 " + target.string() + " 已存在且不为空：交换包只导入到新的空数据库，已有数据库不会被覆盖 / the target exists");
    {
        auto check = open_database(copy.string());  // refuses what is not a plan GeoPackage
        (void)check->version();
    }
    std::filesystem::copy_file(copy, target, std::filesystem::copy_options::overwrite_existing);
    return open_database(target.string());
}

}  // namespace minplan::store
