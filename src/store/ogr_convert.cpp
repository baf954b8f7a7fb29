#include "store/ogr_convert.hpp"

#include <charconv>
#include <set>

#include "core/error.hpp"

namespace minplan::store::detail {

namespace {

FieldType field_type_of(const OGRFieldDefn& d) {
    switch (d.GetType()) {
        case OFTInteger:
            return d.GetSubType() == OFSTBoolean ? FieldType::Boolean : FieldType::Integer;
        case OFTInteger64: return FieldType::Integer;
        case OFTReal: return FieldType::Real;
        case OFTDate:
        case OFTDateTime: return FieldType::Date;
        default: return FieldType::String;
    }
}

std::string quote_literal(const std::string& v) {
    std::string out = "'";
    for (char c : v) {
        if (c == '\'') out += "''";
        else out += c;
    }
    return out + "'";
}

bool is_number(const std::string& v) {
    double d = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
    return ec == std::errc() && p == v.data() + v.size();
}

}  // namespace

TableSchema schema_from_layer(OGRLayer& layer) {
    TableSchema s;
    s.id = layer.GetName();
    s.code = layer.GetName();
    s.code_origin = "imported";
    s.name_zh = layer.GetName();
    s.spatial = layer.GetGeomType() != wkbNone;
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* fd = defn->GetFieldDefn(i);
        FieldDef f;
        f.name = fd->GetNameRef();
        f.code = fd->GetNameRef();
        f.alias_zh = fd->GetAlternativeNameRef() ? fd->GetAlternativeNameRef() : "";
        f.type = field_type_of(*fd);
        s.fields.push_back(std::move(f));
    }
    return s;
}

std::string build_where(const TableSchema& schema, const std::vector<AttributeFilter>& filters) {
    static const std::set<std::string> ops = {"=", "!=", "<", "<=", ">", ">=", "like"};
    std::string where;
    for (const auto& flt : filters) {
        const FieldDef* f = schema.field(flt.field);
        if (!f) {
            std::string known;
            for (const auto& fd : schema.fields) known += (known.empty() ? "" : ", ") + fd.name + "(" + fd.alias_zh + ")";
            throw NotFoundError("图层 \"" + schema.id + "\" 没有字段 \"" + flt.field + "\"；可用字段: " + known +
                                " / unknown field");
        }
        if (!ops.count(flt.op)) throw InputError("不支持的比较运算符 \"" + flt.op + "\" / unsupported operator");
        std::string literal;
        if (f->type == FieldType::Integer || f->type == FieldType::Real) {
            if (!is_number(flt.value))
                throw InputError("字段 \"" + f->name + "\" 是数值型，\"" + flt.value + "\" 不是数字 / not a number");
            literal = flt.value;
        } else if (f->type == FieldType::Boolean) {
            if (flt.value == "true" || flt.value == "1" || flt.value == "是") literal = "1";
            else if (flt.value == "false" || flt.value == "0" || flt.value == "否") literal = "0";
            else throw InputError("字段 \"" + f->name + "\" 是布尔型，应为 true/false / expected true or false");
        } else {
            literal = quote_literal(flt.value);
        }
        std::string op = flt.op == "like" ? "LIKE" : (flt.op == "!=" ? "<>" : flt.op);
        if (!where.empty()) where += " AND ";
        where += "\"" + f->code + "\" " + op + " " + literal;
    }
    return where;
}

Feature to_feature(const TableSchema& schema, OGRFeature& f) {
    Feature out;
    out.fid = f.GetFID();
    OGRFeatureDefn* defn = f.GetDefnRef();
    for (const auto& fd : schema.fields) {
        int idx = defn->GetFieldIndex(fd.code.c_str());
        Value v;
        if (idx >= 0 && f.IsFieldSetAndNotNull(idx)) {
            switch (fd.type) {
                case FieldType::Integer: v = static_cast<std::int64_t>(f.GetFieldAsInteger64(idx)); break;
                case FieldType::Real: v = f.GetFieldAsDouble(idx); break;
                case FieldType::Boolean: v = f.GetFieldAsInteger(idx) != 0; break;
                case FieldType::Date: {
                    int y = 0, m = 0, d = 0, hh = 0, mm = 0, tz = 0;
                    float ss = 0;
                    if (defn->GetFieldDefn(idx)->GetType() == OFTString) {
                        v = std::string(f.GetFieldAsString(idx));
                    } else if (f.GetFieldAsDateTime(idx, &y, &m, &d, &hh, &mm, &ss, &tz)) {
                        char buf[16];
                        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
                        v = std::string(buf);
                    }
                    break;
                }
                case FieldType::String: v = std::string(f.GetFieldAsString(idx)); break;
            }
        }
        out.attributes[fd.name] = std::move(v);
    }
    if (OGRGeometry* g = f.GetGeometryRef()) {
        out.wkb.resize(static_cast<std::size_t>(g->WkbSize()));
        g->exportToWkb(wkbNDR, out.wkb.data(), wkbVariantIso);
    }
    return out;
}

void write_ogr_layer(GDALDataset& ds, const TableSchema& schema, const std::vector<Feature>& features,
                     const LayerOptions& options) {
    OGRLayer* layer = create_ogr_layer(ds, schema, options);
    append_ogr_features(ds, *layer, schema, features, options);
}

OGRLayer* create_ogr_layer(GDALDataset& ds, const TableSchema& schema, const LayerOptions& options) {
    OGRSpatialReference srs = cgcs2000();
    char** opts = nullptr;
    const std::string name = options.layer_name.empty() ? schema.code : options.layer_name;
    // gpkg_contents.identifier is UNIQUE: a staging table cannot share the live table's.
    std::string identifier = "IDENTIFIER=" + (options.layer_name.empty() ? schema.name_zh : options.layer_name);
    std::string description = "DESCRIPTION=" + schema.name_zh;
    if (std::string(ds.GetDriverName()) == "GPKG") {
        opts = CSLAddString(opts, identifier.c_str());
        opts = CSLAddString(opts, description.c_str());
        if (!schema.spatial) opts = CSLAddString(opts, "ASPATIAL_VARIANT=GPKG_ATTRIBUTES");
    }
    for (const auto& o : options.creation_options) opts = CSLAddString(opts, o.c_str());
    OGRLayer* layer = ds.CreateLayer(name.c_str(), schema.spatial ? &srs : nullptr,
                                     schema.spatial ? wkbMultiPolygon : wkbNone, opts);
    CSLDestroy(opts);
    if (!layer) throw IoError("无法创建图层 " + name + ": " + last_gdal_error());
    for (const auto& fd : schema.fields) {
        OGRFieldType t = OFTString;
        OGRFieldSubType sub = OFSTNone;
        switch (fd.type) {
            case FieldType::Integer: t = OFTInteger64; break;
            case FieldType::Real: t = OFTReal; break;
            case FieldType::Boolean: t = OFTInteger; sub = OFSTBoolean; break;
            case FieldType::Date: t = OFTDate; break;
            case FieldType::String: t = OFTString; break;
        }
        OGRFieldDefn defn(fd.code.c_str(), t);
        defn.SetSubType(sub);
        if (!fd.alias_zh.empty()) defn.SetAlternativeName(fd.alias_zh.c_str());
        if (t == OFTString && std::string(ds.GetDriverName()) == "ESRI Shapefile") defn.SetWidth(254);
        if (layer->CreateField(&defn) != OGRERR_NONE)
            throw IoError("无法创建字段 " + schema.code + "." + fd.code + ": " + last_gdal_error());
    }
    return layer;
}

void append_ogr_features(GDALDataset& ds, OGRLayer& out, const TableSchema& schema, const std::vector<Feature>& features,
                         const LayerOptions& options, std::size_t written_before) {
    OGRSpatialReference srs = cgcs2000();
    OGRLayer* layer = &out;
    const std::string name = layer->GetName();
    bool transactional = layer->TestCapability(OLCTransactions) || ds.TestCapability(ODsCTransactions);
    if (transactional) ds.StartTransaction();
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (std::size_t i = 0; i < features.size(); ++i) {
        const Feature& src = features[i];
        FeaturePtr f{OGRFeature::CreateFeature(defn)};
        if (options.first_fid > 0) f->SetFID(static_cast<GIntBig>(options.first_fid + static_cast<std::int64_t>(written_before + i)));
        for (const auto& fd : schema.fields) {
            int idx = defn->GetFieldIndex(fd.code.c_str());
            if (idx < 0) continue;
            const Value& v = src.get(fd.name);
            if (is_null(v)) {
                f->SetFieldNull(idx);
            } else if (auto* iv = std::get_if<std::int64_t>(&v)) {
                f->SetField(idx, static_cast<GIntBig>(*iv));
            } else if (auto* dv = std::get_if<double>(&v)) {
                f->SetField(idx, *dv);
            } else if (auto* bv = std::get_if<bool>(&v)) {
                f->SetField(idx, *bv ? 1 : 0);
            } else {
                f->SetField(idx, std::get<std::string>(v).c_str());
            }
        }
        if (schema.spatial && !src.wkb.empty()) {
            OGRGeometry* g = nullptr;
            if (OGRGeometryFactory::createFromWkb(src.wkb.data(), &srs, &g, src.wkb.size()) != OGRERR_NONE || !g)
                throw InputError(schema.code + " 第 " + std::to_string(written_before + i + 1) + " 个要素的几何无法解析 / bad geometry");
            g = OGRGeometryFactory::forceToMultiPolygon(g);
            f->SetGeometryDirectly(g);
        }
        if (layer->CreateFeature(f.get()) != OGRERR_NONE) {
            if (transactional) ds.RollbackTransaction();
            throw IoError("写入 " + schema.code + " 第 " + std::to_string(written_before + i + 1) + " 个要素失败: " + last_gdal_error());
        }
        if (options.batch_size && (i + 1) % options.batch_size == 0) {
            if (transactional) {
                if (ds.CommitTransaction() != OGRERR_NONE)
                    throw IoError("提交 " + name + " 失败: " + last_gdal_error());
                ds.StartTransaction();
            }
            if (options.progress) options.progress(written_before + i + 1);
        }
    }
    if (transactional && ds.CommitTransaction() != OGRERR_NONE)
        throw IoError("提交 " + name + " 失败: " + last_gdal_error());
    if (options.progress) options.progress(written_before + features.size());
}

}  // namespace minplan::store::detail
