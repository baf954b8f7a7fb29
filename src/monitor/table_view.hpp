// A table as the reports lay it out: title, columns with header, unit and number format, typed cells.
// The terminal printer, the XLSX writer and the HTML report all render this one shape.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace minplan::monitor {

struct Cell {
    std::string text;               // what is shown (numbers formatted)
    std::optional<double> number;   // set for numeric cells (written as numbers in XLSX)
    int decimals = 2;               // number format: 0 → "0", 2 → "0.00"
    std::string style;              // "" or a status key (met, at_risk, …) for colouring

    static Cell of(std::string t) { return {std::move(t), std::nullopt, 0, ""}; }
    static Cell num(double v, int decimals, std::string shown = "");
    static Cell opt(const std::optional<double>& v, int decimals, const std::string& if_null = "");
};

struct TableView {
    std::string sheet_name;  // ≤ 31 characters (XLSX sheet name)
    std::string title;
    std::vector<std::string> headers;
    std::vector<std::string> units;  // per column, may be empty
    std::vector<std::vector<Cell>> rows;
    std::vector<std::string> notes;  // printed below the table (sources, derivations)
};

}  // namespace minplan::monitor
