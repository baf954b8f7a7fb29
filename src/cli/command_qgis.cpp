#include <CLI/CLI.hpp>

#include <filesystem>
#include <ostream>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "plan/qgis_assets.hpp"
#include "store/gpkg_qgis.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

// The project stored in the database (qgis_projects), as a .qgz file: for QGIS versions or workflows that
// open project files, and for a copy of the database kept elsewhere. Layers refer to the database by a
// path relative to the project file.
class QgisProjectCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--out", out_, "写出的 QGIS 工程文件（.qgz）/ the project file to write")->required();
    }
    int run(Context& ctx) override {
        const std::filesystem::path db = std::filesystem::absolute(resolve_db(ctx));
        std::filesystem::path out = std::filesystem::absolute(out_);
        if (out.extension() != ".qgz")
            throw InputError("--out " + out_ + "：QGIS 工程文件应以 .qgz 结尾 / the project file must end in .qgz");
        auto store = store::open_store(db.string());
        std::string relative = std::filesystem::relative(db, out.parent_path()).generic_string();
        if (relative.empty()) relative = db.generic_string();
        else if (relative.rfind("../", 0) != 0) relative = "./" + relative;
        const plan::QgisInputs in = plan::qgis_inputs(*store, relative);
        store::write_qgz_file(out, out.stem().string() + ".qgs", plan::qgis_project(in));
        ctx.out << "已写出 QGIS 工程 " << out.string() << "（坐标系 EPSG:" << plan::display_epsg(in) << "，图层引用 "
                << relative << "）\n";
        return 0;
    }

private:
    std::string out_;
};

}  // namespace

std::unique_ptr<Command> make_qgis_project() { return std::make_unique<QgisProjectCommand>(); }

}  // namespace minplan::cli
