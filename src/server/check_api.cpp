#include "server/check_api.hpp"

#include <algorithm>
#include <condition_variable>
#include <thread>

#include "rules/application_loader.hpp"
#include "rules/engine.hpp"
#include "rules/opinion.hpp"
#include "rules/report.hpp"

namespace minplan::server {

struct CheckService::Setup {
    std::unique_ptr<store::PlanStore> store;
    std::unique_ptr<rules::ReviewSetup> review;
    std::int64_t version = 0;  // the plan version it was built from
};

// A setup borrowed from the pool for one check: an idle one, a new one while fewer than max_setups()
// exist, else the next one returned. Waiters are served first come, first served (a returned setup is
// handed to the oldest waiter, never taken by a later arrival), so that no check starves under load.
// A setup built from an older plan version than the database's current one is rebuilt before use: every
// check sees the plan as last committed.
struct CheckService::Waiter {
    std::condition_variable cv;
    std::unique_ptr<Setup> handed;
    bool may_create = false;
};

class CheckService::Lease {
public:
    explicit Lease(CheckService& s) : service_(s) {
        {
            std::unique_lock lock(s.mutex_);
            if (s.waiting_.empty() && !s.idle_.empty()) {
                setup_ = std::move(s.idle_.back());
                s.idle_.pop_back();
            } else if (s.waiting_.empty() && s.created_ < max_setups()) {
                ++s.created_;
            } else {
                Waiter w;
                s.waiting_.push_back(&w);
                w.cv.wait(lock, [&] { return w.handed || w.may_create; });
                setup_ = std::move(w.handed);
            }
        }
        const std::int64_t current = s.db_->version();
        if (setup_ && setup_->version == current) return;
        try {  // loading reads the whole plan: outside the lock
            setup_.reset();
            auto setup = std::make_unique<Setup>();
            setup->store = s.db_->snapshot();
            setup->version = setup->store->version();
            setup->review = rules::ReviewSetup::load(*setup->store);
            // The index holds what the checks need: an idle setup must not keep an old snapshot open (it
            // would stop SQLite from recycling the WAL).
            setup->store.reset();
            setup_ = std::move(setup);
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
        std::lock_guard lock(service_.mutex_);
        if (service_.waiting_.empty()) {
            service_.idle_.push_back(std::move(setup_));
            return;
        }
        Waiter* next = service_.waiting_.front();
        service_.waiting_.pop_front();
        next->handed = std::move(setup_);
        next->cv.notify_one();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    rules::ReviewSetup& operator*() const { return *setup_->review; }

private:
    CheckService& service_;
    std::unique_ptr<Setup> setup_;
};

std::size_t CheckService::max_setups() {
    return std::max<std::size_t>(2, 2 * std::size_t{std::thread::hardware_concurrency()});
}

CheckService::CheckService(std::shared_ptr<store::PlanDatabase> db) : db_(std::move(db)) {}
CheckService::~CheckService() = default;

nlohmann::json CheckService::check(const std::string& body, bool json, const Params& params) {
    return run(body, json, params, false).report;
}

CheckService::Outcome CheckService::check_with_opinion(const std::string& body, bool json, const Params& params) {
    return run(body, json, params, true);
}

CheckService::Outcome CheckService::review(const std::string& body, bool json, const Params& params) {
    return run(body, json, params, false);
}

CheckService::Outcome CheckService::run(const std::string& body, bool json, const Params& params, bool html) {
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
    {
        Lease lease(*this);  // the report owns its data: the setup goes back before it is written out
        rules::ReviewSetup& setup = *lease;
        auto app = rules::application_from_bytes(body, json ? "application.geojson" : "application.txt", options,
                                                 setup.engine->polygon_options());
        *report = setup.engine->check(app);
        report->application.header = app.header;
        rules::add_map_context(*report, *setup.index);
        settings = rules::OpinionSettings::from(setup.rules.settings);
    }
    // Not saved: a draft opinion without number or reviewer (saved reviews are rendered by ReviewService).
    std::string draft = html ? rules::opinion_html(*report, rules::opinion_info_now(settings, "", "")) : std::string();
    return {rules::report_to_json(*report), std::move(draft), report, settings};
}

}  // namespace minplan::server
