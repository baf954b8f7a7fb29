// Mine size classes (国土资发〔2004〕208号, data/standards/mine_size_classes.csv): the one classify() the
// review (R20) and the monitoring use. Boundaries are inclusive; anything not configured is 需人工核查.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>

#include "../shipped_plan.hpp"
#include "core/error.hpp"
#include "standards/loader.hpp"

using namespace minplan::standards;

namespace {

// A size table of its own, written to a temporary file.
class SizeCsv {
public:
    explicit SizeCsv(const std::string& body)
        : path_(std::filesystem::temp_directory_path() /
                ("minplan_sizes_" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".csv")) {
        std::ofstream(path_) << body;
    }
    ~SizeCsv() { std::filesystem::remove(path_); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

const char* kHeader = "mineral,mining_method,unit,large_min,medium_min,minimum_scale,status,note,source,aliases\n";

}  // namespace

TEST(StandardsSizeClass, CoalUndergroundBoundariesFrom2004No208) {
    const auto& s = ::minplan::shipped_standards().sizes;
    EXPECT_EQ(s.classify("煤炭", "井工", 120, "万吨/年").size_class, "大型");
    EXPECT_EQ(s.classify("煤炭", "井工", 119.99, "万吨/年").size_class, "中型");
    EXPECT_EQ(s.classify("煤炭", "井工", 45, "万吨/年").size_class, "中型");
    EXPECT_EQ(s.classify("煤炭", "井工", 44.99, "万吨/年").size_class, "小型");
    EXPECT_EQ(s.classify("煤炭", "露天", 400, "万吨/年").size_class, "大型");
    EXPECT_EQ(s.classify("铁", "露天", 400, "万吨/年").size_class, "");  // not retrieved: manual check
}

TEST(StandardsSizeClass, TheDecidingRuleNamesBoundariesAndSource) {
    const auto& s = ::minplan::shipped_standards().sizes;
    const auto d = s.classify("煤炭", "地下", 50, "万吨");  // 地下 = 井工; 万吨 = 万吨/年
    EXPECT_EQ(d.outcome, SizeOutcome::Classified);
    EXPECT_EQ(d.size_class, "中型");
    ASSERT_NE(d.row, nullptr);
    EXPECT_EQ(d.row->mining_method, "井工");
    EXPECT_EQ(d.row->minimum_scale, 15.0);
    EXPECT_NE(d.rule.find("大型≥120，中型≥45"), std::string::npos) << d.rule;
    EXPECT_NE(d.rule.find("国土资发〔2004〕208号"), std::string::npos) << d.rule;
}

TEST(StandardsSizeClass, NotConfiguredUnknownOrAmbiguousIsManualReview) {
    const auto& s = ::minplan::shipped_standards().sizes;
    auto iron = s.classify("铁", "", 400, "万吨/年");
    EXPECT_EQ(iron.outcome, SizeOutcome::NotConfigured);
    EXPECT_EQ(iron.size_class, "");
    EXPECT_NE(iron.rule.find("需人工核查"), std::string::npos);
    ASSERT_NE(iron.row, nullptr);
    EXPECT_NE(iron.rule.find(iron.row->source), std::string::npos);

    auto unknown = s.classify("萤石", "露天", 10, "万吨/年");
    EXPECT_EQ(unknown.outcome, SizeOutcome::NotInTable);
    EXPECT_EQ(unknown.size_class, "");
    EXPECT_EQ(unknown.row, nullptr);

    auto coal = s.classify("煤炭", "", 500, "万吨/年");  // 井工 and 露天 rows differ
    EXPECT_EQ(coal.outcome, SizeOutcome::MethodNeeded);
    EXPECT_EQ(coal.size_class, "");
    EXPECT_EQ(s.classify("煤炭", "水采", 500, "万吨/年").outcome, SizeOutcome::NoRowForMethod);
}

TEST(StandardsSizeClass, CapacityIsConvertedToTheRowUnitWithinADimension) {
    const auto& s = ::minplan::shipped_standards().sizes;
    EXPECT_EQ(s.classify("煤炭", "井工", 1'200'000, "吨/年").size_class, "大型");  // = 120 万吨
    EXPECT_EQ(s.classify("煤炭", "井工", 1'199'999, "吨").size_class, "中型");
    auto volume = s.classify("煤炭", "井工", 200, "万立方米");  // no density in the plan
    EXPECT_EQ(volume.outcome, SizeOutcome::UnitNotConvertible);
    EXPECT_EQ(volume.size_class, "");
    EXPECT_EQ(s.classify("建筑石料用灰岩", "", 10, "万m3/年").size_class, "大型");  // spelling of 万立方米
}

TEST(StandardsSizeClass, RowsResolveNamesAndAliasesAndTheMethodRowWins) {
    const auto names = MineralNames::load(::minplan::source_dir() / "data" / "schema" / "minerals.csv");
    SizeCsv csv(std::string(kHeader) +
                "煤,,万吨/年,100,10,1,configured,,any method,\n"
                "煤炭,露天,万吨/年,400,100,,configured,,open pit,\n"
                "铁矿石,,万吨/年,50,10,,configured,,iron,锰矿;不在表中的矿\n");
    const auto t = SizeClassTable::load(csv.path(), names);
    ASSERT_EQ(t.rows().size(), 3u);
    EXPECT_EQ(t.rows()[0].mineral, "煤炭");  // 煤 -> 煤炭
    EXPECT_EQ(t.rows()[2].mineral, "铁");
    EXPECT_EQ(t.rows()[2].aliases, (std::vector<std::string>{"锰", "不在表中的矿"}));
    EXPECT_EQ(t.rows_for("煤炭").size(), 2u);
    EXPECT_EQ(t.rows_for("锰").size(), 1u);
    EXPECT_EQ(t.rows_for("不在表中的矿").size(), 1u);
    EXPECT_EQ(t.classify("煤炭", "露天", 150, "万吨").row->source, "open pit");
    EXPECT_EQ(t.classify("煤炭", "井工", 150, "万吨").row->source, "any method");
    EXPECT_EQ(t.classify("锰", "", 50, "万吨/年").size_class, "大型");
    EXPECT_EQ(t.classify("煤炭", "", 50, "万吨").outcome, SizeOutcome::MethodNeeded);
}

TEST(StandardsSizeClass, BadTablesAreInputErrors) {
    const auto names = MineralNames::load(::minplan::source_dir() / "data" / "schema" / "minerals.csv");
    SizeCsv not_a_number(std::string(kHeader) + "煤炭,,万吨/年,many,10,,configured,,s,\n");
    EXPECT_THROW(SizeClassTable::load(not_a_number.path(), names), minplan::InputError);
    SizeCsv no_unit(std::string(kHeader) + "煤炭,,,100,10,,configured,,s,\n");
    EXPECT_THROW(SizeClassTable::load(no_unit.path(), names), minplan::InputError);
    SizeCsv short_row(std::string(kHeader) + "煤炭,,万吨/年,100\n");
    EXPECT_THROW(SizeClassTable::load(short_row.path(), names), minplan::InputError);
    SizeCsv missing_column("mineral,unit,large_min,medium_min\n煤炭,万吨/年,100,10\n");
    EXPECT_THROW(SizeClassTable::load(missing_column.path(), names), minplan::InputError);
}
