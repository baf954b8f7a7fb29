// A structure-aware input for the XLSX readers: mutating the bytes of a deflated ZIP only ever tests the
// ZIP layer, so the fuzzer's bytes are the worksheets' XML, and a valid workbook (stored, uncompressed
// ZIP) is built around them. Input: up to three worksheet XML parts, then an optional sharedStrings.xml,
// separated by kPartSeparator; the worksheets are named 矿山名录, 矿山年报, 勘查成果 in that order.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace minplan::fuzz {

inline constexpr std::string_view kPartSeparator = "\n#PART#\n";

inline std::uint32_t crc32(std::string_view bytes) {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : bytes) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

// A ZIP archive with every entry stored (method 0).
inline std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string out, central;
    auto u16 = [](std::string& s, unsigned v) {
        s += static_cast<char>(v & 0xFF);
        s += static_cast<char>((v >> 8) & 0xFF);
    };
    auto u32 = [&](std::string& s, std::uint32_t v) {
        u16(s, v & 0xFFFF);
        u16(s, v >> 16);
    };
    for (const auto& [name, data] : entries) {
        const std::uint32_t offset = static_cast<std::uint32_t>(out.size()), crc = crc32(data);
        const auto size = static_cast<std::uint32_t>(data.size());
        u32(out, 0x04034b50);
        u16(out, 20), u16(out, 0x0800), u16(out, 0), u16(out, 0), u16(out, 0x21);  // version, UTF-8 names, stored, time, date
        u32(out, crc), u32(out, size), u32(out, size);
        u16(out, static_cast<unsigned>(name.size())), u16(out, 0);
        out += name;
        out += data;
        u32(central, 0x02014b50);
        u16(central, 20), u16(central, 20), u16(central, 0x0800), u16(central, 0), u16(central, 0), u16(central, 0x21);
        u32(central, crc), u32(central, size), u32(central, size);
        u16(central, static_cast<unsigned>(name.size())), u16(central, 0), u16(central, 0), u16(central, 0), u16(central, 0);
        u32(central, 0), u32(central, offset);
        central += name;
    }
    const auto central_at = static_cast<std::uint32_t>(out.size());
    out += central;
    u32(out, 0x06054b50);
    u16(out, 0), u16(out, 0), u16(out, static_cast<unsigned>(entries.size())), u16(out, static_cast<unsigned>(entries.size()));
    u32(out, static_cast<std::uint32_t>(central.size())), u32(out, central_at), u16(out, 0);
    return out;
}

inline std::vector<std::string_view> split_parts(std::string_view input, std::size_t max_parts) {
    std::vector<std::string_view> parts;
    while (parts.size() + 1 < max_parts) {
        const auto p = input.find(kPartSeparator);
        if (p == std::string_view::npos) break;
        parts.push_back(input.substr(0, p));
        input.remove_prefix(p + kPartSeparator.size());
    }
    parts.push_back(input);
    return parts;
}

inline std::string xlsx_from_parts(std::string_view input) {
    static constexpr const char* kNames[] = {"矿山名录", "矿山年报", "勘查成果"};
    const auto parts = split_parts(input, 4);
    const std::size_t sheets = std::min<std::size_t>(parts.size(), 3);
    const bool shared = parts.size() == 4;
    const std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    std::string types = xml + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                              "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                              "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                              "<Override PartName=\"/xl/workbook.xml\" "
                              "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>";
    std::string workbook = xml + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"" + rel +
                           "\"><sheets>";
    std::string rels = xml + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
    std::vector<std::pair<std::string, std::string>> entries;
    for (std::size_t i = 0; i < sheets; ++i) {
        const std::string n = std::to_string(i + 1);
        types += "<Override PartName=\"/xl/worksheets/sheet" + n +
                 ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>";
        workbook += std::string("<sheet name=\"") + kNames[i] + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
        rels += "<Relationship Id=\"rId" + n + "\" Type=\"" + rel + "/worksheet\" Target=\"worksheets/sheet" + n + ".xml\"/>";
        entries.emplace_back("xl/worksheets/sheet" + n + ".xml", std::string(parts[i]));
    }
    if (shared) {
        types += "<Override PartName=\"/xl/sharedStrings.xml\" "
                 "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>";
        rels += "<Relationship Id=\"rId9\" Type=\"" + rel + "/sharedStrings\" Target=\"sharedStrings.xml\"/>";
        entries.emplace_back("xl/sharedStrings.xml", std::string(parts[3]));
    }
    types += "</Types>";
    workbook += "</sheets></workbook>";
    rels += "</Relationships>";
    entries.insert(entries.begin(), {{"[Content_Types].xml", types},
                                     {"_rels/.rels", xml + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                                                           "relationships\"><Relationship Id=\"rId1\" Type=\"" +
                                                           rel + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
                                     {"xl/workbook.xml", workbook},
                                     {"xl/_rels/workbook.xml.rels", rels}});
    return stored_zip(entries);
}

}  // namespace minplan::fuzz
