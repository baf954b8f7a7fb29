// `minplan check … --format docx|html|pdf` writes the opinion a bureau files (issue 10, item 4). The DOCX must
// open in LibreOffice: the test converts it to PDF with `soffice --headless` and reads the text back with
// `pdftotext` (Debian: libreoffice-writer-nogui, poppler-utils; scripts/install_deps.sh). Without them the
// test fails and says what to install: it never skips.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>

#include "cli/app.hpp"
#include "../plan/plan_fixture.hpp"

namespace minplan::testing {
namespace {

std::string squeeze(const std::string& s) {
    std::string out;
    for (char c : s)
        if (!std::isspace(static_cast<unsigned char>(c))) out += c;
    return out;
}

// The application lies on schematic geometry only (which never decides a verdict) and lacks the attributes a
// non-spatial rule could veto on: the verdict is 需人工核查, which is not a veto (exit 0, not 1).
constexpr int kNoVetoExit = cli::kOk;

class OpinionCli : public ::testing::Test {
protected:
    CliResult check(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db_.string(), "check"});
        return run_cli(args);
    }
    // The opinion's text as LibreOffice lays it out (docx) or as Chromium printed it (pdf), without
    // whitespace (table cells wrap).
    std::string pdf_text(const fs::path& pdf) {
        const fs::path txt = dir_ / (pdf.stem().string() + ".txt");
        const std::string cmd = "pdftotext -enc UTF-8 '" + pdf.string() + "' '" + txt.string() + "'";
        EXPECT_EQ(std::system(cmd.c_str()), 0) << "pdftotext (poppler-utils, scripts/install_deps.sh) is needed";
        return squeeze(read_bytes(txt));
    }
    fs::path docx_to_pdf(const fs::path& docx) {
        const fs::path out = dir_ / "lo";
        const std::string cmd = "soffice -env:UserInstallation=file://" + (dir_ / "lo-profile").string() +
                                " --headless --convert-to pdf --outdir '" + out.string() + "' '" + docx.string() + "' > '" +
                                (dir_ / "soffice.log").string() + "' 2>&1";
        EXPECT_EQ(std::system(cmd.c_str()), 0)
            << "LibreOffice must open the DOCX (soffice from libreoffice-writer-nogui, scripts/install_deps.sh): "
            << read_bytes(dir_ / "soffice.log");
        return out / (docx.stem().string() + ".pdf");
    }
    std::vector<std::string> issue(const std::string& format, const fs::path& out) {
        return {(test_data_dir() / "rules" / "opinion" / "lingqiu_limestone.txt").string(), "--kind", "mining", "--attr",
                "applicant=灵丘县唐之洼建材有限公司", "--attr", "main_mineral=石灰岩", "--reviewer", "沈审", "--role", "审查员",
                "--number", "大同规审〔2026〕0042号", "--format", format, "--out", out.string()};
    }
    void expect_every_element(const std::string& text) {
        for (const char* s : {"大同市规划和自然资源局", "矿业权规划符合性审查意见", "大同规审〔2026〕0042号", "灵丘县唐之洼石灰岩矿",
                              "灵丘县唐之洼建材有限公司", "采矿权", "新立", "沈审（审查员）", "拐点坐标", "4418500.00", "38493500.00",
                              "经度", "纬度", "平方千米", "与规划要素的空间关系", "逐项审查结果", "审查结论", "需人工核查的事项",
                              "须核实", "示意图", "示意几何提示", "不能据此判定", "登记面积", "椭球面积", "审查人", "复核人", "签发人", "盖章处", "北京时间"})
            EXPECT_NE(text.find(squeeze(s)), std::string::npos) << s;
        EXPECT_TRUE(std::regex_search(text, std::regex("20\\d\\d年\\d{1,2}月\\d{1,2}日"))) << "date";
        EXPECT_TRUE(std::regex_search(text, std::regex("\\d{3}°\\d\\d′\\d\\d\\.\\d\\d″"))) << "longitude";
        for (const char* bad : {"land_parcel_txt", "[seed", "main_mineral", "mineral_rights", "引擎", "lingqiu_limestone"})
            EXPECT_EQ(text.find(bad), std::string::npos) << bad;
    }
    TempDir dir_;
    fs::path db_ = copy_of_plan(dir_);
};

TEST_F(OpinionCli, DocxOpensInLibreOfficeWithEveryElementOfTheOpinion) {
    const fs::path docx = dir_ / "opinion.docx";
    CliResult r = check(issue("docx", docx));
    ASSERT_EQ(r.code, kNoVetoExit) << r.err;
    ASSERT_TRUE(fs::exists(docx)) << r.err;
    EXPECT_EQ(read_bytes(docx).substr(0, 2), "PK");  // an OOXML package
    const fs::path pdf = docx_to_pdf(docx);
    ASSERT_TRUE(fs::exists(pdf));
    const std::string text = pdf_text(pdf);
    expect_every_element(text);
    // The sketch map is a picture in the document.
    const fs::path list = dir_ / "images.txt";
    ASSERT_EQ(std::system(("pdfimages -list '" + pdf.string() + "' > '" + list.string() + "'").c_str()), 0);
    const std::string images = read_bytes(list);
    EXPECT_GE(std::count(images.begin(), images.end(), '\n'), 3) << images;  // two header lines, then one per image
}

TEST_F(OpinionCli, HtmlAndPdfCarryTheSameElements) {
    const fs::path html = dir_ / "opinion.html", pdf = dir_ / "opinion.pdf";
    CliResult r = check(issue("html", html));
    ASSERT_EQ(r.code, kNoVetoExit) << r.err;
    std::string page = read_bytes(html);
    EXPECT_NE(page.find("<svg"), std::string::npos);
    r = check(issue("pdf", pdf));
    ASSERT_EQ(r.code, kNoVetoExit) << r.err;
    expect_every_element(pdf_text(pdf));
}

TEST_F(OpinionCli, DocxNeedsAnOutputFile) {
    CliResult r = check({(test_data_dir() / "rules" / "opinion" / "lingqiu_limestone.txt").string(), "--kind", "mining", "--format", "docx"});
    EXPECT_EQ(r.code, cli::kInputError);
    EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace minplan::testing
