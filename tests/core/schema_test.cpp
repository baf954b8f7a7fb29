// The core model: schema registry lookups and errors, field types, attribute values.
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "core/schema.hpp"
#include "core/value.hpp"
#include "../plan/plan_fixture.hpp"

namespace minplan::testing {
namespace {

TEST(Schema, RegistryFindsLayersByIdCodeAndChineseName) {
    SchemaRegistry reg = shipped_schemas();
    const TableSchema& by_id = reg.find("mining_blocks");
    EXPECT_EQ(by_id.code, "KAICQK");  // DZ/T 0226-2020 code (docs/data-format.md)
    EXPECT_TRUE(by_id.spatial);
    EXPECT_EQ(&reg.find("KAICQK"), &by_id);
    EXPECT_EQ(&reg.find(by_id.name_zh), &by_id);
    EXPECT_EQ(reg.try_find("no_such_layer"), nullptr);
}

TEST(Schema, UnknownLayerErrorNamesTheKeyAndListsWhatExists) {
    SchemaRegistry reg = shipped_schemas();
    try {
        reg.find("no_such_layer");
        FAIL() << "expected NotFoundError";
    } catch (const NotFoundError& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("no_such_layer"), std::string::npos) << msg;
        EXPECT_NE(msg.find("mining_blocks"), std::string::npos) << msg;
    }
}

TEST(Schema, FieldLookupByNameCodeAndAlias) {
    const TableSchema& s = shipped_schemas().find("zl02_mines_by_county");
    const FieldDef* f = s.field("lingqiu_county");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(s.field("LQX"), f);
    EXPECT_EQ(s.field("灵丘县"), f);
    EXPECT_EQ(f->type, FieldType::Integer);
    EXPECT_EQ(s.field("nonexistent"), nullptr);
}

TEST(Schema, FieldTypesParseAndPrintBothWays) {
    for (auto t : {FieldType::String, FieldType::Integer, FieldType::Real, FieldType::Date, FieldType::Boolean})
        EXPECT_EQ(parse_field_type(to_string(t)), t);
    try {
        parse_field_type("float");
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("float"), std::string::npos);
    }
}

TEST(Schema, BadSchemaFileErrorNamesTheFile) {
    TempDir dir;
    {
        std::ofstream(dir / "broken.json") << "{\"id\": \"x\", \"code\": \"X\"";
    }
    try {
        SchemaRegistry::load(dir.path());
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("broken.json"), std::string::npos) << e.what();
    }
    {
        std::ofstream(dir / "broken.json") << R"({"id": "x", "code": "X", "geometry": "none", "fields": []})";
    }
    try {
        SchemaRegistry::load(dir.path());
        FAIL() << "expected InputError for the missing name_zh";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("name_zh"), std::string::npos) << e.what();
    }
}

TEST(Schema, SpatialExtraFieldsCarryTheSchematicFlag) {
    auto extra = spatial_extra_fields();
    ASSERT_GE(extra.size(), 2u);
    EXPECT_EQ(extra[0].name, kGeometrySourceField);
    EXPECT_TRUE(extra[0].required);
    EXPECT_EQ(extra[1].name, kAreaField);
    EXPECT_EQ(extra[1].type, FieldType::Real);
}

TEST(Value, NullIsSilenceNotZero) {
    Value v;
    EXPECT_TRUE(is_null(v));
    EXPECT_EQ(to_display(v), "");
    EXPECT_FALSE(as_number(v).has_value());
    Feature f;
    EXPECT_TRUE(is_null(f.get("anything")));
}

TEST(Value, NumbersTextAndBooleans) {
    EXPECT_EQ(as_number(Value{std::int64_t{233}}).value(), 233.0);
    EXPECT_EQ(as_number(Value{1760.95}).value(), 1760.95);
    EXPECT_FALSE(as_number(Value{std::string("233")}).has_value());
    EXPECT_EQ(as_text(Value{std::string("灵丘县")}).value(), "灵丘县");
    EXPECT_FALSE(as_text(Value{std::int64_t{1}}).has_value());
    EXPECT_EQ(to_display(Value{std::int64_t{-7}}), "-7");
    EXPECT_EQ(to_display(Value{49721.53}), "49721.53");
    EXPECT_EQ(to_display(Value{true}), "是");
    EXPECT_EQ(to_display(Value{false}), "否");
}

}  // namespace
}  // namespace minplan::testing
