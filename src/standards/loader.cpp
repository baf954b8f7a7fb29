#include "standards/loader.hpp"

#include "core/package.hpp"
#include "standards/reference_csv.hpp"
#include "store/plan_store.hpp"

namespace minplan::standards {

Standards Standards::load(const std::filesystem::path& minerals_csv, const std::filesystem::path& sizes_csv,
                          const std::filesystem::path& sanlv_csv) {
    Standards s{MineralNames::load(minerals_csv), {}, SanlvTable::load(sanlv_csv)};
    s.sizes = SizeClassTable::load(sizes_csv, s.minerals);
    return s;
}

Standards Standards::parse(const std::string& minerals_csv, const std::string& sizes_csv, const std::string& sanlv_csv) {
    Standards s{MineralNames::from_table(parse_csv(minerals_csv, package::kMinerals)), {},
                SanlvTable::from_table(parse_csv(sanlv_csv, package::kSanlv))};
    s.sizes = SizeClassTable::from_table(parse_csv(sizes_csv, package::kSizeClasses), s.minerals);
    return s;
}

Standards Standards::from_store(const store::PlanStore& store) {
    auto file = [&](const char* name) { return package::required(store.package_file(name), name, store.location()); };
    // In this order, so that a database without any of them names the first one.
    const std::string minerals = file(package::kMinerals), sizes = file(package::kSizeClasses), sanlv = file(package::kSanlv);
    return parse(minerals, sizes, sanlv);
}

}  // namespace minplan::standards
