#include <CLI/CLI.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "server/server.hpp"
#include "store/plan_database.hpp"

namespace minplan::cli {
namespace {

class ServeCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--db", db_, "规划数据库 GeoPackage（默认：随程序附带的规划）/ plan database");
        sub.add_option("--port", options_.port, "端口（0 = 任意空闲端口）/ port")->default_val(8080);
        sub.add_option("--host", options_.host, "监听地址（默认仅本机）/ bind address")->default_val("127.0.0.1");
        sub.add_option("--web", options_.web_root, "网页目录（默认 web/dist）/ built front end");
        sub.add_option("--tiles", options_.tile_url,
                       "可选底图瓦片地址（XYZ，EPSG:3857），如 http://内网瓦片/{z}/{x}/{y}.png；默认无在线底图 / optional tile URL");
        sub.add_flag("--log", log_stderr_, "请求日志同时输出到标准错误 / also log requests on stderr");
        sub.add_option("--access-log", access_log_,
                       "请求日志文件（默认：数据库旁的 <数据库>.access.log，按 10 MiB 轮转保留 5 个；PostGIS 数据库默认写到标准错误；off = 不记录）/ request log");
        sub.add_flag("--behind-tls", options_.proxy.behind_tls, "门户只经 HTTPS 访问（会话 Cookie 加 Secure）/ served over TLS");
        sub.add_option("--hold-max-features", options_.held_max_features,
                       "要素数不超过此值的图层整体驻留内存，更大的图层按范围分页读取（默认 20000）/ layers held in memory up to this size")
            ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40));
        sub.add_option("--trusted-proxy", options_.proxy.trusted_proxies,
                       "可信反向代理地址（可多次）：采信其 X-Forwarded-For 与 X-Forwarded-Proto / trusted reverse proxy");
    }
    int run(Context& ctx) override {
        if (!db_.empty()) ctx.db = db_;
        const std::string db = resolve_db(ctx);
        if (log_stderr_) options_.access_log.path = "-";
        // A PostGIS location is a conninfo (it may hold a password): never a file name; its log goes to stderr.
        else if (access_log_ != "off")
            options_.access_log.path = !access_log_.empty() ? access_log_ : db.rfind("PG:", 0) == 0 ? "-" : db + ".access.log";
        server::PortalServer server(store::open_database(db), options_);
        int port = server.bind();
        ctx.out << "规划门户已启动 / portal listening: http://" << options_.host << ":" << port
                << "/  （API 说明: /api/openapi.json；Ctrl+C 停止）" << std::endl;
        server.run();
        return 0;
    }

private:
    std::string db_, access_log_;
    bool log_stderr_ = false;
    server::ServerOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_serve() { return std::make_unique<ServeCommand>(); }

}  // namespace minplan::cli
