// POST /api/check: the conformance review (src/rules) over HTTP, from the same plan database the portal
// serves. Memory does not grow with the plan or the number of workers:
//   - one shared review setup per plan version (rule set, reference tables, plan index: layer list,
//     attribute tables, city boundary, memos), loaded on first use — it reads no spatial layer, so the
//     first answer does not wait for the plan to be parsed — and replaced when the version moves;
//   - each running check borrows a reader (its own snapshot: one SQLite connection pinned to the version)
//     from a small pool, at most max_readers(), and reads only the features near its application through
//     the layers' R*Tree; the GEOS objects of a check are its own (per-thread GEOS context, per-thread
//     prepared city boundary);
//   - the setup's engine keeps what plan features alone determine in an application's plane (projection,
//     plane and ellipsoidal areas: rules/plane_cache.hpp) across the checks of its version, bounded by
//     vertices (≈ 70 MB by default);
//   - each reader keeps the window features its checks parsed (rules/feature_cache.hpp), all readers
//     together at most kFeatureCacheBytes.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

#include "server/api.hpp"
#include "store/plan_database.hpp"
#include "store/plan_store.hpp"

#include "rules/opinion.hpp"

namespace minplan::rules {
struct ReviewSetup;
struct Report;
}

namespace minplan::server {

class CheckService {
public:
    explicit CheckService(std::shared_ptr<store::PlanDatabase> db);
    ~CheckService();
    // body: GeoJSON (json = true) or a coordinate text the CLI reads (mining/exploration right string,
    // 国土 TXT, 登记 TXT). Params: kind, action, and any other key as an application attribute.
    nlohmann::json check(const std::string& body, bool json, const Params& params);
    // The same report as JSON text with the members of `extra` (an object) added, written straight from the
    // report: json_text of check()'s document with extra merged, without its tree (the anonymous check's path).
    std::string check_text(const std::string& body, bool json, const Params& params, nlohmann::json extra);
    // The same with the Chinese review opinion (审查意见) as a standalone HTML page, for saved reviews.
    // The report as JSON, the draft opinion (when asked for), and the report itself with the plan's
    // opinion settings, from which a saved review renders its numbered opinion.
    struct Outcome {
        nlohmann::json report;
        std::string opinion_html;
        std::shared_ptr<rules::Report> model;
        rules::OpinionSettings settings;
    };
    Outcome check_with_opinion(const std::string& body, bool json, const Params& params);
    // The report and its model, no draft opinion: a saved review renders its own, numbered.
    Outcome review(const std::string& body, bool json, const Params& params);

    // Opens the pool's readers, the plan version's shared setup and each reader's prepared city boundary
    // ahead of the first checks, which would otherwise pay for them in the first burst of a fresh server
    // (the 64-client benchmark's first round), then builds the spatial layers' in-memory box indexes
    // (docs/database.md) with one reader while checks use the others. Takes no reader a check is waiting
    // for; safe beside checks.
    void warm_up();
    // warm_up() at once, then again whenever the plan version moves (a commit by this server or by another
    // process, polled every `every`), until `stop` is requested: the first check after an import finds the
    // new version's setup loaded and its box indexes built instead of building them (≈ 1 s at 10⁶ features).
    // Failures are left to the next check to report.
    void keep_warm(std::stop_token stop, std::chrono::milliseconds every = std::chrono::seconds(1));
    std::size_t box_indexes_for_test();  // layers whose box index the current plan version keeps
    // Readers kept, and so checks running at once: one per core, at least 2 (a reader is a connection and
    // its page cache, not a copy of the plan). A check reads from the page cache and does not wait on the
    // disk, so more checks than cores only take turns on them: with 2 × cores the 64-client benchmark spent
    // ≈ 6 % more CPU a check (docs/performance.md, session 10, `check8`).
    static std::size_t max_readers();
    // The parsed window features all readers keep together (each reader an equal share): the neighbourhoods
    // of thousands of recent applications at goal size (docs/database.md, "Memory of minplan serve's checks").
    static constexpr std::size_t kFeatureCacheBytes = std::size_t{512} << 20;
    // The shared setup's identity, for tests: every check of one plan version uses the same one.
    const void* shared_setup_for_test();
    std::size_t idle_readers_for_test();

private:
    struct Shared;
    struct Setup;
    struct Waiter;
    class Lease;
    std::shared_ptr<const Shared> shared(std::int64_t version, const store::PlanStore& store);
    // Report: the JSON only; Opinion: also what a saved opinion needs (the sketch map's surroundings);
    // DraftOpinion: also the unnumbered opinion HTML.
    enum class Output { Report, Opinion, DraftOpinion };
    struct Reviewed {
        std::shared_ptr<rules::Report> report;
        rules::OpinionSettings settings;
        nlohmann::json plan;  // the plan version and date the review used
    };
    Reviewed run_review(const std::string& body, bool json, const Params& params, Output output);
    Outcome run(const std::string& body, bool json, const Params& params, Output output);
    std::mutex mutex_;  // the pool only; never held while a check runs
    std::shared_ptr<store::PlanDatabase> db_;
    std::vector<std::unique_ptr<Setup>> idle_;
    std::deque<Waiter*> waiting_;  // oldest first
    std::size_t created_ = 0;
    std::atomic<std::int64_t> latest_version_{0};  // the plan version the latest check read at its start
    std::mutex shared_mutex_;  // loading the shared setup: one thread loads, the others wait for it
    std::shared_ptr<const Shared> shared_;
};

}  // namespace minplan::server
