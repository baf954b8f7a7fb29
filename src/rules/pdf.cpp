#include "rules/pdf.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <fstream>
#include <random>

namespace minplan::rules {

void html_to_pdf(const std::string& html, const std::filesystem::path& pdf) {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    auto dir = std::filesystem::temp_directory_path() /
               ("minplan-pdf-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(dir);
    struct Cleanup {
        std::filesystem::path d;
        ~Cleanup() {
            std::error_code ec;
            std::filesystem::remove_all(d, ec);
        }
    } cleanup{dir};
    const auto page = dir / "report.html";
    {
        std::ofstream o(page, std::ios::binary);
        if (!(o << html)) throw IoError("无法写入临时文件 " + page.string() + " / cannot write");
    }
    const std::string out_arg = "--print-to-pdf=" + std::filesystem::absolute(pdf).string();
    const std::string url = "file://" + page.string();
    const std::string profile = "--user-data-dir=" + (dir / "profile").string();
    const char* argv[] = {"chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                          profile.c_str(), out_arg.c_str(), url.c_str(), nullptr};
    pid_t pid = ::fork();
    if (pid == 0) {
        // Only async-signal-safe calls here (the portal forks from a multi-threaded process); the server's
        // sockets are not passed on to Chromium.
        int devnull = ::open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            ::dup2(devnull, 0);
            ::dup2(devnull, 1);
            ::dup2(devnull, 2);
        }
        for (int fd = 3; fd < 1024; ++fd) ::close(fd);
        ::execvp("chromium", const_cast<char* const*>(argv));
        ::_exit(127);
    }
    int status = 0;
    if (pid < 0) throw IoError("无法启动 chromium / cannot start chromium");
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw IoError("无法等待 chromium 结束 / waitpid failed");
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        throw ChromiumMissing("未找到 chromium（scripts/install_deps.sh 安装 chromium 与 fonts-noto-cjk）/ chromium not found");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !std::filesystem::exists(pdf))
        throw IoError("chromium 生成 PDF 失败 / chromium failed to print the PDF");
}

}  // namespace minplan::rules
