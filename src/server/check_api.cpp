#include "server/check_api.hpp"

#include "store/history.hpp"

#include <algorithm>
#include <condition_variable>
#include <optional>
#include <thread>

#include "rules/application_loader.hpp"
#include "rules/engine.hpp"
#include "rules/feature_cache.hpp"
#include "rules/opinion.hpp"
#include "rules/report.hpp"

namespace minplan::server {

// The review setup of one plan version, shared by every check of that version (read-only but for the
// index's guarded memos).
struct CheckService::Shared {
    std::int64_t version = 0;
    std::unique_ptr<rules::ReviewSetup> review;
};

// One reader: a snapshot of the database for one check at a time, and the window features its checks parsed
// (kept while the reader lives: one snapshot, so never stale; docs/database.md "Memory of minplan serve's checks").
struct CheckService::Setup {
    std::unique_ptr<store::PlanStore> store;
    std::int64_t version = 0;  // the plan version it reads
    rules::FeatureCache features{kFeatureCacheBytes / max_readers()};
    // The plan's city boundary, prepared: building its index was the costliest part of a cold HTTP thread's
    // first check (each of the 72 threads had its own, PlanIndex::city_prepared). A reader's checks run one
    // at a time, as with the features. The geometry before the prepared one: destroyed after it.
    std::int64_t city_version = -1;
    geo::Geometry city;
    std::unique_ptr<geo::PreparedGeometry> city_prepared;
};

std::shared_ptr<const CheckService::Shared> CheckService::shared(std::int64_t version, const store::PlanStore& store) {
    std::lock_guard lock(shared_mutex_);
    if (shared_ && shared_->version == version) return shared_;
    auto s = std::make_shared<Shared>();
    s->version = version;
    s->review = rules::ReviewSetup::load(store);
    s->review->index->detach_reader();  // the server passes each check's own reader
    s->review->index->keep_box_indexes();  // one in-memory box index per layer, shared by every check of this version
    // A reader still at an older version gets a setup of its own; the current one is kept for the rest.
    if (!shared_ || shared_->version < version) shared_ = s;
    return s;
}

const void* CheckService::shared_setup_for_test() {
    std::lock_guard lock(shared_mutex_);
    return shared_.get();
}

std::size_t CheckService::idle_readers_for_test() {
    std::lock_guard lock(mutex_);
    return idle_.size();
}

// A reader borrowed from the pool for one check: an idle one, a new one while fewer than max_readers()
// exist, else the next one returned. Waiters are served first come, first served (a returned reader is
// handed to the oldest waiter, never taken by a later arrival), so that no check starves under load.
// A reader at an older plan version than the database's current one is reopened before use: every
// check sees the plan as last committed.
struct CheckService::Waiter {
    std::condition_variable cv;
    std::unique_ptr<Setup> handed;
    bool may_create = false;
};

class CheckService::Lease {
public:
    // OnlyNew: a new reader while fewer than max_readers() exist and no check waits, else none (warm_up()).
    enum class Take { Any, OnlyNew };
    explicit Lease(CheckService& s, Take take = Take::Any) : service_(s) {
        {
            std::unique_lock lock(s.mutex_);
            if (take == Take::OnlyNew) {
                if (!s.waiting_.empty() || s.created_ >= max_readers()) return;
                ++s.created_;
            } else if (s.waiting_.empty() && !s.idle_.empty()) {
                setup_ = std::move(s.idle_.back());
                s.idle_.pop_back();
            } else if (s.waiting_.empty() && s.created_ < max_readers()) {
                ++s.created_;
            } else {
                Waiter w;
                s.waiting_.push_back(&w);
                w.cv.wait(lock, [&] { return w.handed || w.may_create; });
                setup_ = std::move(w.handed);
            }
        }
        try {  // opening and loading: outside the pool's lock
            const std::int64_t current = s.db_->version();
            s.latest_version_.store(current, std::memory_order_relaxed);
            if (!setup_ || setup_->version != current) {
                setup_.reset();  // an old snapshot is closed first: it would keep SQLite from recycling the WAL
                auto setup = std::make_unique<Setup>();
                setup->store = s.db_->snapshot();
                setup->version = setup->store->version();
                setup_ = std::move(setup);
            }
            shared_ = s.shared(setup_->version, *setup_->store);
        } catch (...) {
            std::lock_guard lock(s.mutex_);
            --s.created_;
            if (!s.waiting_.empty()) {  // let the next waiter try to load one
                Waiter* next = s.waiting_.front();
                s.waiting_.pop_front();
                ++s.created_;
                next->may_create = true;
                next->cv.notify_one();
            }
            throw;
        }
    }
    ~Lease() {
        if (!shared_) return;  // none taken (Take::OnlyNew) or the opening failed (handled there)
        // A reader left behind by a commit is closed now rather than kept idle: its read transaction would
        // keep SQLite from recycling the WAL until the next check. "Behind" is measured against the version the
        // latest check read at its start, not by a read of its own (that read was 2 % of a check at 64
        // clients, docs/performance.md, session 17). Readers idle at a commit stay open until used, as before;
        // one in use at a commit is closed when it comes back after a later check started. Two checks storing
        // out of order at a commit cost at most a reader reopened; "!=", not "<": a plan rebuilt in place
        // starts its versions again.
        if (setup_->version != service_.latest_version_.load(std::memory_order_relaxed)) setup_.reset();
        std::lock_guard lock(service_.mutex_);
        if (!setup_) {
            if (service_.waiting_.empty()) {
                --service_.created_;
                return;
            }
            Waiter* next = service_.waiting_.front();  // it opens a fresh reader in this one's place
            service_.waiting_.pop_front();
            next->may_create = true;
            next->cv.notify_one();
            return;
        }
        if (service_.waiting_.empty()) {
            service_.idle_.push_back(std::move(setup_));
            return;
        }
        Waiter* next = service_.waiting_.front();
        service_.waiting_.pop_front();
        next->handed = std::move(setup_);
        next->cv.notify_one();
    }
    explicit operator bool() const { return shared_ != nullptr; }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    const rules::ReviewSetup& review() const { return *shared_->review; }
    const store::PlanStore& reader() const { return *setup_->store; }
    rules::FeatureCache& features() const { return setup_->features; }
    const geo::PreparedGeometry* city() const {
        const geo::Geometry* city = shared_->review->index->city();
        if (!city) return nullptr;
        if (setup_->city_version != shared_->version) {
            setup_->city_prepared.reset();
            setup_->city = city->clone();
            setup_->city_prepared = std::make_unique<geo::PreparedGeometry>(setup_->city);
            setup_->city_version = shared_->version;
        }
        return setup_->city_prepared.get();
    }

private:
    CheckService& service_;
    std::unique_ptr<Setup> setup_;
    std::shared_ptr<const Shared> shared_;
};

void CheckService::warm_up() {
    {
        std::vector<std::unique_ptr<Lease>> held;  // all at once: each takes a new reader, not the one just opened
        while (held.size() < max_readers()) {
            auto lease = std::make_unique<Lease>(*this, Lease::Take::OnlyNew);
            if (!*lease) break;
            lease->city();
            held.push_back(std::move(lease));
        }
    }
    Lease lease(*this);  // ≈ 1 s a 10⁶-feature layer, else paid by the first check that opens a window on it
    const rules::PlanIndex& index = *lease.review().index;
    for (const auto& layer : index.spatial_layers()) index.index_boxes(lease.reader(), layer.id, {0, 0, 0, 0});
}

void CheckService::keep_warm(std::stop_token stop, std::chrono::milliseconds every) {
    std::optional<std::int64_t> warmed;
    std::mutex mutex;
    std::condition_variable_any sleep;
    while (!stop.stop_requested()) {
        try {
            const std::int64_t current = db_->version();
            if (current != warmed) {
                warm_up();
                warmed = current;
            }
        } catch (const std::exception&) {
        }
        std::unique_lock lock(mutex);
        sleep.wait_for(lock, stop, every, [] { return false; });
    }
}

std::size_t CheckService::box_indexes_for_test() {
    Lease lease(*this);
    return lease.review().index->kept_box_indexes();
}

std::size_t CheckService::max_readers() {
    return std::max<std::size_t>(2, std::size_t{std::thread::hardware_concurrency()});
}

CheckService::CheckService(std::shared_ptr<store::PlanDatabase> db) : db_(std::move(db)) {}
CheckService::~CheckService() = default;

nlohmann::json CheckService::check(const std::string& body, bool json, const Params& params) {
    return run(body, json, params, Output::Report).report;
}

CheckService::Outcome CheckService::check_with_opinion(const std::string& body, bool json, const Params& params) {
    return run(body, json, params, Output::DraftOpinion);
}

CheckService::Outcome CheckService::review(const std::string& body, bool json, const Params& params) {
    return run(body, json, params, Output::Opinion);
}

std::string CheckService::check_text(const std::string& body, bool json, const Params& params, nlohmann::json extra) {
    Reviewed r = run_review(body, json, params, Output::Report);
    extra["plan_version"] = std::move(r.plan);
    return rules::report_json_text(*r.report, extra);
}

CheckService::Reviewed CheckService::run_review(const std::string& body, bool json, const Params& params, Output output) {
    rules::LoadOptions options;
    for (const auto& [key, value] : params) {
        if (key == "kind") options.kind = value;
        else if (key == "action") options.action = value;
        else if (key == "file_name") options.file_name = value;
        else options.attrs.emplace_back(key, value);
    }
    if (options.file_name.empty()) options.file_name = "未命名申请";
    auto report = std::make_shared<rules::Report>();
    rules::OpinionSettings settings;
    nlohmann::json plan;  // the plan version and date the review used: saved with it, shown when re-opened
    {
        Lease lease(*this);  // the report owns its data: the setup goes back before it is written out
        const rules::ReviewSetup& setup = lease.review();
        auto app = rules::application_from_bytes(body, json ? "application.geojson" : "application.txt", options,
                                                 setup.engine->polygon_options(lease.city()));
        // The plan in force on the application's filing date: a past date is reviewed against a setup of
        // its own (not pooled; the plan of today is the common case and keeps the shared setup).
        std::string filed;
        if (auto f = app.attrs.text("filing_date")) filed = store::parse_date(*f, "属性 filing_date（申请受理日期）");
        std::unique_ptr<store::PlanStore> dated;
        std::unique_ptr<rules::ReviewSetup> dated_setup;
        const std::string today = store::today();
        if (!filed.empty() && filed != today) {
            dated = db_->snapshot_at(filed);
            dated_setup = rules::ReviewSetup::load(*dated);
        }
        const rules::ReviewSetup& used = dated_setup ? *dated_setup : setup;
        const store::PlanStore& reader = dated ? *dated : lease.reader();
        // A JSON report has no map: its features are not copied for one (the portal's page draws its own map
        // from /api/layers; 4 % of a check at the latency application, docs/performance.md session 10 check8).
        rules::PrecomputedOverlaps no_map;
        no_map.draw = false;
        *report = used.engine->check(app, reader, output == Output::Report ? &no_map : nullptr, dated ? nullptr : &lease.features());
        report->application.header = app.header;
        // The sketch map's surroundings are for the opinion only: a JSON check (the portal's page draws its
        // own map from /api/layers) does not read them.
        if (output != Output::Report) rules::add_map_context(*report, *used.index, reader);
        settings = rules::OpinionSettings::from(used.rules.settings);
        plan = {{"version", reader.version()}, {"as_of", dated ? filed : today}};
    }
    return {std::move(report), std::move(settings), std::move(plan)};
}

CheckService::Outcome CheckService::run(const std::string& body, bool json, const Params& params, Output output) {
    Reviewed r = run_review(body, json, params, output);
    // Not saved: a draft opinion without number or reviewer (saved reviews are rendered by ReviewService).
    std::string draft = output == Output::DraftOpinion ? rules::opinion_html(*r.report, rules::opinion_info_now(r.settings, "", "")) : std::string();
    auto j = rules::report_to_json(*r.report);
    j["plan_version"] = std::move(r.plan);
    return {std::move(j), std::move(draft), r.report, r.settings};
}

}  // namespace minplan::server
