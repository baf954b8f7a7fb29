#include "store/copy.hpp"

#include "core/error.hpp"
#include "store/gpkg_store.hpp"
#include "store/pg_database.hpp"

namespace minplan::store {

std::size_t copy_plan(const PlanStore& from, const std::string& to, bool replace) {
    std::size_t features = 0;
    for (const auto& l : from.layers()) features += static_cast<std::size_t>(l.feature_count);
    if (to.rfind("PG:", 0) == 0) {
        copy_into_pg(from, to, replace);
        return features;
    }
    std::error_code ec;
    if (std::filesystem::exists(to, ec) && !replace)
        throw InputError("目标文件已存在: " + to + "（加 --replace 整体替换）/ the target exists, add --replace");
    // GpkgWriter writes a temporary file that replaces the target only when complete.
    GpkgWriter writer(to);
    for (const auto& l : from.layers()) writer.write_layer(from.schema(l.id), from.read(l.id));
    for (const auto& key : from.metadata_keys()) writer.set_metadata(key, *from.metadata(key));
    for (const auto& name : from.package_names()) writer.set_package_file(name, *from.package_file(name));
    writer.commit();
    return features;
}

}  // namespace minplan::store
