#include "store/exchange.hpp"

#include <cpl_string.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "store/gdal_handles.hpp"
#include "store/gpkg_qgis.hpp"
#include "store/gpkg_store.hpp"
#include "core/progress.hpp"
#include "store/plan_database.hpp"
#include "store/ogr_convert.hpp"

namespace minplan::store {

using detail::DatasetPtr;
using detail::FeaturePtr;

VectorFormat format_for_path(const std::filesystem::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".gpkg") return VectorFormat::GeoPackage;
    if (ext == ".shp") return VectorFormat::Shapefile;
    if (ext == ".geojson" || ext == ".json") return VectorFormat::GeoJson;
    if (ext == ".gdb") return VectorFormat::FileGdb;
    if (ext == ".xlsx") return VectorFormat::Xlsx;
    if (ext == ".csv") return VectorFormat::Csv;
    throw InputError("不支持的文件类型 \"" + p.string() + "\"：应为 .gpkg、.shp、.geojson、.gdb、.xlsx 或 .csv / unsupported format");
}

const char* gdal_driver_name(VectorFormat f) {
    switch (f) {
        case VectorFormat::GeoPackage: return "GPKG";
        case VectorFormat::Shapefile: return "ESRI Shapefile";
        case VectorFormat::GeoJson: return "GeoJSON";
        case VectorFormat::FileGdb: return "OpenFileGDB";
        case VectorFormat::Xlsx: return "XLSX";
        case VectorFormat::Csv: return "CSV";
    }
    return "GPKG";
}

std::size_t export_layer(const PlanStore& store, const std::string& layer, const std::filesystem::path& out,
                         const ExportOptions& options) {
    detail::ensure_gdal_registered();
    VectorFormat fmt = format_for_path(out);
    if (fmt == VectorFormat::FileGdb) throw InputError("File Geodatabase 只支持读取 / FileGDB is read-only here");
    if (fmt == VectorFormat::Csv)
        throw InputError("CSV 只支持导入；导出属性表请用 .xlsx（" + out.string() + "）/ CSV is import-only, export to .xlsx");
    std::error_code ec;
    if (std::filesystem::exists(out, ec)) throw IoError("输出文件已存在，不会覆盖: " + out.string() + " / output exists");
    const TableSchema& schema = store.schema(layer);
    if (fmt == VectorFormat::Xlsx && schema.spatial)
        throw InputError("图层 " + schema.code + "（" + schema.name_zh + "）有几何图形，不能导出为 XLSX，请导出为 .gpkg/.shp/.geojson / XLSX holds attribute tables only");
    auto features = store.read(layer);
    // GDAL drops characters the .cpg encoding cannot hold (e.g. "²" in GBK): refuse instead of losing text.
    if (fmt == VectorFormat::Shapefile && options.encoding != "UTF-8") {
        for (std::size_t i = 0; i < features.size(); ++i) {
            for (const auto& [field, value] : features[i].attributes) {
                const auto* text = std::get_if<std::string>(&value);
                if (!text) continue;
                CPLErrorReset();
                char* there = CPLRecode(text->c_str(), CPL_ENC_UTF8, options.encoding.c_str());
                char* back = CPLRecode(there, options.encoding.c_str(), CPL_ENC_UTF8);
                bool same = *text == back;
                CPLFree(there);
                CPLFree(back);
                if (!same)
                    throw InputError(schema.code + " 第 " + std::to_string(i + 1) + " 个要素字段 " + field + " 的文本 \"" +
                                     *text + "\" 无法用 " + options.encoding + " 编码，请改用 --encoding UTF-8 / text not representable");
            }
        }
    }
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(gdal_driver_name(fmt));
    DatasetPtr ds{driver->Create(out.c_str(), 0, 0, 0, GDT_Unknown, nullptr)};
    if (!ds) throw IoError("无法创建 " + out.string() + ": " + detail::last_gdal_error());
    detail::LayerOptions lo;
    if (fmt == VectorFormat::Shapefile) lo.creation_options.push_back("ENCODING=" + options.encoding);
    if (fmt == VectorFormat::GeoJson) lo.creation_options.push_back("RFC7946=NO");
    detail::write_ogr_layer(*ds, schema, features, lo);
    ds.reset();  // closed: the style is written beside or into the finished file
    // The plan's style travels with the layer: inside a GeoPackage (layer_styles), as the .qml/.sld sidecar
    // QGIS loads by itself for a Shapefile or GeoJSON.
    if (auto style = fmt == VectorFormat::Xlsx ? std::nullopt : store.default_style(layer)) {
        if (fmt == VectorFormat::GeoPackage) {
            write_style_into(out, schema.code, *style);
        } else {
            auto sidecar = [&](const char* ext, const std::string& text) {
                if (text.empty()) return;
                auto path = out;
                std::ofstream f(path.replace_extension(ext), std::ios::binary);
                if (!(f << text)) throw IoError("无法写入 " + path.string() + " / cannot write the style sidecar");
            };
            sidecar(".qml", style->qml);
            sidecar(".sld", style->sld);
        }
    }
    return features.size();
}

// The store does not keep a field's `codes` in minplan_schema yet (gpkg_store.cpp writes the schema JSON
// without it); until it does, a layer's code declarations come from data/schema/tables for the same layer
// id. The code tables themselves are read from the database.
ImportReference import_reference(const PlanStore& store, const TableSchema& target) {
    ImportReference ref;
    std::set<std::string> wanted;
    for (const auto& f : target.fields)
        if (!f.codes.empty()) wanted.insert(f.codes);
    for (const auto& info : store.layers()) {
        if (info.id == "admin_counties")
            for (const auto& f : store.read(info.id)) ref.known_counties.push_back(f.text("name_zh"));
        if (info.id == "code_minerals") {
            for (const auto& f : store.read(info.id)) {
                ref.known_minerals.push_back(f.text("name_zh"));
                for (auto& synonym : split_list(f.text("synonyms"))) ref.known_minerals.push_back(std::move(synonym));
            }
        }
        if (wanted.count(info.id)) ref.code_tables.push_back(CodeTable::from_rows(info.id, info.name_zh, store.read(info.id)));
    }
    // Labels the plan itself keeps in these columns (合计, 全市, 其他非金属矿山…; see the data notes) stay
    // valid, so that an exported layer imports again.
    // The layer may hold 10⁶ features: only the two columns' distinct values are read.
    auto add_distinct = [&](const char* field, std::vector<std::string>& known) {
        if (!target.field(field) || known.empty()) return;
        std::set<std::string> seen(known.begin(), known.end());
        for (auto& t : store.distinct_texts(target.id, field))
            if (seen.insert(t).second) known.push_back(std::move(t));
    };
    add_distinct("county", ref.known_counties);
    add_distinct("mineral", ref.known_minerals);
    return ref;
}

namespace {

// The import's rows for stage_stream(): the batch read ahead (to learn whether the import is small), then
// the rest as it is read. Each batch goes through the quality check before it is written. From the third
// batch on, the next batch is read on a second thread while this one is checked and written (at most one
// batch ahead: memory stays bounded): the reading (GDAL, then the derived values on every core) overlaps
// both the check and the write. The quality check stays on the writing thread, so that its snapshot is
// never open while a stage batch is written (the WAL could not be reset).
class ImportStream final : public FeatureSource {
public:
    ImportStream(PlanDatabase& db, ImportReader& reader, ImportCheck* check, std::size_t batch_rows)
        : db_(db), reader_(reader), check_(check), batch_rows_(batch_rows) {}
    ~ImportStream() override {
        if (prefetch_.valid()) prefetch_.wait();  // a read in flight still uses the reader and fetched_
    }
    // Reads the first batch and looks for a second; true when the first was the whole import.
    bool read_ahead() {
        read(ahead_);
        second_ = read(next_);
        if (second_) prefetch();
        return !second_;
    }
    std::size_t ahead_rows() const { return ahead_.size(); }
    bool next(std::vector<Feature>& batch) override {
        if (first_) {
            first_ = false;
            batch.swap(ahead_);
            ahead_ = {};
            return !batch.empty() || second_;
        }
        if (second_) {
            second_ = false;
            batch.swap(next_);
            next_ = {};
            return true;
        }
        batch.clear();
        if (!prefetch_.valid()) return false;
        const bool more = prefetch_.get();  // rethrows what the read threw
        batch.swap(fetched_);
        fetched_ = {};
        if (!more) return false;
        // The next batch is read while this one is checked and written; whether the reader found a problem
        // is asked before that read starts (it adds to the reader's problems).
        const bool clean = !reader_.has_problems();
        prefetch();
        if (clean) check(batch);
        return true;
    }

private:
    bool read(std::vector<Feature>& batch) {
        if (!reader_.next(batch, batch_rows_)) return false;
        if (!reader_.has_problems()) check(batch);
        return true;
    }
    void check(const std::vector<Feature>& batch) {
        if (check_) check_->add(*db_.snapshot(), batch);
    }
    void prefetch() {
        prefetch_ = std::async(std::launch::async, [this] { return reader_.next(fetched_, batch_rows_); });
    }

    PlanDatabase& db_;
    ImportReader& reader_;
    ImportCheck* check_;
    std::size_t batch_rows_;
    std::vector<Feature> ahead_, next_, fetched_;
    std::future<bool> prefetch_;
    bool first_ = true, second_ = false;
};

}  // namespace

ImportResult import_layer(PlanDatabase& db, const std::string& layer_key, const std::vector<std::filesystem::path>& files,
                          const ImportOptions& options) {
    TableSchema target;
    ImportReference reference;
    {
        auto store = db.snapshot();
        target = store->schema(layer_key);
        reference = import_reference(*store, target);
    }
    ImportReader reader(files, target, options, reference);
    std::unique_ptr<ImportCheck> check;
    if (options.quality_check) check = options.quality_check(*db.snapshot(), target, options.append);
    ImportStream stream(db, reader, check.get(), options.batch_rows);
    std::unique_ptr<StagedLayer> staged;
    std::vector<std::pair<std::string, std::string>> metadata;
    // All-or-nothing. An import of one batch is read and checked in full before anything is written; a
    // larger one is staged as it is read (memory: one batch), and a problem found later drops the stage
    // before any transaction: the plan is unchanged either way.
    const bool whole = stream.read_ahead();
    const SwapMode mode = options.append ? SwapMode::Append : SwapMode::Replace;
    if (!whole) staged = db.stage_stream(target, stream, {}, mode);  // the reader's progress bar shows the rows
    reader.throw_if_problems();
    if (check) metadata = check->finish(*db.snapshot());
    if (whole && !options.dry_run) {  // a dry run of one batch writes nothing at all, not even a stage
        Progress progress("写入图层 " + target.code, stream.ahead_rows());
        std::size_t shown = 0;
        staged = db.stage_stream(target, stream, [&](std::size_t done) {
            progress.advance(done - shown);
            shown = done;
        }, mode);
    }
    ImportResult result;
    result.imported = staged ? staged->rows() : stream.ahead_rows();
    result.warnings = reader.warnings();
    if (options.dry_run) {  // the stage is dropped when `staged` goes; nothing was written to the plan
        std::size_t before = 0;
        for (const auto& info : db.snapshot()->layers())
            if (info.id == target.id) before = static_cast<std::size_t>(info.feature_count);
        result.layer_total = options.append ? before + result.imported : result.imported;
        return result;
    }
    auto tx = db.begin_plan();
    // The import is a change set of its own (approved, effective today or on --effective).
    if (!options.effective_date.empty()) tx->set_effect(options.effective_date, 0);
    tx->swap_in(*staged, mode);
    for (const auto& [key, value] : metadata) tx->set_metadata(key, value);
    tx->audit({0, "", options.actor, "", "import", target.code + "（" + target.name_zh + "）",
               "", (options.append ? "追加 " : "替换为 ") + std::to_string(result.imported) + " 条"});
    tx->commit();
    for (const auto& info : db.snapshot()->layers())
        if (info.id == target.id) result.layer_total = static_cast<std::size_t>(info.feature_count);
    return result;
}

ImportResult import_layer(const std::filesystem::path& db, const std::string& layer,
                          const std::vector<std::filesystem::path>& files, const ImportOptions& options) {
    return import_layer(*open_database(db.string()), layer, files, options);
}

std::size_t import_layer(PlanDatabase& db, const std::string& layer, const std::filesystem::path& file,
                         const ImportOptions& options) {
    return import_layer(db, layer, std::vector<std::filesystem::path>{file}, options).imported;
}

std::size_t import_layer(const std::filesystem::path& db, const std::string& layer,
                         const std::filesystem::path& file, const ImportOptions& options) {
    return import_layer(db, layer, std::vector<std::filesystem::path>{file}, options).imported;
}

}  // namespace minplan::store
