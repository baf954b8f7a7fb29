// store::physical_columns on both backends (value-parameterised: "gpkg", "pg"): every field of the stored
// schema of the built Datong plan is a column of its table, declared with the type the field stores — what
// the quality check's field_type compares (services/qc). The declared names are what each database says of
// the types minplan writes (GDAL's GeoPackage driver: TEXT, INTEGER, REAL, DATE, BOOLEAN; pg_schema.cpp:
// text, bigint, double precision, date, boolean).
#include <gtest/gtest.h>

#include <map>

#include "backends.hpp"
#include "store/physical_columns.hpp"
#include "store/plan_database.hpp"

namespace minplan::testing {
namespace {

class PhysicalColumns : public ::testing::TestWithParam<std::string> {
protected:
    PhysicalColumns() : plan_(GetParam()), db_(store::open_database(plan_.location())) {}
    BackendPlan plan_;
    std::shared_ptr<store::PlanDatabase> db_;
};

TEST_P(PhysicalColumns, EveryFieldIsAColumnOfItsDeclaredType) {
    const std::map<FieldType, std::string> declared = GetParam() == "gpkg"
        ? std::map<FieldType, std::string>{{FieldType::String, "TEXT"}, {FieldType::Integer, "INTEGER"}, {FieldType::Real, "REAL"},
                                           {FieldType::Date, "DATE"}, {FieldType::Boolean, "BOOLEAN"}}
        : std::map<FieldType, std::string>{{FieldType::String, "text"}, {FieldType::Integer, "bigint"}, {FieldType::Real, "double precision"},
                                           {FieldType::Date, "date"}, {FieldType::Boolean, "boolean"}};
    auto snap = db_->snapshot();
    const TableSchema& blocks = snap->schema("mining_blocks");
    auto columns = store::physical_columns(*snap, "mining_blocks");
    ASSERT_TRUE(columns);
    std::map<std::string, store::PhysicalColumn> by_name;
    for (const auto& c : *columns) by_name[c.name] = c;
    EXPECT_FALSE(by_name.count("fid")) << "the feature id is not a field";
    EXPECT_FALSE(by_name.count("geom")) << "nor the geometry";
    for (const auto& f : blocks.fields) {
        auto it = by_name.find(f.code);
        ASSERT_NE(it, by_name.end()) << f.code;
        EXPECT_EQ(it->second.declared, declared.at(f.type)) << f.code;
        EXPECT_EQ(it->second.type, f.type) << f.code;
    }
    // Every layer of the plan: each field found with its own type.
    for (const auto& l : snap->layers()) {
        const TableSchema& s = snap->schema(l.id);
        auto cols = store::physical_columns(*snap, l.id);
        ASSERT_TRUE(cols) << l.id;
        for (const auto& f : s.fields) {
            bool found = false;
            for (const auto& c : *cols) found = found || (c.name == f.code && c.type == f.type);
            EXPECT_TRUE(found) << l.id << "." << f.code;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, PhysicalColumns, ::testing::Values("gpkg", "pg"), BackendName());

}  // namespace
}  // namespace minplan::testing
