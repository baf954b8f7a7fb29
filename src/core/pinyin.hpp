// Pinyin initials of Chinese characters, for search by initials (`tsk` finds 塔山矿). The table is data:
// data/schema/pinyin_initials.txt, generated from the npm package pinyin-pro by
// web/tools/gen_pinyin_initials.mjs (one line per letter: "<letter>\t<characters>"; a polyphonic character
// is listed under each of its initials), so no dictionary is written by hand here.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace minplan {

class PinyinInitials {
public:
    // IoError when the file cannot be read, InputError naming the line when a line is malformed.
    static PinyinInitials load(const std::filesystem::path& file);
    // The table shipped in home_dir()/data/schema (loaded once, thread-safe).
    static const PinyinInitials& shipped();

    // True when `query` (ASCII letters, any case) spells the initials of consecutive characters of `text`
    // (UTF-8): "dt" matches 大同市, "tsk" 塔山矿, "c" or "z" 长. ASCII letters and digits of the text stand
    // for themselves. An empty query matches nothing.
    bool matches(std::string_view text, std::string_view query) const;
    // A query worth matching against initials: two or more ASCII letters and nothing else.
    static bool looks_like_initials(std::string_view query);

private:
    std::map<char32_t, std::string> initials_;  // character → its initials ("cz" for 长)
};

}  // namespace minplan
