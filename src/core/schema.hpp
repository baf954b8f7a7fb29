// Table and layer schemas: the one mapping between minplan's internal names, the codes used in the
// plan database (DZ/T 0226—2020 where known) and the Chinese aliases. `minplan build` loads them from a
// schema folder (data/schema/tables/) and stores them in the plan database; commands read them from there.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace minplan {

enum class FieldType { String, Integer, Real, Date, Boolean };

FieldType parse_field_type(const std::string& s);
std::string to_string(FieldType t);

struct FieldDef {
    std::string name;      // internal, snake_case
    std::string code;      // database field name
    std::string alias_zh;  // Chinese alias shown to users
    FieldType type = FieldType::String;
    std::string unit;
    bool required = false;
    // Id of the code table (e.g. "code_control_types") whose codes this field holds; empty = free text.
    // An import accepts a code, its Chinese label or an alias and stores the code.
    std::string codes{};
};

struct TableSchema {
    std::string id;           // internal, e.g. "mining_blocks"
    std::string code;         // database layer name, e.g. "KAICQK"
    std::string code_origin;  // "DZ/T 0226-2020 (seen in deployments)" or "minplan"
    std::string name_zh;
    bool spatial = false;
    std::string source_file;  // relative to the plan directory
    std::vector<FieldDef> fields;

    const FieldDef* field(const std::string& name_or_code) const;
};

// Fields the builder adds to every spatial layer.
inline constexpr const char* kGeometrySourceField = "geometry_source";
inline constexpr const char* kAreaField = "area_km2_ellipsoid";
inline constexpr const char* kGeometryNoteField = "geometry_note";
inline constexpr const char* kSchematic = "schematic";
std::vector<FieldDef> spatial_extra_fields();

class SchemaRegistry {
public:
    static SchemaRegistry load(const std::filesystem::path& dir);
    // Several folders, e.g. the shared one and a plan's own; a table id defined twice is an InputError.
    static SchemaRegistry load(const std::vector<std::filesystem::path>& dirs);

    const std::vector<TableSchema>& tables() const { return tables_; }
    // By id, code or Chinese name; throws NotFoundError listing what exists.
    const TableSchema& find(const std::string& key) const;
    const TableSchema* try_find(const std::string& key) const;

private:
    std::vector<TableSchema> tables_;
};

}  // namespace minplan
