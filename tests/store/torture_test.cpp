// GeoPackage only: it tests SQLite's WAL, file locks and PRAGMA integrity_check under SIGKILL; the PostGIS
// store's concurrency is PostgreSQL's (Pg/PgFaults, the contract tests, tests/server/shared_database_test.cpp).
// The plan database as a system of record under load: a portal saving reviews from several clients while
// other processes import layers, take in annual data and change accounts, some of them killed with
// SIGKILL at random moments. Afterwards the file must pass PRAGMA integrity_check, hold every write that
// was acknowledged (HTTP 2xx or exit 0), never have reused an id, and hold each layer either before or after
// an import, never a mix; nothing a killed writer staged may survive the next open.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "../plan/plan_fixture.hpp"
#include "../server/running_portal.hpp"
#include "server/auth.hpp"
#include "store/plan_database.hpp"
#include "store/sqlite_db.hpp"

extern char** environ;

namespace minplan::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

pid_t spawn(const std::vector<std::string>& args, const fs::path& log) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

// Runs the command; with `kill_after`, sends SIGKILL at that moment if it is still running. Returns the
// exit code, or -1 when it was killed.
int run_maybe_killed(const std::vector<std::string>& args, std::optional<std::chrono::milliseconds> kill_after,
                     const fs::path& log) {
    pid_t pid = spawn(args, log);
    if (pid <= 0) return -2;
    auto start = std::chrono::steady_clock::now();
    int status = 0;
    while (true) {
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) break;
        if (kill_after && std::chrono::steady_clock::now() - start >= *kill_after) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(2ms);
    }
    if (WIFSIGNALED(status)) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -3;
}

std::string blocks_geojson(const std::string& prefix, int n) {
    // Small squares well inside the plan area; names identify the file they came from.
    json fc = {{"type", "FeatureCollection"}, {"features", json::array()}};
    for (int i = 0; i < n; ++i) {
        double x = 113.2 + 0.002 * (i % 500), y = 39.5 + 0.002 * (i / 500);  // a grid inside the city
        fc["features"].push_back(
            {{"type", "Feature"},
             {"properties",
              {{"block_id", prefix + "-" + std::to_string(i)}, {"kind", "mining"}, {"mineral", "煤炭"}, {"source", "torture"}}},
             {"geometry",
              {{"type", "Polygon"},
               {"coordinates", json::array({json::array({json::array({x, y}), json::array({x + 0.001, y}),
                                                         json::array({x + 0.001, y + 0.001}), json::array({x, y + 0.001}),
                                                         json::array({x, y})})})}}}});
    }
    return fc.dump();
}

struct Acknowledged {
    std::mutex mutex;
    std::map<std::int64_t, std::string> reviews;  // id → the tag its request carried
    std::set<std::string> users_added, users_removed;
    int intakes = 0;
    int imports = 0;
};

TEST(Torture, ConcurrentWritersAndKilledProcessesLoseNothingAcknowledged) {
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    const fs::path log = dir / "writers.log";
    const std::string bin = MINPLAN_BINARY;
    std::ofstream(dir / "a.geojson") << blocks_geojson("A", 3);
    std::ofstream(dir / "b.geojson") << blocks_geojson("B", 5);
    std::ofstream(dir / "pw.txt") << "torture-pass-1\n";
    {
        server::UserStore users(store::open_database(db.string()));
        users.add("shen", server::Role::Reviewer, "reviewer-pass-1");
    }

    Acknowledged ack;
    std::atomic<bool> stop{false};
    const auto duration = 12s;
    std::vector<std::string> failures;
    std::mutex failures_mutex;
    auto fail = [&](std::string what) {
        std::lock_guard lock(failures_mutex);
        failures.push_back(std::move(what));
    };
    {
        RunningPortal portal(db);
        const std::string app = read_bytes(test_data_dir() / "rules" / "apps" / "coal_all_pass.txt");

        // Reviewers saving checks through the portal.
        std::vector<std::thread> clients;
        for (int c = 0; c < 3; ++c) {
            clients.emplace_back([&, c] {
                auto client = portal.client();
                auto me = client.Get("/api/me");
                if (!me) return fail("no answer to /api/me");
                std::string pre = json::parse(me->body)["csrf_token"];
                httplib::Headers h{{"Cookie", std::string(server::kLoginCsrfCookie) + "=" + pre}, {server::kCsrfHeader, pre}};
                auto res = client.Post("/api/login", h, json{{"username", "shen"}, {"password", "reviewer-pass-1"}}.dump(),
                                       "application/json");
                if (!res || res->status != 200) return fail("login failed");
                auto body = json::parse(res->body);
                std::string cookie = res->get_header_value("Set-Cookie");
                std::string session = cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
                httplib::Headers auth{{"Cookie", std::string(server::kSessionCookie) + "=" + session},
                                      {server::kCsrfHeader, body["csrf_token"].get<std::string>()}};
                for (int n = 0; !stop; ++n) {
                    std::string tag = "c" + std::to_string(c) + "-" + std::to_string(n);
                    auto r = client.Post(("/api/check?name=" + tag).c_str(), auth, app, "text/plain; charset=utf-8");
                    if (!r) continue;  // no answer: not acknowledged
                    if (r->status / 100 != 2) {
                        if (r->status != 503) fail("check answered " + std::to_string(r->status) + ": " + r->body.substr(0, 300));
                        continue;
                    }
                    auto report = json::parse(r->body);
                    if (!report["review"]["saved"].get<bool>()) continue;
                    std::lock_guard lock(ack.mutex);
                    auto id = report["review"]["id"].get<std::int64_t>();
                    if (!ack.reviews.emplace(id, tag).second) fail("review id " + std::to_string(id) + " acknowledged twice");
                }
            });
        }

        // Writers in other processes, some killed at a random moment.
        std::vector<std::thread> writers;
        writers.emplace_back([&] {  // layer imports
            std::mt19937 rng(1);
            for (int n = 0; !stop; ++n) {
                std::optional<std::chrono::milliseconds> kill;
                if (rng() % 2) kill = std::chrono::milliseconds(rng() % 400);
                std::string file = (dir / (n % 2 ? "a.geojson" : "b.geojson")).string();
                if (run_maybe_killed({bin, "--db", db.string(), "import", "mining_blocks", file, "--force"}, kill, log) == 0) {
                    std::lock_guard lock(ack.mutex);
                    ++ack.imports;
                }
            }
        });
        writers.emplace_back([&] {  // annual intake
            std::mt19937 rng(2);
            const fs::path sample = source_dir() / "data" / "samples" / "sample_2021-2023_mines.csv";
            while (!stop) {
                std::optional<std::chrono::milliseconds> kill;
                if (rng() % 2) kill = std::chrono::milliseconds(rng() % 600);
                int rc = run_maybe_killed({bin, "--db", db.string(), "intake", "--replace", sample.string()}, kill, log);
                if (rc == 0) {
                    std::lock_guard lock(ack.mutex);
                    ++ack.intakes;
                }
            }
        });
        writers.emplace_back([&] {  // accounts
            std::mt19937 rng(3);
            for (int n = 0; !stop; ++n) {
                std::optional<std::chrono::milliseconds> kill;
                if (rng() % 3 == 0) kill = std::chrono::milliseconds(rng() % 300);
                std::string name = "u" + std::to_string(n);
                int rc = run_maybe_killed({bin, "--db", db.string(), "user", "add", name, "--role", "reviewer",
                                           "--password-file", (dir / "pw.txt").string()},
                                          kill, log);
                if (rc == 0 && n % 3 == 0) {
                    rc = run_maybe_killed({bin, "--db", db.string(), "user", "remove", name}, std::nullopt, log);
                    std::lock_guard lock(ack.mutex);
                    (rc == 0 ? ack.users_removed : ack.users_added).insert(name);
                } else if (rc == 0) {
                    std::lock_guard lock(ack.mutex);
                    ack.users_added.insert(name);
                }
            }
        });
        std::this_thread::sleep_for(duration);
        stop = true;
        for (auto& t : clients) t.join();
        for (auto& t : writers) t.join();
    }
    for (const auto& f : failures) ADD_FAILURE() << f;
    EXPECT_GT(ack.reviews.size(), 10u) << "the portal saved too few reviews to mean anything";
    EXPECT_GT(ack.users_added.size() + ack.users_removed.size(), 3u);
    EXPECT_GT(ack.imports, 0);
    EXPECT_GT(ack.intakes, 0);

    auto database = store::open_database(db.string());  // cleans what killed writers left behind
    auto sql = std::make_unique<store::SqliteDb>(db, store::SqliteDb::Mode::ReadOnly);
    {
        auto st = sql->prepare("PRAGMA integrity_check");
        ASSERT_TRUE(st.step());
        EXPECT_EQ(st.text(0), "ok");
    }
    for (const auto& [id, tag] : ack.reviews) {
        auto st = sql->prepare("SELECT json_extract(attributes_json, '$.name') FROM minplan_reviews WHERE id = ?");
        st.bind(1, id);
        ASSERT_TRUE(st.step()) << "acknowledged review " << id << " is missing";
        EXPECT_EQ(st.text(0), tag) << "review id " << id << " was reused for another review";
    }
    server::UserStore users(database);
    for (const auto& name : ack.users_added) EXPECT_TRUE(users.find(name)) << "acknowledged account " << name << " is missing";
    for (const auto& name : ack.users_removed) EXPECT_FALSE(users.find(name)) << "removed account " << name << " came back";
    EXPECT_EQ(sql->scalar("SELECT count(*) FROM sqlite_master WHERE name LIKE 'minplan_stage_%'"), 0);
    for (const auto& e : fs::directory_iterator(dir.path()))
        EXPECT_EQ(e.path().filename().string().find(".plan.gpkg."), std::string::npos) << e.path();

    // The layer is the content of one whole import: all from one file, never a mix.
    auto snapshot = database->snapshot();
    auto blocks = snapshot->read("mining_blocks");
    std::set<char> origins;
    for (const auto& f : blocks) origins.insert(f.text("block_id").empty() ? '?' : f.text("block_id")[0]);
    if (origins == std::set<char>{'A'}) EXPECT_EQ(blocks.size(), 3u);
    else if (origins == std::set<char>{'B'}) EXPECT_EQ(blocks.size(), 5u);
    else EXPECT_EQ(origins.count('A') + origins.count('B'), 0u) << "mining_blocks mixes two imports";
    if (ack.intakes > 0) {
        EXPECT_GT(snapshot->read("monitor_mines").size(), 0u);
    }
}

// A big import is staged in short transactions: other writers commit while it runs, and readers see the
// old layer until the one swap transaction.
TEST(Torture, OtherWritersCommitWhileABigImportIsStaged) {
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    const int n = 40000;
    std::ofstream(dir / "big.geojson") << blocks_geojson("Z", n);
    const auto before = store::open_database(db.string())->snapshot()->read("mining_blocks").size();

    pid_t pid = spawn({MINPLAN_BINARY, "--db", db.string(), "import", "mining_blocks", (dir / "big.geojson").string(), "--force"},
                      dir / "import.log");
    ASSERT_GT(pid, 0);
    auto database = store::open_database(db.string());
    auto staged = [&] {
        return store::SqliteDb(db, store::SqliteDb::Mode::ReadOnly).scalar("SELECT count(*) FROM sqlite_master WHERE name LIKE 'minplan_stage_%'") > 0;
    };
    int status = 0;
    bool seen = false;
    for (int i = 0; i < 60000 && !seen; ++i) {
        if (::waitpid(pid, &status, WNOHANG) == pid) break;
        seen = staged();
        if (!seen) std::this_thread::sleep_for(1ms);
    }
    ASSERT_TRUE(seen) << "the import finished or failed before its stage was seen: " << read_bytes(dir / "import.log");
    // While it stages: another write transaction commits, and readers still see the old layer.
    {
        auto tx = database->begin_records();
        ASSERT_TRUE(tx->add_account({"marker", "reviewer", "x", "during the import", false}));
        tx->commit();
    }
    EXPECT_TRUE(staged()) << "the import was not staging any more: the write did not run beside it";
    EXPECT_EQ(database->snapshot()->read("mining_blocks").size(), before);
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_bytes(dir / "import.log");
    EXPECT_EQ(database->snapshot()->read("mining_blocks").size(), static_cast<std::size_t>(n));
    EXPECT_TRUE(database->account("marker")) << "the account written during the import is missing";
    EXPECT_FALSE(staged());
}

// A build killed at any moment leaves the database that was there before, whole, and its work file is
// removed the next time the database is opened.
TEST(Torture, AKilledBuildLeavesTheOldDatabaseWhole) {
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    const auto layers = store::open_database(db.string())->snapshot()->layers().size();
    std::mt19937 rng(7);
    for (int i = 0; i < 4; ++i) {
        auto kill_after = std::chrono::milliseconds(100 + rng() % 1500);
        int rc = run_maybe_killed({MINPLAN_BINARY, "build", "--out", db.string()}, kill_after, dir / "build.log");
        auto database = store::open_database(db.string());
        auto sql = std::make_unique<store::SqliteDb>(db, store::SqliteDb::Mode::ReadOnly);
        auto st = sql->prepare("PRAGMA integrity_check");
        ASSERT_TRUE(st.step());
        EXPECT_EQ(st.text(0), "ok") << "after a build that ended with " << rc;
        EXPECT_EQ(database->snapshot()->layers().size(), layers);
        for (const auto& e : fs::directory_iterator(dir.path()))
            EXPECT_EQ(e.path().filename().string().find(".plan.gpkg.tmp-"), std::string::npos) << e.path();
    }
}

// The portal process itself killed while it saves reviews: every review it acknowledged is in the database
// afterwards, and the database opens clean.
TEST(Torture, AKilledPortalLosesNoAcknowledgedReview) {
    TempDir dir;
    const fs::path db = copy_of_plan(dir);
    {
        server::UserStore users(store::open_database(db.string()));
        users.add("shen", server::Role::Reviewer, "reviewer-pass-1");
    }
    const std::string app = read_bytes(test_data_dir() / "rules" / "apps" / "coal_all_pass.txt");
    std::map<std::int64_t, std::string> acknowledged;
    for (int round = 0; round < 3; ++round) {
        const fs::path log = dir / ("serve-" + std::to_string(round) + ".log");
        pid_t pid = spawn({MINPLAN_BINARY, "--db", db.string(), "serve", "--port", "0"}, log);
        ASSERT_GT(pid, 0);
        int port = 0;
        for (int i = 0; i < 3000 && port == 0; ++i) {  // "…listening: http://127.0.0.1:PORT/…"
            std::string text = read_bytes(log);
            auto at = text.find("127.0.0.1:");
            if (at != std::string::npos) port = std::atoi(text.c_str() + at + 10);
            if (port == 0) std::this_thread::sleep_for(10ms);
        }
        ASSERT_GT(port, 0) << read_bytes(log);
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(30);
        auto me = client.Get("/api/me");
        ASSERT_TRUE(me);
        std::string pre = json::parse(me->body)["csrf_token"];
        httplib::Headers h{{"Cookie", std::string(server::kLoginCsrfCookie) + "=" + pre}, {server::kCsrfHeader, pre}};
        auto res = client.Post("/api/login", h, json{{"username", "shen"}, {"password", "reviewer-pass-1"}}.dump(), "application/json");
        ASSERT_TRUE(res && res->status == 200);
        std::string cookie = res->get_header_value("Set-Cookie");
        std::string session = cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
        httplib::Headers auth{{"Cookie", std::string(server::kSessionCookie) + "=" + session},
                              {server::kCsrfHeader, json::parse(res->body)["csrf_token"].get<std::string>()}};
        // Checks from a second thread while this one kills the portal at a random moment.
        std::atomic<bool> stop{false};
        std::mutex mutex;
        std::thread saver([&] {
            for (int n = 0; !stop; ++n) {
                std::string tag = "r" + std::to_string(round) + "-" + std::to_string(n);
                auto r = client.Post(("/api/check?name=" + tag).c_str(), auth, app, "text/plain; charset=utf-8");
                if (!r || r->status != 200) continue;
                auto report = json::parse(r->body, nullptr, false);
                if (report.is_discarded() || !report["review"]["saved"].get<bool>()) continue;
                std::lock_guard lock(mutex);
                acknowledged[report["review"]["id"].get<std::int64_t>()] = tag;
            }
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(400 + 300 * round));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        stop = true;
        saver.join();
    }
    EXPECT_GT(acknowledged.size(), 3u);
    auto database = store::open_database(db.string());
    auto sql = std::make_unique<store::SqliteDb>(db, store::SqliteDb::Mode::ReadOnly);
    auto st = sql->prepare("PRAGMA integrity_check");
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.text(0), "ok");
    for (const auto& [id, tag] : acknowledged) {
        auto q = sql->prepare("SELECT json_extract(attributes_json, '$.name') FROM minplan_reviews WHERE id = ?");
        q.bind(1, id);
        ASSERT_TRUE(q.step()) << "acknowledged review " << id << " is missing";
        EXPECT_EQ(q.text(0), tag) << "review id " << id << " was reused";
    }
}

}  // namespace
}  // namespace minplan::testing
