#include "formats/geojson_limits.hpp"

#include <nlohmann/json.hpp>

#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"

namespace minplan::formats {
namespace {

double mib(std::uintmax_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

// SAX handler: a position is an array whose elements are all numbers. Only the open arrays' state is
// kept, so memory is bounded by the depth limit, whatever the file's size.
class Counter : public nlohmann::json_sax<nlohmann::json> {
public:
    Counter(const std::string& name, const InputLimits& limits) : name_(name), limits_(limits) {}
    std::size_t positions = 0;

    bool null() override { return other(); }
    bool boolean(bool) override { return other(); }
    bool number_integer(number_integer_t) override { return number(); }
    bool number_unsigned(number_unsigned_t) override { return number(); }
    bool number_float(number_float_t, const string_t&) override { return number(); }
    bool string(string_t&) override { return other(); }
    bool binary(binary_t&) override { return other(); }
    bool start_object(std::size_t) override { return open(false); }
    bool key(string_t&) override { return true; }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(true); }
    bool end_array() override {
        const Open a = open_.back();
        if (a.array && a.numbers > 0 && a.only_numbers && ++positions > limits_.max_vertices)
            throw InputError(fmt::format("{}：顶点超过 {} 个的上限 / more than {} vertices (limit)", name_,
                                         limits_.max_vertices, limits_.max_vertices));
        return close();
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
        throw InputError(fmt::format("{}：GeoJSON 语法错误（{}）；坐标只能是有限数字，NaN/Infinity 不是合法 JSON / GeoJSON syntax error",
                                     name_, e.what()));
    }

private:
    struct Open {
        bool array;
        bool only_numbers = true;
        std::size_t numbers = 0;
    };
    bool open(bool array) {
        child(false);
        if (static_cast<int>(open_.size()) >= limits_.max_json_depth)
            throw InputError(fmt::format("{}：GeoJSON 嵌套超过 {} 层上限 / nested deeper than the limit of {} levels", name_,
                                         limits_.max_json_depth, limits_.max_json_depth));
        open_.push_back({array});
        return true;
    }
    bool close() {
        open_.pop_back();
        return true;
    }
    void child(bool is_number) {
        if (open_.empty()) return;
        if (is_number) ++open_.back().numbers;
        else open_.back().only_numbers = false;
    }
    bool number() {
        child(true);
        return true;
    }
    bool other() {
        child(false);
        return true;
    }
    const std::string& name_;
    const InputLimits& limits_;
    std::vector<Open> open_;
};

}  // namespace

void check_file_size(std::uintmax_t size, const std::string& name, const InputLimits& limits) {
    if (size > limits.max_file_bytes)
        throw InputError(fmt::format("{}：文件 {:.1f} MiB，超过申请文件 {:.0f} MiB 的上限 / file of {:.1f} MiB exceeds the {:.0f} MiB limit",
                                     name, mib(size), mib(limits.max_file_bytes), mib(size), mib(limits.max_file_bytes)));
}

std::size_t check_geojson(const std::string& text, const std::string& name, const InputLimits& limits) {
    check_file_size(text.size(), name, limits);
    Counter counter(name, limits);
    try {
        nlohmann::json::sax_parse(text, &counter);
    } catch (const nlohmann::json::exception& e) {  // 1e400: out_of_range, not a parse_error callback
        throw InputError(fmt::format("{}：GeoJSON 数值无法读取（{}）/ unreadable number", name, e.what()));
    }
    return counter.positions;
}

}  // namespace minplan::formats
