// Reading a JSON file with the project's messages: IoError when it cannot be read, InputError naming the
// file and the parser's position when it is not JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"

namespace minplan {

inline nlohmann::json read_json_file(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw IoError("无法读取 " + file.string() + " / cannot read");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file.string() + ": JSON 语法错误 / syntax error: " + e.what());
    }
}

}  // namespace minplan
