#include "core/labels.hpp"

#include <map>

namespace minplan {

std::string label_zh(const std::string& code) {
    static const std::map<std::string, std::string> labels = {
        {"province", "省级（落实省规划）"},
        {"city", "市县级"},
        {"exploration", "探矿权/勘查"},
        {"mining", "采矿权/开采"},
        {"key_mining", "重点矿区"},
        {"concentrated", "集中开采区"},
        {"nature_reserve", "自然保护区"},
        {"water_source", "水源保护区"},
        {"forest_park", "森林公园"},
        {"ecological_red_line", "生态保护红线"},
        {"permanent_basic_farmland", "永久基本农田"},
        {"urban_development_boundary", "城镇开发边界"},
        {"other", "其他"},
        {"schematic", "示意几何"},
        {"imported", "导入"},
        {"reference", "参考界线"},
    };
    auto it = labels.find(code);
    return it == labels.end() ? code : it->second;
}

}  // namespace minplan
