#include "store/gpkg_qgis.hpp"
#include "store/gpkg_database.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>

#include <unistd.h>

#include <fstream>
#include <memory>
#include <set>

#include "core/error.hpp"
#include "store/gdal_handles.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::store {

namespace {

// The tables as QGIS creates them (QgsOgrProviderUtils::saveStyle) and as GeoPackage 1.3 defines the
// metadata and schema extensions (§F.8, §F.9).
constexpr const char* kLayerStylesDdl =
    "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),"
    " f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,"
    " useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),"
    " update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))";
constexpr const char* kMetadataDdl =
    "CREATE TABLE IF NOT EXISTS gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL, md_scope TEXT NOT NULL"
    " DEFAULT 'dataset', md_standard_uri TEXT NOT NULL, mime_type TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '')";
constexpr const char* kMetadataReferenceDdl =
    "CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (reference_scope TEXT NOT NULL, table_name TEXT, column_name TEXT,"
    " row_id_value INTEGER, timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), md_file_id INTEGER NOT NULL,"
    " md_parent_id INTEGER, CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id),"
    " CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id))";
constexpr const char* kDataColumnsDdl =
    "CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, name TEXT, title TEXT,"
    " description TEXT, mime_type TEXT, constraint_name TEXT, CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),"
    " CONSTRAINT gdc_tn UNIQUE (table_name, name))";
constexpr const char* kIsoUri = "http://www.isotc211.org/2005/gmd";
constexpr const char* kQgisUri = "http://mrcc.com/qgis.dtd";

void extension(SqliteDb& db, const std::string& table, const std::string& name, const std::string& definition) {
    auto st = db.prepare("INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)"
                         " SELECT ?, NULL, ?, ?, 'read-write' WHERE NOT EXISTS (SELECT 1 FROM gpkg_extensions WHERE table_name = ?"
                         " AND extension_name = ?)");
    st.bind(1, table).bind(2, name).bind(3, definition).bind(4, table).bind(5, name);
    st.step();
}

// Registered as an attribute table: QGIS opens layer_styles through OGR, which finds only registered tables.
void register_attributes(SqliteDb& db, const std::string& table, const std::string& title) {
    auto st = db.prepare("INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, last_change)"
                         " VALUES (?, 'attributes', ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))");
    st.bind(1, table).bind(2, title).bind(3, title);
    st.step();
}

std::int64_t add_metadata(SqliteDb& db, const char* scope, const char* uri, const std::string& xml) {
    auto st = db.prepare("INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) VALUES (?, ?, 'text/xml', ?)");
    st.bind(1, std::string(scope)).bind(2, std::string(uri)).bind(3, xml);
    st.step();
    return db.scalar("SELECT last_insert_rowid()");
}

void insert_default_style(SqliteDb& db, const std::string& table, const std::string& geometry_column, const LayerStyleText& style,
                          const std::string& description) {
    auto st = db.prepare("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName,"
                         " styleQML, styleSLD, useAsDefault, description, owner, ui) VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, 'minplan', NULL)");
    st.bind(1, table).bind(2, geometry_column).bind(3, style.name).bind(4, style.qml).bind(5, style.sld).bind(6, description);
    st.step();
}

std::string geometry_column_of(SqliteDb& db, const std::string& table) {
    auto g = db.prepare("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?");
    g.bind(1, table);
    return g.step() ? g.text(0) : std::string();
}

// The project as QGIS keeps it in qgis_projects.content: hex text (GDAL's CPLBinaryToHex).
std::string hex(const std::string& bytes) {
    char* text = CPLBinaryToHex(static_cast<int>(bytes.size()), reinterpret_cast<const GByte*>(bytes.data()));
    std::string out(text);
    CPLFree(text);
    return out;
}

}  // namespace

std::string qgz_bytes(const std::string& qgs_name, const std::string& qgs_xml) {
    detail::ensure_gdal_registered();
    const std::string path = "/vsimem/minplan_qgz_" + std::to_string(reinterpret_cast<std::uintptr_t>(&qgs_xml)) + ".zip";
    {
        void* zip = CPLCreateZip(path.c_str(), nullptr);
        if (!zip) throw IoError("无法生成 QGIS 工程压缩包 / cannot create the .qgz: " + detail::last_gdal_error());
        const bool ok = CPLCreateFileInZip(zip, qgs_name.c_str(), nullptr) == CE_None &&
                        CPLWriteFileInZip(zip, qgs_xml.data(), static_cast<int>(qgs_xml.size())) == CE_None &&
                        CPLCloseFileInZip(zip) == CE_None;
        if (CPLCloseZip(zip) != CE_None || !ok) {
            VSIUnlink(path.c_str());
            throw IoError("无法生成 QGIS 工程压缩包 / cannot write the .qgz: " + detail::last_gdal_error());
        }
    }
    vsi_l_offset size = 0;
    GByte* data = VSIGetMemFileBuffer(path.c_str(), &size, TRUE);  // takes the buffer, removes the file
    std::string out(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
    CPLFree(data);
    return out;
}

void write_qgz_file(const std::filesystem::path& out, const std::string& qgs_name, const std::string& qgs_xml) {
    const std::string bytes = qgz_bytes(qgs_name, qgs_xml);
    const std::filesystem::path temp = out.string() + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream f(temp, std::ios::binary);
        if (!(f << bytes) || !f.flush()) {
            std::error_code ec;
            std::filesystem::remove(temp, ec);
            throw IoError("无法写入 " + out.string() + " / cannot write the project file");
        }
    }
    std::error_code ec;
    std::filesystem::rename(temp, out, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        throw IoError("无法写入 " + out.string() + ": " + ec.message());
    }
}

void write_qgis_extras(SqliteDb& db, const QgisExtras& x) {
    // minplan's own tables are found by SQL (GpkgStore::open), never in QGIS's layer list.
    db.exec("DELETE FROM gpkg_ogr_contents WHERE table_name IN ('minplan_schema', 'minplan_metadata', 'minplan_package')");
    db.exec("DELETE FROM gpkg_contents WHERE table_name IN ('minplan_schema', 'minplan_metadata', 'minplan_package')");
    if (x.layers.empty()) return;

    db.exec(kLayerStylesDdl);
    register_attributes(db, "layer_styles", "QGIS 图层样式");
    db.exec(kMetadataDdl);
    db.exec(kMetadataReferenceDdl);
    extension(db, "gpkg_metadata", "gpkg_metadata", "http://www.geopackage.org/spec121/#extension_metadata");
    extension(db, "gpkg_metadata_reference", "gpkg_metadata", "http://www.geopackage.org/spec121/#extension_metadata");
    db.exec(kDataColumnsDdl);
    extension(db, "gpkg_data_columns", "gpkg_schema", "http://www.geopackage.org/spec121/#extension_schema");

    // Written again after an import or an approved adjustment: minplan's earlier styles and metadata go first
    // (what a user saved from QGIS under another owner, and other metadata, stay).
    db.exec("DELETE FROM layer_styles WHERE owner = 'minplan'");
    db.exec(std::string("DELETE FROM gpkg_metadata_reference WHERE md_file_id IN (SELECT id FROM gpkg_metadata WHERE md_standard_uri IN ('") +
            kIsoUri + "', '" + kQgisUri + "'))");
    db.exec(std::string("DELETE FROM gpkg_metadata WHERE md_standard_uri IN ('") + kIsoUri + "', '" + kQgisUri + "')");
    const std::int64_t dataset = add_metadata(db, "dataset", kIsoUri, x.dataset_iso_xml);
    {
        auto ref = db.prepare("INSERT INTO gpkg_metadata_reference (reference_scope, md_file_id) VALUES ('geopackage', ?)");
        ref.bind(1, dataset);
        ref.step();
    }
    for (const auto& l : x.layers) {
        auto contents = db.prepare("UPDATE gpkg_contents SET identifier = ?, description = ? WHERE table_name = ?");
        contents.bind(1, l.title_zh).bind(2, l.description_zh).bind(3, l.code);
        contents.step();
        const std::string geometry_column = l.spatial ? geometry_column_of(db, l.code) : std::string();
        insert_default_style(db, l.code, l.spatial && geometry_column.empty() ? "geom" : geometry_column, {l.style_name, l.qml, l.sld},
                             l.title_zh + "（规划样式，minplan 生成）");
        if (!l.qmd.empty()) {
            const std::int64_t id = add_metadata(db, "dataset", kQgisUri, l.qmd);
            auto ref = db.prepare("INSERT INTO gpkg_metadata_reference (reference_scope, table_name, md_file_id, md_parent_id)"
                                  " VALUES ('table', ?, ?, ?)");
            ref.bind(1, l.code).bind(2, id).bind(3, dataset);
            ref.step();
        }
        // name is what GDAL reports as the field's alternative name (and must be unique in the table).
        std::set<std::string> names;
        for (const auto& [column, title] : l.aliases) {
            auto col = db.prepare("INSERT OR REPLACE INTO gpkg_data_columns (table_name, column_name, name, title) VALUES (?, ?, ?, ?)");
            col.bind(1, l.code).bind(2, column).bind(3, names.insert(title).second ? title : column).bind(4, title);
            col.step();
        }
    }
    if (!x.project_qgs.empty()) {
        db.exec("CREATE TABLE IF NOT EXISTS qgis_projects (name TEXT PRIMARY KEY, metadata BLOB, content BLOB)");
        auto st = db.prepare("INSERT OR REPLACE INTO qgis_projects VALUES (?, ?, ?)");
        st.bind(1, x.project_name).bind(2, std::string(R"({"last_modified_user": "minplan"})")).bind(3, hex(qgz_bytes(x.project_name + ".qgs", x.project_qgs)));
        st.step();
    }
}

void replace_qgis_extras(PlanDatabase& db, const QgisExtras& extras) {
    // Only a GeoPackage keeps QGIS projects and styles beside the plan; other stores have none to rewrite.
    if (auto* gpkg = dynamic_cast<GpkgDatabase*>(&db)) gpkg->write_sql([&](SqliteDb& sql) { write_qgis_extras(sql, extras); });
}

void write_style_into(const std::filesystem::path& gpkg, const std::string& table, const LayerStyleText& style) {
    SqliteDb db(gpkg, SqliteDb::Mode::ReadWrite);
    db.exec("BEGIN");
    db.exec(kLayerStylesDdl);
    register_attributes(db, "layer_styles", "QGIS 图层样式");
    insert_default_style(db, table, geometry_column_of(db, table), style, "规划样式（由 minplan 规划数据库导出）");
    db.exec("COMMIT");
}

}  // namespace minplan::store
