#include "core/pinyin.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <vector>

#include "core/error.hpp"
#include "core/home.hpp"

namespace minplan {
namespace {

// Decodes UTF-8; an invalid byte becomes U+FFFD (it has no initial, so it only breaks a match).
std::vector<char32_t> code_points(std::string_view s) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > s.size()) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        char32_t cp = len == 1 ? b : b & (0x7F >> len);
        bool ok = true;
        for (int k = 1; k < len; ++k) {
            auto c = static_cast<unsigned char>(s[i + k]);
            if ((c >> 6) != 2) ok = false;
            cp = (cp << 6) | (c & 0x3F);
        }
        out.push_back(ok ? cp : 0xFFFD);
        i += ok ? len : 1;
    }
    return out;
}

char lower_ascii(char32_t c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

}  // namespace

PinyinInitials PinyinInitials::load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw IoError("无法读取拼音首字母表 " + file.string() + "（由 web/tools/gen_pinyin_initials.mjs 生成）");
    PinyinInitials table;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.empty() || line[0] == '#') continue;
        if (line.size() < 3 || !std::islower(static_cast<unsigned char>(line[0])) || line[1] != '\t')
            throw InputError(file.string() + " 第 " + std::to_string(n) + " 行：应为“小写字母<TAB>汉字…”");
        for (char32_t c : code_points(std::string_view(line).substr(2))) {
            std::string& letters = table.initials_[c];
            if (letters.find(line[0]) == std::string::npos) letters += line[0];
        }
    }
    return table;
}

const PinyinInitials& PinyinInitials::shipped() {
    static const PinyinInitials table = load(home_dir() / "data" / "schema" / "pinyin_initials.txt");
    return table;
}

bool PinyinInitials::looks_like_initials(std::string_view query) {
    return query.size() >= 2 &&
           std::all_of(query.begin(), query.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

bool PinyinInitials::matches(std::string_view text, std::string_view query) const {
    if (query.empty()) return false;
    const std::vector<char32_t> chars = code_points(text);
    auto fits = [&](char32_t c, char q) {
        q = lower_ascii(static_cast<unsigned char>(q));
        if (c < 0x80) return std::isalnum(static_cast<int>(c)) && lower_ascii(c) == q;
        auto it = initials_.find(c);
        return it != initials_.end() && it->second.find(q) != std::string::npos;
    };
    for (std::size_t start = 0; start + query.size() <= chars.size(); ++start) {
        std::size_t k = 0;
        while (k < query.size() && fits(chars[start + k], query[k])) ++k;
        if (k == query.size()) return true;
    }
    return false;
}

}  // namespace minplan
