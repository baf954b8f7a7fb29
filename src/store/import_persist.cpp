#include "store/import_persist.hpp"

#include <unistd.h>

#include "core/error.hpp"
#include "store/gdal_handles.hpp"
#include "store/gpkg_store.hpp"
#include "store/ogr_convert.hpp"

namespace minplan::store {

std::size_t persist_import(const std::filesystem::path& db, const TableSchema& target,
                           const std::vector<Feature>& features, bool append) {
    // Appending rewrites the layer with its old features first (the copy below replaces whole layers).
    std::vector<Feature> rows;
    if (append) rows = GpkgStore::open(db)->read(target.id);
    rows.insert(rows.end(), features.begin(), features.end());

    // All-or-nothing: work on a copy, then atomically replace the database.
    auto temp = db.parent_path() / ("." + db.filename().string() + ".import-" + std::to_string(::getpid()));
    std::filesystem::copy_file(db, temp, std::filesystem::copy_options::overwrite_existing);
    try {
        detail::ensure_gdal_registered();
        const char* drivers[] = {"GPKG", nullptr};
        detail::DatasetPtr ds{GDALDataset::Open(temp.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers)};
        if (!ds) throw IoError("无法以写入方式打开 " + db.string() + ": " + detail::last_gdal_error());
        for (int i = 0; i < ds->GetLayerCount(); ++i) {
            if (target.code == ds->GetLayer(i)->GetName()) {
                if (ds->DeleteLayer(i) != OGRERR_NONE) throw IoError("无法替换图层 " + target.code);
                break;
            }
        }
        detail::write_ogr_layer(*ds, target, rows, detail::LayerOptions{});
        CPLErrorReset();
        ds.reset();
        if (CPLGetLastErrorType() == CE_Failure) throw IoError("写入失败: " + detail::last_gdal_error());
        std::filesystem::rename(temp, db);
    } catch (...) {
        std::error_code ec;
        std::filesystem::remove(temp, ec);
        throw;
    }
    return rows.size();
}

}  // namespace minplan::store
