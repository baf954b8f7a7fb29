// One positive case per format, from the fixtures in tests/data/formats/.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "formats/coordinate_input.hpp"

namespace minplan::formats {
namespace {

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(MINPLAN_TEST_DATA) + "/formats/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool has_warning(const ParsedInput& in, const std::string& fragment) {
    for (const auto& w : in.warnings)
        if (w.find(fragment) != std::string::npos) return true;
    return false;
}

void expect_closed(const Ring& r) {
    ASSERT_GE(r.points.size(), 4u);
    EXPECT_EQ(r.points.front().x, r.points.back().x);
    EXPECT_EQ(r.points.front().y, r.points.back().y);
}

TEST(CoordinateFixture, MiningRightRealExample) {
    auto in = parse_mining_right_string(fixture("mining_right_real.txt"));
    EXPECT_EQ(in.format, "mining_right_string");
    EXPECT_EQ(in.kind, CoordKind::PlaneGaussKruger);
    EXPECT_EQ(in.gk_zone, 38);
    EXPECT_EQ(in.zone_width, 3);
    ASSERT_EQ(in.parcels.size(), 1u);
    const auto& rings = in.parcels[0].rings;
    ASSERT_EQ(rings.size(), 3u);
    EXPECT_EQ(rings[0].points.size(), 6u);  // 5 given, open: closed here
    EXPECT_DOUBLE_EQ(rings[0].points[0].x, 3810331.42);
    EXPECT_DOUBLE_EQ(rings[0].points[0].y, 38446311.66);
    EXPECT_EQ(rings[0].top_elevation, 285);
    EXPECT_EQ(rings[0].bottom_elevation, 8);
    EXPECT_FALSE(rings[0].hole);
    EXPECT_FALSE(rings[1].hole);
    EXPECT_EQ(rings[1].note, "扣除新密市栗树岗建材厂范围");
    EXPECT_TRUE(rings[2].hole);
    EXPECT_EQ(rings[2].points.size(), 5u);
    for (const auto& r : rings) expect_closed(r);
    // Ring 2 says 扣除 but is flagged 1: reported, not changed.
    EXPECT_TRUE(has_warning(in, "第2圈说明"));
    EXPECT_FALSE(has_warning(in, "缺少带号"));
}

TEST(CoordinateFixture, MiningRightDatongWrappedWithFullWidthComma) {
    auto in = parse_mining_right_string(fixture("mining_right_datong.txt"));
    ASSERT_EQ(in.parcels.at(0).rings.size(), 2u);
    EXPECT_EQ(in.parcels[0].rings[0].points.size(), 5u);  // given closed: not closed twice
    EXPECT_EQ(in.parcels[0].rings[1].points.size(), 5u);
    EXPECT_TRUE(in.parcels[0].rings[1].hole);
    EXPECT_EQ(in.parcels[0].rings[1].source_line, 5);
    EXPECT_EQ(in.gk_zone, 38);
    EXPECT_TRUE(in.warnings.empty()) << in.warnings.front();
}

TEST(CoordinateFixture, MiningRightDms) {
    auto in = parse_mining_right_string(fixture("mining_right_dms.txt"));
    EXPECT_EQ(in.kind, CoordKind::GeographicDms);
    EXPECT_FALSE(in.gk_zone);
    const auto& p = in.parcels.at(0).rings.at(0).points;
    ASSERT_EQ(p.size(), 5u);
    EXPECT_NEAR(p[0].x, 113 + 12 / 60.0 + 12 / 3600.0, 1e-12);
    EXPECT_NEAR(p[0].y, 40 + 5 / 60.0 + 30 / 3600.0, 1e-12);
    EXPECT_EQ(in.parcels[0].rings[0].top_elevation, 1300);
}

TEST(CoordinateFixture, ExplorationRightDatong) {
    auto in = parse_exploration_right_string(fixture("exploration_right_datong.txt"));
    EXPECT_EQ(in.format, "exploration_right_string");
    EXPECT_EQ(in.kind, CoordKind::GeographicDms);
    const auto& rings = in.parcels.at(0).rings;
    ASSERT_EQ(rings.size(), 2u);
    EXPECT_FALSE(rings[0].hole);
    EXPECT_TRUE(rings[1].hole);
    EXPECT_NEAR(rings[1].points[0].x, 113 + 12 / 60.0 + 30 / 3600.0, 1e-12);
    EXPECT_NEAR(rings[1].points[0].y, 40 + 8 / 60.0 + 30 / 3600.0, 1e-12);
    for (const auto& r : rings) expect_closed(r);
}

void check_land_parcel(const ParsedInput& in) {
    EXPECT_EQ(in.format, "land_parcel_txt");
    EXPECT_EQ(in.crs_name, "2000国家大地坐标系");
    EXPECT_EQ(in.gk_zone, 38);
    EXPECT_EQ(in.zone_width, 3);
    EXPECT_EQ(in.attributes.at("数据产生单位"), "大同市规划和自然资源局");
    ASSERT_EQ(in.parcels.size(), 2u);
    EXPECT_EQ(in.parcels[0].name, "云冈区某石灰岩矿");
    EXPECT_EQ(in.parcels[0].code, "KQ001");
    EXPECT_EQ(in.parcels[0].declared_area, 52.4);
    ASSERT_EQ(in.parcels[0].rings.size(), 2u);
    EXPECT_FALSE(in.parcels[0].rings[0].hole);
    EXPECT_TRUE(in.parcels[0].rings[1].hole);
    EXPECT_EQ(in.parcels[0].rings[1].source_line, 19);
    EXPECT_EQ(in.parcels[1].rings.at(0).points.size(), 4u);
    EXPECT_DOUBLE_EQ(in.parcels[1].rings[0].points[2].x, 4451625.00);
    EXPECT_TRUE(in.warnings.empty()) << in.warnings.front();
}

TEST(CoordinateFixture, LandParcelUtf8) { check_land_parcel(parse_land_parcel_txt(fixture("land_parcel_datong.txt"))); }
TEST(CoordinateFixture, LandParcelGbkCrlf) { check_land_parcel(parse_land_parcel_txt(fixture("land_parcel_datong_gbk.txt"))); }

void check_registration(const ParsedInput& in) {
    EXPECT_EQ(in.format, "registration_txt");
    EXPECT_EQ(in.crs_name, "2000国家大地坐标系");
    EXPECT_EQ(in.gk_zone, 38);
    ASSERT_EQ(in.parcels.size(), 1u);
    EXPECT_EQ(in.parcels[0].name, "大同市云州区某萤石矿");
    const auto& rings = in.parcels[0].rings;
    ASSERT_EQ(rings.size(), 2u);
    EXPECT_EQ(rings[0].points.size(), 5u);
    EXPECT_EQ(rings[0].top_elevation, 1350);
    EXPECT_EQ(rings[0].bottom_elevation, 1180);
    EXPECT_TRUE(rings[1].hole);
    EXPECT_EQ(rings[1].note, "扣除区");
    EXPECT_EQ(rings[1].source_line, 11);
    EXPECT_TRUE(in.warnings.empty()) << in.warnings.front();
}

TEST(CoordinateFixture, RegistrationUtf8) { check_registration(parse_registration_txt(fixture("registration_datong.txt"))); }
TEST(CoordinateFixture, RegistrationGbkCrlf) { check_registration(parse_registration_txt(fixture("registration_datong_gbk.txt"))); }

TEST(CoordinateFixture, AutoDetectsEveryFixture) {
    EXPECT_EQ(parse_auto(fixture("mining_right_real.txt"), "x.txt").format, "mining_right_string");
    EXPECT_EQ(parse_auto(fixture("mining_right_dms.txt"), "").format, "mining_right_string");
    EXPECT_EQ(parse_auto(fixture("exploration_right_datong.txt"), "").format, "exploration_right_string");
    EXPECT_EQ(parse_auto(fixture("land_parcel_datong_gbk.txt"), "").format, "land_parcel_txt");
    EXPECT_EQ(parse_auto(fixture("registration_datong_gbk.txt"), "").format, "registration_txt");
    EXPECT_EQ(parse_auto(fixture("exploration_right_datong.txt"), "探矿权.txt").format, "exploration_right_string");
}

TEST(CoordinateFixture, GbkDecodesToUtf8) {
    auto text = to_utf8(fixture("land_parcel_datong_gbk.txt"));
    EXPECT_NE(text.find("云冈区某石灰岩矿"), std::string::npos);
    EXPECT_EQ(to_utf8("\xEF\xBB\xBF" "abc"), "abc");
}

TEST(CoordinateFixture, DmsPackedToDegrees) {
    EXPECT_NEAR(dms_packed_to_degrees(113.1212), 113.20333333333333, 1e-12);
    EXPECT_NEAR(dms_packed_to_degrees(34.4027), 34 + 40 / 60.0 + 27 / 3600.0, 1e-12);
    EXPECT_NEAR(dms_packed_to_degrees(-0.3), -0.5, 1e-12);
    EXPECT_NEAR(dms_packed_to_degrees(40.0530123), 40 + 5 / 60.0 + 30.123 / 3600.0, 1e-12);
    EXPECT_DOUBLE_EQ(dms_packed_to_degrees(113.5959), 113 + 59 / 60.0 + 59 / 3600.0);
    EXPECT_THROW(dms_packed_to_degrees(113.6000), InputError);
    EXPECT_THROW(dms_packed_to_degrees(113.1260), InputError);
}


// kMaxPoints bounds memory and time for any upload; 100,000 points parse well within a second.
TEST(CoordinateFixture, PointLimit) {
    auto ring = [](int n, double x0) {
        std::string s = std::to_string(n);
        for (int i = 0; i < n; ++i)
            s += "," + std::to_string(i + 1) + "," + std::to_string(x0 + i) + "," + std::to_string(38400000.0 + (i % 2) * 10 + i);
        return s + ",1,1,,1";
    };
    auto ok = parse_mining_right_string("2," + ring(50000, 4430000) + "," + ring(50000, 4480000));
    EXPECT_EQ(ok.parcels.at(0).rings.at(1).points.size(), 50001u);
    try {
        parse_mining_right_string("2," + ring(50000, 4430000) + "," + ring(50001, 4480000));
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("坐标点数超过上限100000"), std::string::npos) << e.what();
    }
}

TEST(CoordinateFixture, OversizedInputIsRefused) {
    EXPECT_THROW(to_utf8(std::string(17u << 20, '1')), InputError);
}

}  // namespace
}  // namespace minplan::formats
