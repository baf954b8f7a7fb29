#include "rules/external_tool.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <cerrno>
#include <random>
#include <thread>

namespace minplan::rules {

namespace {

// A counting semaphore whose size is read once (std::counting_semaphore needs it at compile time).
class Slots {
public:
    explicit Slots(std::size_t n) : free_(n) {}
    bool acquire(std::chrono::steady_clock::time_point deadline) {
        std::unique_lock lock(mutex_);
        if (!freed_.wait_until(lock, deadline, [this] { return free_ > 0; })) return false;
        --free_;
        return true;
    }
    void release() {
        {
            std::lock_guard lock(mutex_);
            ++free_;
        }
        freed_.notify_one();
    }

private:
    std::mutex mutex_;
    std::condition_variable freed_;
    std::size_t free_;
};

Slots& slots() {
    static Slots s(max_running_tools());
    return s;
}

}  // namespace

std::size_t max_running_tools() {
    if (const char* v = std::getenv("MINPLAN_MAX_TOOLS")) {
        char* end = nullptr;
        const long n = std::strtol(v, &end, 10);
        if (end != v && *end == 0 && n > 0 && n <= 64) return static_cast<std::size_t>(n);
    }
    return 2;
}

int run_tool(const std::vector<std::string>& args, std::chrono::seconds timeout, const std::filesystem::path& cwd) {
    if (!slots().acquire(std::chrono::steady_clock::now() + timeout))
        throw ToolBusy("已有 " + std::to_string(max_running_tools()) + " 个文档转换在运行，请稍后重试 / all document tools busy, retry later");
    struct Release {
        ~Release() { slots().release(); }
    } release;
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const std::string dir = cwd.string();
    pid_t pid = ::fork();
    if (pid == 0) {
        // Only async-signal-safe calls here (the portal forks from a multi-threaded process); the server's
        // sockets are not passed on.
        int devnull = ::open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            ::dup2(devnull, 0);
            ::dup2(devnull, 1);
            ::dup2(devnull, 2);
        }
        for (int fd = 3; fd < 1024; ++fd) ::close(fd);
        if (!dir.empty() && ::chdir(dir.c_str()) != 0) ::_exit(126);
        ::setpgid(0, 0);  // its own group: a timeout kills what it started too
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    if (pid < 0) throw IoError("无法启动 " + args[0] + " / cannot start " + args[0]);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    for (;;) {
        pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) throw IoError("无法等待 " + args[0] + " 结束 / waitpid failed");
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            throw IoError(args[0] + " 超过 " + std::to_string(timeout.count()) + " 秒未完成，已终止 / " + args[0] + " timed out");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        throw ToolMissing("未找到 " + args[0] + "（scripts/install_deps.sh 安装）/ " + args[0] + " not found");
    if (!WIFEXITED(status)) throw IoError(args[0] + " 异常退出 / " + args[0] + " was killed");
    return WEXITSTATUS(status);
}

TempDir::TempDir(const std::string& prefix) {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

}  // namespace minplan::rules
