#include "server/server.hpp"
#include "server/json_response.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <set>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "core/schema.hpp"
#include "core/home.hpp"
#include "core/text.hpp"
#include "rules/pdf.hpp"
#include "services/map_print.hpp"
#include "formats/geojson_input.hpp"
#include "geo/crs.hpp"
#include "rules/external_tool.hpp"
#include "server/api.hpp"
#include "server/auth.hpp"
#include "server/body_reader.hpp"
#include "server/check_api.hpp"
#include "server/downloads.hpp"
#include "server/feature_snapshot.hpp"
#include "server/http_error.hpp"
#include "server/intake_api.hpp"
#include "server/geoenv_upload_api.hpp"
#include "server/history_api.hpp"
#include "server/monitor_api.hpp"
#include "server/reviews.hpp"
#include "server/static_files.hpp"
#include "server/upload_form.hpp"
#include "server/worker_pool.hpp"
#include "store/plan_database.hpp"
#include "store/sqlite_db.hpp"

namespace minplan::server {
namespace {

void send_error(httplib::Response& res, int status, const std::string& message) {
    send_json(res, status, error_body(status, message));
}

// The one place where exceptions become HTTP statuses.
void answer_error(std::exception_ptr error, httplib::Response& res) {
    try {
        std::rethrow_exception(error);
    } catch (const HttpError& e) {
        send_error(res, e.status(), e.what());
    } catch (const NotFoundError& e) {
        send_error(res, 404, e.what());
    } catch (const InputError& e) {
        send_error(res, 400, e.what());
    } catch (const store::BusyError& e) {  // another writer held the database: worth a retry
        res.set_header("Retry-After", "5");
        send_error(res, 503, e.what());
    } catch (const rules::ToolBusy& e) {  // every Chromium/pandoc slot taken: worth a retry
        res.set_header("Retry-After", "10");
        send_error(res, 503, e.what());
    } catch (const store::ConflictError& e) {
        res.set_header("Retry-After", "1");
        send_error(res, 503, e.what());
    } catch (const IoError& e) {
        send_error(res, 500, std::string("规划数据库读写失败，请检查数据库文件: ") + e.what());
    } catch (const std::exception& e) {
        send_error(res, 500, std::string("服务器内部错误，请把此信息报告给系统管理员: ") + e.what());
    } catch (...) {
        send_error(res, 500, "服务器内部错误，请把此信息报告给系统管理员");
    }
}

template <class Fn>
httplib::Server::Handler guarded(Fn fn) {
    return [fn](const httplib::Request& req, httplib::Response& res) {
        try {
            fn(req, res);
        } catch (...) {
            answer_error(std::current_exception(), res);
        }
    };
}

// When the current worker's request started and who made it (pre-routing runs on the worker that then
// handles and logs the request; a request that fails before routing logs no duration).
struct RequestStart {
    const httplib::Request* request = nullptr;
    std::chrono::steady_clock::time_point at;
};
thread_local RequestStart request_start;

Params params_of(const httplib::Request& req) { return Params(req.params.begin(), req.params.end()); }

std::int64_t parse_fid(const std::string& s) {
    try {
        std::size_t used = 0;
        long long v = std::stoll(s, &used);
        if (used == s.size() && v >= 0) return v;
    } catch (const std::exception&) {
    }
    throw HttpError(400, "要素编号应为非负整数，实际为 \"" + s + "\"");
}

// Default messages for errors raised by httplib itself (no handler ran, the body is empty).
std::string default_message(int status, std::size_t max_body) {
    switch (status) {
        case 400: return "请求格式错误，无法解析";
        case 404: return "没有这个地址；API 列表见 /api/openapi.json";
        case 405: return "该地址不支持此请求方法；请查看 /api/openapi.json";
        case 413: return "请求体过大：上限 " + std::to_string(max_body / 1024) + " KiB，请缩小上传内容";
        case 414: return "请求地址过长，请减少查询参数";
        default: return "请求失败 (HTTP " + std::to_string(status) + ")";
    }
}

bool is_json_type(const std::string& ct) {
    return ct.rfind("application/json", 0) == 0 || ct.rfind("application/geo+json", 0) == 0;
}

// settings.geoenv.public for anonymous requests: the list without the layers withheld (`key` names the id).
void without_layers(nlohmann::json& list, const char* key, const std::set<std::string>& withheld) {
    if (withheld.empty() || !list.contains("layers") || !list["layers"].is_array()) return;
    auto& a = list["layers"];
    a.erase(std::remove_if(a.begin(), a.end(), [&](const nlohmann::json& l) { return l.contains(key) && l[key].is_string() && withheld.count(l[key].get<std::string>()); }),
            a.end());
}

// A FeatureCollection's text without the withheld properties (geo-environment layers are small).
std::string without_fields(const std::string& geojson, const std::set<std::string>& withheld) {
    auto j = nlohmann::json::parse(geojson);
    if (j.contains("features"))
        for (auto& f : j["features"])
            if (f.contains("properties") && f["properties"].is_object())
                for (const auto& k : withheld) f["properties"].erase(k);
    return j.dump();
}

}  // namespace

struct PortalServer::Impl {
    ServerOptions options;
    AccessLog access_log;
    CheckService checker;  // before api: it takes the store's location before api takes the store
    AuthService auth;       // likewise (accounts in the plan database, sessions in memory)
    ReviewService reviews;  // likewise (saved reviews in the plan database)
    MonitorService monitor;     // likewise
    DownloadService downloads;  // likewise
    IntakeService intake;       // likewise
    HistoryService history;     // likewise (as-of reads, change sets, diff, audit trail)
    GeoenvUploadService geoenv_upload;  // likewise (planners' uploads of the geo-environment layers)
    PlanApi api;
    httplib::Server http;
    int listen_fd = -1;  // the listening socket, for its backlog (bind())
    int bound_port = 0;  // for the map print, where Chromium reads the portal's own print view
    Impl(const std::shared_ptr<store::PlanDatabase>& db, ServerOptions o)
        : options(std::move(o)), access_log(options.access_log), checker(db), auth(db, options.session_ttl, options.proxy), reviews(db, checker, auth), monitor(db),
          downloads(db, monitor), intake(db, auth), history(db, auth, options.held_max_features), geoenv_upload(db, auth),
          api(db, options.held_max_features) {}
    void routes();
    // Logged-in staff see every geo-environment layer; anonymous requests what the plan publishes.
    bool staff(const httplib::Request& req) const { return auth.identify(req).logged_in(); }
};

void PortalServer::Impl::routes() {
    // httplib has one body limit for every route: the largest (the uploads'). Each route with a body sets
    // its own limit and role in a BodyPolicy, enforced while the body streams in (body_reader.hpp).
    const std::size_t max_body = options.max_body_bytes;
    const std::size_t library_max = std::max(max_body, upload::kMaxUploadBodyBytes);
    http.set_payload_max_length(library_max);
    http.set_read_timeout(10);
    http.set_write_timeout(10);
    // Without it, Nagle + delayed ACK hold a keep-alive answer for ~40 ms (bench/load.sh).
    http.set_tcp_nodelay(true);
    const std::size_t workers = std::max<std::size_t>(1, options.worker_threads);
    // Warm workers first (worker_pool.hpp); each opens its PROJ database as it starts, not in its first check.
    http.new_task_queue = [workers] { return new LifoWorkerPool(workers, [] { geo::prepare_thread(); }); };
    // httplib closes a keep-alive connection after 5 requests by default: a busy client reconnected every
    // fifth check (a connect, an accept and a hand-off to a worker each time). A worker still leaves an idle
    // connection after 5 s (keep_alive_timeout), so browsers do not hold workers longer than before.
    http.set_keep_alive_max_count(ServerOptions::kKeepAliveMaxCount);
    // cpp-httplib 0.11 listens with a backlog of 5: a burst of new connections (64 clients connecting, or
    // reconnecting after keep_alive_max_count requests) overflows it, and the dropped SYNs are retried by
    // the client after 1 s, 3 s…, which showed as multi-second p99s. Keep the socket to raise it (bind()).
    http.set_socket_options([this](socket_t sock) {
        httplib::default_socket_options(sock);
        listen_fd = sock;
    });
    // On every answer, errors included (httplib puts default headers in before any handler runs): no page
    // of the portal may be framed (clickjacking of the review and user pages), no type sniffing, and no
    // full URL (with its query) sent to other sites.
    http.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                              {"X-Frame-Options", "DENY"},
                              {"Content-Security-Policy", "frame-ancestors 'none'"},
                              {"Referrer-Policy", "same-origin"}});
    // Users, sessions, CSRF (auth.cpp) and saved reviews (reviews.cpp).
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        request_start = {&req, std::chrono::steady_clock::now()};
        return auth.gate(req, res) ? httplib::Server::HandlerResponse::Handled : httplib::Server::HandlerResponse::Unhandled;
    });
    auto wrap = [](httplib::Server::Handler h) { return guarded(std::move(h)); };
    auto body = [](BodyPolicy policy, httplib::Server::Handler h) {
        return read_body(std::move(policy), guarded(std::move(h)),
                         [](const httplib::Request&, httplib::Response& res, std::exception_ptr e) { answer_error(e, res); });
    };
    auth.add_routes(http, wrap, body);
    reviews.add_routes(http, wrap);
    intake.add_routes(http, body);
    history.add_routes(http, wrap);
    history.add_write_routes(http, body);
    geoenv_upload.add_routes(http, body);
    http.set_error_handler(httplib::Server::HandlerWithResponse(
        [max_body](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        const bool an_upload = req.path == kIntakePath || req.path == kGeoenvImportPath;
        send_error(res, res.status, default_message(res.status, an_upload ? upload::kMaxUploadBodyBytes : max_body));
        return httplib::Server::HandlerResponse::Handled;
    }));
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        AccessLogEntry e{std::chrono::system_clock::now(), client_address(req, options.proxy), {}, req.method, req.path,
                         res.status, res.body.size()};
        if (request_start.request == &req)
            e.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - request_start.at).count();
        if (Identity who = auth.identify(req); who.logged_in()) e.user = who.user;
        access_log.write(e);
    });

    http.Get("/api/openapi.json", guarded([](const httplib::Request&, httplib::Response& res) {
                 res.set_content(openapi_document(), "application/json; charset=utf-8");
             }));
    // ?as_of=YYYY-MM-DD on the read routes: the plan in force that day (history_api.hpp).
    http.Get("/api/layers", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 auto as_of = HistoryService::as_of(params_of(req));
                 auto layers = as_of ? history.at(*as_of)->layers : api.layers();
                 if (!staff(req)) without_layers(layers, "id", api.geoenv_withheld_layers());  // settings.geoenv.public
                 send_json(res, 200, layers);
             }));
    http.Get(R"(/api/layers/([^/]+)/features)", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 const auto withheld = staff(req) ? std::set<std::string>{} : api.geoenv_layer_gate(req.matches[1]);  // 403
                 res.status = 200;
                 auto as_of = HistoryService::as_of(params_of(req));
                 auto text = as_of ? history.at(*as_of)->features(req.matches[1], params_of(req))
                                   : api.features_text(req.matches[1], params_of(req));
                 if (!withheld.empty()) text = without_fields(text, withheld);
                 res.set_content(text, "application/geo+json; charset=utf-8");
             }));
    http.Get(R"(/api/features/([^/]+)/([^/]+))", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 const auto withheld = staff(req) ? std::set<std::string>{} : api.geoenv_layer_gate(req.matches[1]);  // 403
                 auto feature = api.feature(req.matches[1], parse_fid(req.matches[2]));
                 if (feature.contains("properties")) for (const auto& f : withheld) feature["properties"].erase(f);
                 res.status = 200;
                 res.set_content(json_text(feature), "application/geo+json; charset=utf-8");
             }));
    http.Get("/api/search", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 Params p = params_of(req);
                 auto q = p.find("q");
                 const auto skip = staff(req) ? std::set<std::string>{} : api.geoenv_unsearchable();  // settings.geoenv.public
                 send_json(res, 200, api.search(q == p.end() ? "" : q->second, 50, skip));
             }));
    http.Get("/api/tables", guarded([this](const httplib::Request&, httplib::Response& res) {
                 send_json(res, 200, api.tables());
             }));
    http.Get(R"(/api/tables/([^/]+))", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 if (!staff(req) && !api.geoenv_layer_gate(req.matches[1]).empty())  // settings.geoenv.public
                     throw HttpError(403, "该表含未向公众公开的字段（rules.json settings.geoenv.public），请登录后查看 / log in");
                 auto as_of = HistoryService::as_of(params_of(req));
                 send_json(res, 200, as_of ? history.table(req.matches[1], *as_of) : api.table(req.matches[1]));
             }));
    // What the web map needs to know about this installation (bureau networks are often closed, so a
    // background tile service is opt-in).
    http.Get("/api/config", guarded([this](const httplib::Request&, httplib::Response& res) {
                 send_json(res, 200,
                           {{"tile_url", options.tile_url.empty() ? nlohmann::json(nullptr) : nlohmann::json(options.tile_url)}});
             }));
    http.Get("/api/gaps", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 send_json(res, 200, api.gaps(params_of(req)));
             }));
    http.Get("/api/release", guarded([this](const httplib::Request&, httplib::Response& res) {
                 send_json(res, 200, api.release_plans(std::nullopt));
             }));
    http.Get(R"(/api/release/(\d{4}))", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 send_json(res, 200, api.release_plans(std::stoi(req.matches[1])));
             }));
    http.Get("/api/reserves", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 const auto params = params_of(req);
                 std::optional<int> year;
                 if (auto it = params.find("year"); it != params.end()) {
                     if (it->second.size() != 4 || it->second.find_first_not_of("0123456789") != std::string::npos)
                         throw HttpError(400, "参数 year 应为四位年度，实际为 \"" + it->second + "\"");
                     year = std::stoi(it->second);
                 }
                 send_json(res, 200, api.reserves(year));
             }));
    http.Get("/api/geoenv", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 send_json(res, 200, api.geoenv(params_of(req), staff(req)));
             }));
    http.Get("/api/summary", guarded([this](const httplib::Request&, httplib::Response& res) {
                 send_json(res, 200, api.summary());
             }));
    http.Get("/api/styles", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 auto styles = api.styles();
                 if (!staff(req)) without_layers(styles, "layer", api.geoenv_withheld_layers());
                 send_json(res, 200, styles);
             }));
    // The last quality check (build/import record it), for planners preparing a filing.
    http.Get("/api/qc", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 auth.require(req, Role::Planner);
                 send_json(res, 200, api.last_qc());
             }));
    // The whole quality check of the plan served (the portal's QC panel): findings, summary, locations.
    http.Get("/api/qc/report", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 auth.require(req, Role::Planner);
                 const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
                 if (format != "json" && format != "geojson") throw HttpError(400, "format 应为 json 或 geojson");
                 if (format == "geojson") {
                     res.status = 200;
                     res.set_content(api.qc_report(true).dump(), "application/geo+json; charset=utf-8");
                 } else {
                     send_json(res, 200, api.qc_report(false));
                 }
             }));
    // The conformance check: the request is validated (413/415/400) before the rules run.
    http.Post("/api/check", body(BodyPolicy{max_body, nullptr}, [this](const httplib::Request& req, httplib::Response& res) {
                  std::string ct = req.get_header_value("Content-Type");
                  // The content decides the format (GeoJSON or a coordinate text), whatever the type says:
                  // browsers label a pasted GeoJSON text/plain and a .txt upload application/octet-stream.
                  const bool json = formats::looks_like_json(req.body);
                  if (json) {
                      auto j = nlohmann::json::parse(req.body, nullptr, false);
                      if (j.is_discarded())
                          throw HttpError(400, "请求体不是合法的 JSON（GeoJSON），请检查括号、引号和逗号");
                  } else if (!is_json_type(ct) && ct.rfind("text/plain", 0) != 0 && ct.rfind("application/octet-stream", 0) != 0) {
                      throw HttpError(415, "不支持的内容类型 \"" + ct +
                                               "\"：请用 application/json、application/geo+json（GeoJSON）或 text/plain（坐标串、国土TXT）");
                  }
                  if (req.body.empty()) throw HttpError(400, "请求体为空：请提交申请范围的坐标（GeoJSON 或坐标文本）");
                  reviews.handle_check(req, res, json, params_of(req));
              }));
    // The thematic map as PDF (services/map_print.hpp): Chromium prints this portal's own print view.
    http.Get("/api/map.pdf", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 auth.require(req, Role::Reviewer);  // each print starts a Chromium: staff only
                 services::MapPrintOptions o;
                 if (req.has_param("paper")) o.paper = req.get_param_value("paper");
                 if (req.has_param("orientation")) o.orientation = req.get_param_value("orientation");
                 if (req.has_param("layers")) o.layers = split_list(req.get_param_value("layers"), ',');
                 if (req.has_param("bbox")) o.bbox = parse_bbox_param(req.get_param_value("bbox"));
                 services::validate(o);
                 const std::string host = options.host == "0.0.0.0" || options.host.empty() ? "127.0.0.1" : options.host;
                 rules::TempDir dir("minplan-map");
                 const auto pdf = dir.path() / "map.pdf";
                 try {
                     services::print_map_pdf("http://" + host + ":" + std::to_string(bound_port), o, pdf);
                 } catch (const rules::ChromiumMissing&) {
                     throw HttpError(503, "服务器未安装 chromium，无法生成 PDF 专题图；请管理员安装 chromium 与 fonts-noto-cjk");
                 }
                 std::ifstream in(pdf, std::ios::binary);
                 std::ostringstream bytes;
                 bytes << in.rdbuf();
                 res.set_header("Content-Disposition", "inline; filename=\"map.pdf\"");
                 res.set_content(bytes.str(), "application/pdf");
             }));
    http.Get("/api/monitor", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 send_json(res, 200, monitor.answer(params_of(req)));
             }));
    http.Get("/api/sanlv", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 send_json(res, 200, monitor.sanlv(monitor.year_param(params_of(req))));
             }));
    http.Get(R"(/api/downloads/report\.(xlsx|html))", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 send_download(res, downloads.report(req.matches[1], params_of(req)));
             }));
    http.Get(R"(/api/downloads/sanlv\.(xlsx|html))", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 send_download(res, downloads.sanlv(req.matches[1], params_of(req)));  // = minplan sanlv YEAR --xlsx/--html
             }));
    http.Get(R"(/api/layers/([^/]+)/export)", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 // A geo-environment layer the plan does not publish, or one with fields it withholds: staff only.
                 if (!staff(req) && !api.geoenv_layer_gate(req.matches[1]).empty())
                     throw HttpError(403, "该图层含未向公众公开的字段（rules.json settings.geoenv.public），请登录后导出 / log in");
                 send_download(res, downloads.layer_export(req.matches[1], params_of(req)));
             }));
    http.Get(R"(/api/.*)", guarded([](const httplib::Request& req, httplib::Response&) {
                 throw HttpError(404, "没有这个 API 地址: " + req.path + "；API 列表见 /api/openapi.json");
             }));
    http.Get(R"(/.*)", guarded([this](const httplib::Request& req, httplib::Response& res) {
                 StaticFile f = resolve_static(options.web_root, req.path);
                 std::ifstream in(f.path, std::ios::binary);
                 if (!in) throw HttpError(404, "无法读取文件: " + req.path);
                 std::ostringstream buf;
                 buf << in.rdbuf();
                 res.status = 200;
                 res.set_content(buf.str(), f.content_type.c_str());
             }));
}

PortalServer::PortalServer(std::shared_ptr<store::PlanDatabase> db, ServerOptions options) {
    if (options.web_root.empty()) options.web_root = home_dir() / "web" / "dist";
    impl_ = std::make_unique<Impl>(db, std::move(options));
    impl_->routes();
}

PortalServer::~PortalServer() { stop(); }

int PortalServer::bind() {
    const auto& o = impl_->options;
    int port = o.port;
    if (o.port == 0) {
        port = impl_->http.bind_to_any_port(o.host);
        if (port <= 0) throw IoError("无法在 " + o.host + " 上绑定任何端口");
    } else if (!impl_->http.bind_to_port(o.host, o.port)) {
        throw IoError("无法绑定 " + o.host + ":" + std::to_string(o.port) + "（端口被占用或地址无效），请换一个 --port");
    }
    impl_->bound_port = port;
    // listen() again on a listening socket only changes its backlog (Linux); the kernel caps it at somaxconn.
    if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, SOMAXCONN);
    return port;
}

void PortalServer::run() {
    // The checks' readers open beside the first requests, not inside the first burst of checks, and each
    // new plan version is warmed up likewise (CheckService::keep_warm); a failure there is the next check's
    // to report. Stopped and joined when listening ends.
    std::jthread warm([this](std::stop_token stop) { impl_->checker.keep_warm(stop); });
    impl_->http.listen_after_bind();
}

void PortalServer::stop() {
    if (impl_) impl_->http.stop();
}

bool PortalServer::running() const { return impl_->http.is_running(); }

const ServerOptions& PortalServer::options() const { return impl_->options; }

}  // namespace minplan::server
