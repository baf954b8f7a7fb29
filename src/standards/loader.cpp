#include "standards/loader.hpp"

#include "core/schema.hpp"

namespace minplan::standards {

std::filesystem::path minerals_csv_path(const std::filesystem::path& root) { return root / "data" / "schema" / "minerals.csv"; }
std::filesystem::path size_classes_csv_path(const std::filesystem::path& root) {
    return root / "data" / "standards" / "mine_size_classes.csv";
}
std::filesystem::path sanlv_csv_path(const std::filesystem::path& root) { return root / "data" / "standards" / "sanlv_thresholds.csv"; }
std::filesystem::path minerals_csv_path() { return minerals_csv_path(source_dir()); }
std::filesystem::path size_classes_csv_path() { return size_classes_csv_path(source_dir()); }
std::filesystem::path sanlv_csv_path() { return sanlv_csv_path(source_dir()); }

Standards Standards::load(const std::filesystem::path& root) {
    Standards s{MineralNames::load(minerals_csv_path(root)), {}, SanlvTable::load(sanlv_csv_path(root))};
    s.sizes = SizeClassTable::load(size_classes_csv_path(root), s.minerals);
    return s;
}

const Standards& Standards::builtin() {
    static const Standards s = load(source_dir());
    return s;
}

}  // namespace minplan::standards
