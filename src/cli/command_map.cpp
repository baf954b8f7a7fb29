// `minplan map --layers … --bbox … --out map.pdf`: the portal's printed thematic map from the command line.
// The plan is served on a private loopback port for the duration of the print, so the PDF is the same page
// as the portal's 「打印专题图」 and GET /api/map.pdf (services/map_print.hpp).
#include <CLI/CLI.hpp>

#include <ostream>
#include <thread>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "core/home.hpp"
#include "core/text.hpp"
#include "server/api.hpp"
#include "server/server.hpp"
#include "services/map_print.hpp"
#include "store/plan_database.hpp"

namespace minplan::cli {
namespace {

class MapCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--layers", layers_, "显示的图层编号，逗号分隔（默认全部）/ layer ids, comma-separated");
        sub.add_option("--bbox", bbox_, "范围 minLon,minLat,maxLon,maxLat（CGCS2000，默认全市）/ extent");
        sub.add_option("--paper", options_.paper, "纸张 A4 或 A3（默认 A4）/ paper");
        sub.add_option("--orientation", options_.orientation, "landscape 横向（默认）或 portrait 纵向 / orientation");
        sub.add_option("--out", out_, "输出 PDF 文件 / output PDF")->required();
        sub.add_option("--web", web_, "网页目录（默认 web/dist）/ built front end");
    }
    int run(Context& ctx) override {
        options_.layers = split_list(layers_, ',');
        if (!bbox_.empty()) options_.bbox = store::parse_bbox(bbox_);
        services::validate(options_);
        server::ServerOptions o;
        o.host = "127.0.0.1";
        o.port = 0;
        o.web_root = web_.empty() ? home_dir() / "web" / "dist" : std::filesystem::path(web_);
        // Without the built page Chromium would print the portal's "not built" notice as the map.
        if (!std::filesystem::exists(o.web_root / "index.html"))
            throw IoError("网页未构建：" + o.web_root.string() + " 中没有 index.html（运行 scripts/build_web.sh，或用 --web 指定）/ web not built");
        server::PortalServer portal(store::open_database(resolve_db(ctx)), o);
        const int port = portal.bind();
        std::thread serving([&portal] { portal.run(); });
        try {
            services::print_map_pdf("http://127.0.0.1:" + std::to_string(port), options_, out_);
        } catch (...) {
            portal.stop();
            serving.join();
            throw;
        }
        portal.stop();
        serving.join();
        ctx.out << "已生成专题图 / map written: " << out_ << "\n";
        return 0;
    }

private:
    services::MapPrintOptions options_;
    std::string layers_, bbox_, out_, web_;
};

}  // namespace

std::unique_ptr<Command> make_map() { return std::make_unique<MapCommand>(); }

}  // namespace minplan::cli
