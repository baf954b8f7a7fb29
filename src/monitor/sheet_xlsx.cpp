// Reads XLSX worksheets through GDAL's OGR XLSX driver (each sheet is a layer). Every cell is read as
// text (FIELD_TYPES=STRING) and the first row is always the header (HEADERS=FORCE), so validation sees
// exactly what the user typed.
#include <cpl_string.h>

#include "core/error.hpp"
#include "monitor/sheet.hpp"
#include "store/gdal_handles.hpp"

namespace minplan::monitor {

std::vector<Sheet> read_xlsx_sheets(const std::filesystem::path& file) {
    store::detail::ensure_gdal_registered();
    const char* drivers[] = {"XLSX", nullptr};
    const char* options[] = {"HEADERS=FORCE", "FIELD_TYPES=STRING", nullptr};
    store::detail::DatasetPtr ds{
        GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, options, nullptr)};
    if (!ds) throw IoError("无法作为 XLSX 读取 " + file.string() + "（" + store::detail::last_gdal_error() + "）/ cannot read XLSX");
    std::vector<Sheet> out;
    for (int l = 0; l < ds->GetLayerCount(); ++l) {
        OGRLayer* layer = ds->GetLayer(l);
        Sheet s;
        s.file = file.string();
        s.name = layer->GetName();
        OGRFeatureDefn* defn = layer->GetLayerDefn();
        for (int i = 0; i < defn->GetFieldCount(); ++i) s.header.push_back(defn->GetFieldDefn(i)->GetNameRef());
        layer->ResetReading();
        while (store::detail::FeaturePtr f{layer->GetNextFeature()}) {
            Sheet::Row row;
            // The driver numbers features from the first data row: FID 1 = spreadsheet row 2.
            row.number = static_cast<int>(f->GetFID()) + 1;
            bool any = false;
            for (int i = 0; i < defn->GetFieldCount(); ++i) {
                std::string v = f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "";
                any = any || !v.empty();
                row.cells.push_back(std::move(v));
            }
            if (any) s.rows.push_back(std::move(row));
        }
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace minplan::monitor
