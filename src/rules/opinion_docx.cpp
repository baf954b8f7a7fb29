// The opinion as a Word document the reviewer can edit: the HTML page itself, converted by pandoc (Debian
// package `pandoc`), with the sketch map rasterised to PNG by rsvg-convert
// (`librsvg2-bin`; Word and LibreOffice both show PNG, not every version shows SVG).
#include <fstream>

#include "core/home.hpp"
#include "rules/external_tool.hpp"
#include "rules/opinion.hpp"
#include "rules/report.hpp"

namespace minplan::rules {
namespace {

// A4, ruled tables, 宋体 五号 (scripts/make_opinion_reference.py); pandoc's plain default when the shipped
// files cannot be found (the document is still complete, only plainer).
std::filesystem::path reference_doc() {
    try {
        auto p = home_dir() / "data" / "templates" / "opinion-reference.docx";
        if (std::filesystem::exists(p)) return p;
    } catch (const IoError&) {
    }
    return {};
}

void write_text(const std::filesystem::path& p, const std::string& text) {
    std::ofstream o(p, std::ios::binary);
    if (!(o << text)) throw IoError("无法写入临时文件 " + p.string() + " / cannot write");
}

}  // namespace

void opinion_html_to_docx(const std::string& page, const std::filesystem::path& out) {
    TempDir dir("minplan-docx");
    // The page's styles and <title> mean nothing to Word (pandoc would print the title twice); its inline
    // SVG map becomes a PNG file beside the HTML.
    std::string html = page;
    for (const char* tag : {"style", "title"}) {
        const std::string open = std::string("<") + tag, close = std::string("</") + tag + ">";
        if (auto b = html.find(open); b != std::string::npos)
            if (auto e = html.find(close, b); e != std::string::npos) html.erase(b, e + close.size() - b);
    }
    if (auto b = html.find("<svg"); b != std::string::npos) {
        const auto e = html.find("</svg>", b);
        if (e == std::string::npos) throw InternalError("opinion page: unclosed <svg>");
        write_text(dir.path() / "map.svg", html.substr(b, e + 6 - b));
        if (run_tool({"rsvg-convert", "--width", "1440", "--keep-aspect-ratio", "--format", "png", "--output", "map.png", "map.svg"},
                     std::chrono::seconds(60), dir.path()) != 0 ||
            !std::filesystem::exists(dir.path() / "map.png"))
            throw IoError("rsvg-convert 无法绘制示意图 / rsvg-convert failed to render the map");
        html.replace(b, e + 6 - b, "<img src=\"map.png\" alt=\"申请范围与周边规划要素示意图\" style=\"width:16cm\" />");
    }
    write_text(dir.path() / "opinion.html", html);
    const auto tmp = dir.path() / "opinion.docx";
    std::vector<std::string> args = {"pandoc", "--from", "html", "--to", "docx", "--resource-path", dir.path().string(), "--output",
                                     tmp.string(), "opinion.html"};
    if (const auto ref = reference_doc(); !ref.empty()) args.push_back("--reference-doc=" + ref.string());
    if (run_tool(args, std::chrono::seconds(120), dir.path()) != 0 ||
        !std::filesystem::exists(tmp))
        throw IoError("pandoc 生成 Word 文档失败 / pandoc failed to write the DOCX");
    // The caller's output file (CLI --out, or the server's scratch file), never the plan database: pandoc
    // writes into its own temporary directory so a failed run leaves no half-written document behind.
    std::error_code ec;
    std::filesystem::copy_file(tmp, std::filesystem::absolute(out), std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) throw IoError("无法写入 " + out.string() + "：" + ec.message() + " / cannot write");
}

void write_opinion_docx(const Report& r, const OpinionInfo& info, const std::filesystem::path& out) {
    opinion_html_to_docx(opinion_html(r, info), out);
}

}  // namespace minplan::rules
