#include "rules/pdf.hpp"

#include <fstream>

#include "rules/external_tool.hpp"

namespace minplan::rules {

void html_to_pdf(const std::string& html, const std::filesystem::path& pdf) {
    TempDir dir("minplan-pdf");
    const auto page = dir.path() / "report.html";
    {
        std::ofstream o(page, std::ios::binary);
        if (!(o << html)) throw IoError("无法写入临时文件 " + page.string() + " / cannot write");
    }
    int status = 0;
    try {
        status = run_tool({"chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                           "--user-data-dir=" + (dir.path() / "profile").string(),
                           "--print-to-pdf=" + std::filesystem::absolute(pdf).string(), "file://" + page.string()},
                          std::chrono::seconds(120));
    } catch (const ToolMissing&) {
        throw ChromiumMissing("未找到 chromium（scripts/install_deps.sh 安装 chromium 与 fonts-noto-cjk）/ chromium not found");
    }
    if (status != 0 || !std::filesystem::exists(pdf)) throw IoError("chromium 生成 PDF 失败 / chromium failed to print the PDF");
}

}  // namespace minplan::rules
