#include "services/audit_export.hpp"
#include "core/text.hpp"

namespace minplan::services {

namespace {

void csv_line(std::string& out, const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        append_csv_cell(out, cells[i]);
    }
    out += "\r\n";
}

}  // namespace

const std::vector<std::string>& audit_header() {
    static const std::vector<std::string> header = {"序号", "时间（北京时间）", "操作者", "客户端", "操作", "对象", "变更前", "变更后"};
    return header;
}

std::vector<std::string> audit_row(const store::AuditEntry& e) {
    return {std::to_string(e.id), e.at, e.actor, e.client, e.action, e.object, e.before, e.after};
}

TableView audit_table(const std::vector<store::AuditEntry>& entries, const std::string& database) {
    TableView v;
    v.sheet_name = "审计记录";
    v.title = "规划数据库审计记录（" + database + "）";
    v.headers = audit_header();
    for (const auto& e : entries) {
        std::vector<Cell> cells;
        for (auto& c : audit_row(e)) cells.push_back(Cell::of(c));
        v.rows.push_back(std::move(cells));
    }
    return v;
}

std::string audit_csv(const std::vector<store::AuditEntry>& entries) {
    std::string out = "\xEF\xBB\xBF";
    csv_line(out, audit_header());
    for (const auto& e : entries) csv_line(out, audit_row(e));
    return out;
}

}  // namespace minplan::services
