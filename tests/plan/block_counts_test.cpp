// Object counts of the built plan against the seed's own figures: planning blocks, zones, green mines and
// demonstration projects. The seed's block totals contradict each other (notes/part2-targets.md, "Block
// counts"); each contradiction is asserted exactly as documented.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/value.hpp"
#include "plan_fixture.hpp"
#include "store/gpkg_store.hpp"

namespace minplan::testing {
namespace {

class BlockCounts : public ::testing::Test {
protected:
    static void SetUpTestSuite() { store_ = store::GpkgStore::open(built_plan()).release(); }
    static void TearDownTestSuite() { delete store_; }
    static std::vector<Feature> rows(const std::string& layer) { return store_->read(layer); }
    static bool is_true(const Feature& f, const std::string& field) {
        const bool* b = std::get_if<bool>(&f.get(field));
        return b && *b;
    }
    static std::int64_t num(const Feature& f, const std::string& field) {
        return static_cast<std::int64_t>(as_number(f.get(field)).value_or(-1));
    }
    // Sum of block_count over the item rows of one statement of a blocks_summary_* table, and its total row.
    struct Statement {
        std::int64_t item_sum = 0;
        std::map<std::string, std::int64_t> totals;  // level -> printed total
        std::map<std::string, std::int64_t> items;   // mineral -> count
    };
    static Statement statement(const std::string& table, const std::string& id) {
        Statement s;
        for (const auto& r : rows(table)) {
            if (r.text("statement") != id) continue;
            if (r.text("row_kind") == "total") s.totals[r.text("level")] = num(r, "block_count");
            else s.item_sum += num(r, "block_count"), s.items[r.text("mineral")] += num(r, "block_count");
        }
        return s;
    }
    static store::GpkgStore* store_;
};
store::GpkgStore* BlockCounts::store_ = nullptr;

TEST_F(BlockCounts, ExplorationBlocksAre100As45ProvinceAnd55City) {
    auto blocks = rows("exploration_blocks");
    ASSERT_EQ(blocks.size(), 100u);
    std::map<std::string, std::int64_t> by_level;
    std::map<std::string, std::set<std::int64_t>> level_totals;
    for (const auto& b : blocks) {
        ++by_level[b.text("plan_level")];
        level_totals[b.text("plan_level")].insert(num(b, "seed_level_total"));
        EXPECT_EQ(num(b, "seed_total"), 100) << b.text("block_id");
    }
    EXPECT_EQ(by_level, (std::map<std::string, std::int64_t>{{"province", 45}, {"city", 55}}));
    EXPECT_EQ(level_totals["province"], std::set<std::int64_t>{45});
    EXPECT_EQ(level_totals["city"], std::set<std::int64_t>{55});
}

TEST_F(BlockCounts, ExplorationBlockRowsFollowTheSeedsPerMineralLists) {
    // One row per block: rows per mineral equal the L1777 (province) and L1780 (city) count lists.
    std::map<std::string, std::map<std::string, std::int64_t>> rows_by;
    for (const auto& b : rows("exploration_blocks")) ++rows_by[b.text("plan_level")][b.text("mineral")];
    EXPECT_EQ(rows_by["province"], statement("blocks_summary_exploration", "L1777").items);
    EXPECT_EQ(rows_by["city"], statement("blocks_summary_exploration", "L1780").items);
}

TEST_F(BlockCounts, ExplorationBlockTotalsContradictEachOtherAsDocumented) {
    Statement l1775 = statement("blocks_summary_exploration", "L1775");
    EXPECT_EQ(l1775.totals, (std::map<std::string, std::int64_t>{{"全部", 100}, {"省部级", 45}, {"市县级", 54}}));
    EXPECT_EQ(l1775.totals["省部级"] + l1775.totals["市县级"], 99);  // 45 + 54 = 99, not 100

    Statement l1777 = statement("blocks_summary_exploration", "L1777");
    EXPECT_EQ(l1777.item_sum, 45);
    EXPECT_EQ(l1777.totals["省部级"], 45);

    Statement l1778 = statement("blocks_summary_exploration", "L1778");
    EXPECT_EQ(l1778.item_sum, 46);  // 石墨 3 instead of 1, 铜矿 missing
    EXPECT_EQ(l1778.items["石墨"], 3);
    EXPECT_EQ(l1778.items.count("铜矿"), 0u);

    Statement l1780 = statement("blocks_summary_exploration", "L1780");
    EXPECT_EQ(l1780.item_sum, 55);
    EXPECT_EQ(l1780.totals["市县级"], 55);

    Statement l1274 = statement("blocks_summary_exploration", "L1274");  // chapter 2 swaps the levels
    EXPECT_EQ(l1274.totals, (std::map<std::string, std::int64_t>{{"省部级", 55}, {"市县级", 45}}));
}

TEST_F(BlockCounts, MiningBlocksAre15ProvinceAnd51CityWhileTheSeedSays22And54) {
    auto blocks = rows("mining_blocks");
    ASSERT_EQ(blocks.size(), 66u);
    std::map<std::string, std::int64_t> by_level;
    std::map<std::string, std::map<std::string, std::int64_t>> rows_by;
    for (const auto& b : blocks) ++by_level[b.text("plan_level")], ++rows_by[b.text("plan_level")][b.text("mineral")];
    EXPECT_EQ(by_level, (std::map<std::string, std::int64_t>{{"province", 15}, {"city", 51}}));

    Statement l1958 = statement("blocks_summary_mining", "L1958");
    EXPECT_EQ(l1958.item_sum, 15);
    EXPECT_EQ(l1958.totals.begin()->second, 22);  // "开采区块22个" but the list sums to 15
    EXPECT_EQ(rows_by["province"], l1958.items);
    Statement l1960 = statement("blocks_summary_mining", "L1960");
    EXPECT_EQ(l1960.item_sum, 51);
    EXPECT_EQ(l1960.totals.begin()->second, 54);  // "54个" but the list sums to 51
    EXPECT_EQ(rows_by["city"], l1960.items);
    Statement l1275 = statement("blocks_summary_mining", "L1275");
    EXPECT_EQ(l1275.totals,
              (std::map<std::string, std::int64_t>{{"省级（落实省规划）", 14}, {"市级（本级审批发证）", 54}}));

    std::int64_t by_county = 0, by_county_total = 0;
    for (const auto& r : rows("blocks_summary_mining_by_county")) {
        if (r.text("row_kind") == "total") by_county_total = num(r, "block_count");
        else by_county += num(r, "block_count");
    }
    EXPECT_EQ(by_county, 53);  // the county split adds up to 53
    EXPECT_EQ(by_county_total, 54);
}

TEST_F(BlockCounts, KeyExplorationZonesAre18As6ProvincialAnd12City) {
    auto zones = rows("key_exploration_zones");
    ASSERT_EQ(zones.size(), 18u);
    int provincial = 0;
    for (const auto& z : zones) provincial += is_true(z, "implements_provincial_plan");
    EXPECT_EQ(provincial, 6);
}

TEST_F(BlockCounts, RestorationZonesAreIII1ToIII9AndIV1ToIV6) {
    std::set<std::string> codes, expected;
    for (const auto& z : rows("restoration_zones")) codes.insert(z.text("zone_code"));
    for (int i = 1; i <= 9; ++i) expected.insert("Ⅲ" + std::to_string(i));
    for (int i = 1; i <= 6; ++i) expected.insert("Ⅳ" + std::to_string(i));
    EXPECT_EQ(codes, expected);
    EXPECT_EQ(rows("restoration_zones").size(), 15u);
}

TEST_F(BlockCounts, FiveStrategicReserveZones) { EXPECT_EQ(rows("strategic_reserve_zones").size(), 5u); }

TEST_F(BlockCounts, ElevenGreenMinesListedAndCountedInTheText) {
    auto listed = rows("zl05_green_mines");
    EXPECT_EQ(listed.size(), 11u);
    std::int64_t stated = -1;
    for (const auto& r : rows("ch1_green_restoration"))
        if (r.text("item") == "达到绿色矿山标准的矿山企业") stated = num(r, "value");
    EXPECT_EQ(stated, 11);
    std::set<std::string> in_register;
    for (const auto& m : rows("mine_register"))
        if (is_true(m, "green_mine_listed")) in_register.insert(m.text("name"));
    for (const auto& g : listed) EXPECT_TRUE(in_register.count(g.text("mine_name"))) << g.text("mine_name");
    EXPECT_EQ(in_register.size(), 11u);
}

TEST_F(BlockCounts, TenGreenMineDemonstrationProjects) {
    std::int64_t items = 0, printed_total = -1;
    for (const auto& r : rows("ch5_green_mine_demos")) {
        if (r.text("row_kind") == "total") printed_total = num(r, "project_count");
        else items += num(r, "project_count");
    }
    EXPECT_EQ(items, 10);
    EXPECT_EQ(printed_total, 10);
    int demo_in_register = 0;
    for (const auto& m : rows("mine_register"))
        demo_in_register += is_true(m, "demo_project");
    EXPECT_EQ(demo_in_register, 10);
}

}  // namespace
}  // namespace minplan::testing
