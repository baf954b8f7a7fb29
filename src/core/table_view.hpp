// A table as the reports lay it out: title, columns with header, unit and number format, typed cells.
// The terminal printer, the XLSX writer (formats/xlsx_writer) and the HTML report all render this one
// shape, so it lives in core: plain data, no I/O.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace minplan {

// `v` with at most `max_decimals` decimals, trailing zeros dropped ("1.50" → "1.5", "-0" → "0").
inline std::string format_number(double v, int max_decimals = 2) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", max_decimals, v);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
        while (!s.empty() && s.back() == '0') s.pop_back();
        if (!s.empty() && s.back() == '.') s.pop_back();
    }
    return s == "-0" ? "0" : s;
}

struct Cell {
    std::string text;               // what is shown (numbers formatted)
    std::optional<double> number;   // set for numeric cells (written as numbers in XLSX)
    int decimals = 2;               // number format: 0 → "0", 2 → "0.00"
    std::string style;              // "" or a status key (met, at_risk, …) for colouring

    static Cell of(std::string t) { return {std::move(t), std::nullopt, 0, ""}; }
    static Cell num(double v, int decimals, std::string shown = "") {
        return {shown.empty() ? format_number(v, decimals) : std::move(shown), v, decimals, ""};
    }
    static Cell opt(const std::optional<double>& v, int decimals, const std::string& if_null = "") {
        return v ? num(*v, decimals) : of(if_null);
    }
};

struct TableView {
    std::string sheet_name;  // ≤ 31 characters (XLSX sheet name)
    std::string title;
    std::vector<std::string> headers;
    std::vector<std::string> units;  // per column, may be empty
    std::vector<std::vector<Cell>> rows;
    std::vector<std::string> notes;  // printed below the table (sources, derivations)
};

}  // namespace minplan
