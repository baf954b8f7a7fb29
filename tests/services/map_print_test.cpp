// The printed map's options (services/map_print.hpp): the print view's address as the portal's page reads
// it, and every bad option refused before a Chromium starts — from the library and from `minplan map`.
// The PDF itself is checked in the browser tests (web/e2e/daily_work.mjs), which have the built page.
#include <gtest/gtest.h>

#include "../plan/plan_fixture.hpp"
#include "cli/app.hpp"
#include "core/error.hpp"
#include "services/map_print.hpp"

namespace minplan::testing {
namespace {

TEST(MapPrint, TheAddressCarriesPaperOrientationLayersAndExtent) {
    services::MapPrintOptions o;
    EXPECT_EQ(services::print_url("http://127.0.0.1:9", o), "http://127.0.0.1:9/#/print?paper=A4&orientation=landscape");
    o.paper = "A3";
    o.orientation = "portrait";
    o.layers = {"mining_blocks", "exploration_blocks"};
    o.bbox = store::BBox{113.5, 39.75, 114.25, 40.5};
    EXPECT_EQ(services::print_url("http://h:1", o),
              "http://h:1/#/print?paper=A3&orientation=portrait&layers=mining_blocks,exploration_blocks&bbox=113.5,39.75,114.25,40.5");
}

TEST(MapPrint, BadOptionsAreRefusedWithTheirValue) {
    auto refused = [](services::MapPrintOptions o, const std::string& named) {
        try {
            services::validate(o);
            ADD_FAILURE() << "accepted " << named;
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(named), std::string::npos) << e.what();
        }
    };
    services::MapPrintOptions paper;
    paper.paper = "B5";
    refused(paper, "B5");
    services::MapPrintOptions orientation;
    orientation.orientation = "sideways";
    refused(orientation, "sideways");
    services::MapPrintOptions layer;
    layer.layers = {"mining_blocks", "x&bbox=0"};
    refused(layer, "x&bbox=0");
}

TEST(MapPrint, TheCommandRefusesBadOptionsAndWritesNoFile) {
    TempDir dir;
    const auto out = dir.path() / "map.pdf";
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"map", "--paper", "B5", "--out", out.string()},
          std::vector<std::string>{"map", "--bbox", "113,40,112", "--out", out.string()},
          std::vector<std::string>{"map", "--orientation", "up", "--out", out.string()}}) {
        CliResult r = run_cli(args);
        EXPECT_EQ(r.code, cli::kInputError) << args[1] << ": " << r.err;
        EXPECT_FALSE(fs::exists(out));
    }
}

}  // namespace
}  // namespace minplan::testing
