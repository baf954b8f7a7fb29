// The audit trail's CSV (services::audit_csv, `minplan log --audit --out x.csv`, GET /api/audit?format=csv):
// BOM, CRLF lines and RFC 4180 quoting, the expected bytes written out by hand.
#include <gtest/gtest.h>

#include "services/audit_export.hpp"

namespace minplan::services {
namespace {

TEST(AuditCsv, CellsWithCommasQuotesAndLineBreaksAreQuotedOthersAreNot) {
    store::AuditEntry e;
    e.id = 7;
    e.at = "2026-12-01 08:00";
    e.actor = "张三";
    e.client = "127.0.0.1";
    e.action = "changeset.approve";
    e.object = "变更集 3，第二批";  // a full-width comma needs no quotes
    e.before = "a,b";
    e.after = "他说\"可以\"\r\n第二行";
    const std::string expected =
        "\xEF\xBB\xBF"
        "序号,时间（北京时间）,操作者,客户端,操作,对象,变更前,变更后\r\n"
        "7,2026-12-01 08:00,张三,127.0.0.1,changeset.approve,变更集 3，第二批,\"a,b\",\"他说\"\"可以\"\"\r\n第二行\"\r\n";
    EXPECT_EQ(audit_csv({e}), expected);
}

TEST(AuditCsv, NoEntriesGiveTheHeaderAlone) {
    EXPECT_EQ(audit_csv({}), "\xEF\xBB\xBF序号,时间（北京时间）,操作者,客户端,操作,对象,变更前,变更后\r\n");
}

}  // namespace
}  // namespace minplan::services
