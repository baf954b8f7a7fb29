#include "rules/pdf.hpp"

#include <fstream>
#include <vector>

#include "rules/external_tool.hpp"

namespace minplan::rules {

namespace {

// One Chromium print: `extra` flags before the page address.
void print_page(const std::string& address, const std::filesystem::path& pdf, const TempDir& dir,
                const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {"chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                     "--user-data-dir=" + (dir.path() / "profile").string(),
                                     "--print-to-pdf=" + std::filesystem::absolute(pdf).string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(address);
    int status = 0;
    try {
        status = run_tool(argv, std::chrono::seconds(120));
    } catch (const ToolMissing&) {
        throw ChromiumMissing("未找到 chromium（scripts/install_deps.sh 安装 chromium 与 fonts-noto-cjk）/ chromium not found");
    }
    if (status != 0 || !std::filesystem::exists(pdf)) throw IoError("chromium 生成 PDF 失败 / chromium failed to print the PDF");
}

}  // namespace

void html_to_pdf(const std::string& html, const std::filesystem::path& pdf) {
    TempDir dir("minplan-pdf");
    const auto page = dir.path() / "report.html";
    {
        std::ofstream o(page, std::ios::binary);
        if (!(o << html)) throw IoError("无法写入临时文件 " + page.string() + " / cannot write");
    }
    print_page("file://" + page.string(), pdf, dir);
}

void url_to_pdf(const std::string& url, const std::filesystem::path& pdf) {
    TempDir dir("minplan-pdf");
    // Virtual time waits for the page's requests and lets its script draw (the map's features arrive by fetch).
    print_page(url, pdf, dir, {"--virtual-time-budget=20000", "--run-all-compositor-stages-before-draw"});
}

}  // namespace minplan::rules
