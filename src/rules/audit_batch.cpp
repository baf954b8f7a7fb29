#include "rules/audit_batch.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "core/error.hpp"
#include "geo/crs.hpp"
#include "geo/grid_index.hpp"
#include "rules/overlay.hpp"
#include "store/plan_database.hpp"

namespace minplan::rules {
namespace {

constexpr int kCgcs2000 = 4490;

// Position along a Hilbert curve of order 16 (x, y in 0..65535): neighbours on the curve are neighbours
// on the map, so consecutive rights share most of their surroundings.
std::uint64_t hilbert(std::uint32_t x, std::uint32_t y) {
    std::uint64_t d = 0;
    for (std::uint32_t s = 1u << 15; s > 0; s >>= 1) {
        const std::uint32_t rx = (x & s) ? 1 : 0, ry = (y & s) ? 1 : 0;
        d += static_cast<std::uint64_t>(s) * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            std::swap(x, y);
        }
    }
    return d;
}

struct Right {
    std::size_t ordinal = 0;
    Feature feature;  // with its WKB: parsed by the worker that reviews it
    geo::Envelope envelope;
    std::string id;
};

struct TileResult {
    std::vector<std::pair<std::size_t, AuditEntry>> entries;
    std::vector<std::vector<OverlapRow>> overlaps;  // per right
    std::vector<SkipNote> notes;
    std::size_t rights = 0;
};

// The application a right stands for: its holder applying to extend it (see audit.hpp).
Application right_application(const Right& r, const std::string& layer, AuditEntry& e, geo::Geometry polygon) {
    const Feature& f = r.feature;
    e.right_id = r.id;
    e.licence_no = f.text("licence_no");
    e.holder = f.text("holder");
    e.mineral = f.text("mineral");
    e.kind = f.text("kind");
    Application app;
    app.name = f.text("mine_name").empty() ? r.id : f.text("mine_name");
    app.source_format = layer;
    app.source_epsg = kCgcs2000;
    try {
        app.kind = parse_kind(e.kind);
    } catch (const InputError&) {
        app.kind = Kind::Mining;
        app.input_notes.push_back("矿业权类型“" + e.kind + "”无法识别，按采矿权审查");
    }
    app.action = Action::Extension;
    app.polygon = std::move(polygon);
    app.area_m2 = geo::ellipsoidal_area_km2(app.polygon) * 1e6;
    nlohmann::json attrs = nlohmann::json::object();
    if (!e.holder.empty()) attrs["applicant"] = e.holder;
    if (!e.mineral.empty()) attrs["main_mineral"] = e.mineral;
    if (!e.licence_no.empty()) attrs["existing_licence"] = e.licence_no;
    if (auto s = as_number(f.get("scale"))) attrs["scale"] = *s;
    if (!f.text("scale_unit").empty()) attrs["scale_unit"] = f.text("scale_unit");
    app.attrs = Attributes::from_json(attrs, "矿业权 " + r.id);
    return app;
}

class Batch {
public:
    Batch(const Engine& engine, const BatchOptions& options, const BatchSinks& sinks)
        : engine_(engine), index_(engine.index()), options_(options), sinks_(sinks),
          min_m2_(engine.rule_set().settings.value("min_overlap_m2", 1.0)) {}

    BatchResult run() {
        choose_layers();
        read_rights();
        cut_tiles();
        if (!sinks_.entry) result_.entries.resize(rights_.size());
        unsigned n = options_.threads ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
        n = static_cast<unsigned>(std::min<std::size_t>(n, std::max<std::size_t>(1, tiles_.size())));
        window_ = 2 * n + 2;
        std::vector<std::thread> workers;
        for (unsigned i = 0; i < n; ++i) workers.emplace_back([this] { work(); });
        deliver();
        for (auto& t : workers) t.join();
        if (failure_) std::rethrow_exception(failure_);
        return std::move(result_);
    }

private:
    // The layers overlaid: those asked for (or every spatial one but the rights), without the unusable.
    void choose_layers() {
        std::vector<std::string> wanted = options_.layers;
        if (wanted.empty())
            for (const auto& l : index_.spatial_layers())
                if (l.id != options_.rights_layer) wanted.push_back(l.id);
        for (const auto& id : wanted) {
            const SpatialLayer* l = index_.layer(id);
            if (!l) {
                result_.skipped.push_back({id, "", "规划数据库中没有图层“" + id + "”，未参与叠加"});
                continue;
            }
            if (l->epsg != 0 && l->epsg != kCgcs2000) {
                result_.skipped.push_back({id, "", fmt::format("图层“{}”坐标系为 EPSG:{}，不是2000国家大地坐标系经纬度（EPSG:4490），"
                                                               "未参与叠加；请重新导入",
                                                               l->name_zh, l->epsg)});
                continue;
            }
            // An empty layer is worth a line only when it was asked for: by default a plan has several.
            if (!options_.layers.empty() && !index_.has_data(index_.reader(), id))
                result_.skipped.push_back({id, "", fmt::format("图层“{}”为空（没有带几何的要素），无可叠加", l->name_zh)});
            reported_.insert(id);
            layers_.push_back(id);
        }
        // The rights overlap each other too (no_overlap_rights): computed with the rest, not reported.
        const SpatialLayer* rights = index_.layer(options_.rights_layer);
        if (rights && !reported_.count(options_.rights_layer) && (rights->epsg == 0 || rights->epsg == kCgcs2000))
            layers_.push_back(options_.rights_layer);
    }

    void read_rights() {
        const SpatialLayer* layer = index_.layer(options_.rights_layer);
        if (!layer) return;
        std::size_t ordinal = 0;
        for (auto& f : index_.reader().read(options_.rights_layer)) {
            if (f.wkb.empty()) continue;
            Right r;
            {
                const auto g = geo::Geometry::from_wkb(f.wkb);
                if (g.is_empty()) continue;
                r.envelope = g.envelope();
            }
            r.id = layer->id_field.empty() ? std::to_string(f.fid) : f.text(layer->id_field);
            if (r.id.empty()) r.id = std::to_string(f.fid);
            r.ordinal = ordinal++;
            r.feature = std::move(f);
            rights_.push_back(std::move(r));
        }
    }

    void cut_tiles() {
        if (rights_.empty()) return;
        geo::Envelope all = rights_.front().envelope;
        for (const auto& r : rights_) all = all.expanded(r.envelope);
        const double w = std::max(all.width(), 1e-9), h = std::max(all.height(), 1e-9);
        std::vector<std::pair<std::uint64_t, std::size_t>> order;
        for (std::size_t i = 0; i < rights_.size(); ++i) {
            const auto& e = rights_[i].envelope;
            const auto x = static_cast<std::uint32_t>(std::clamp(((e.min_x + e.max_x) / 2 - all.min_x) / w, 0.0, 1.0) * 65535);
            const auto y = static_cast<std::uint32_t>(std::clamp(((e.min_y + e.max_y) / 2 - all.min_y) / h, 0.0, 1.0) * 65535);
            order.emplace_back(hilbert(x, y), i);
        }
        std::sort(order.begin(), order.end());
        const std::size_t size = std::max<std::size_t>(1, options_.tile_size);
        // The last 2 × size rights go in quarter tiles: the workers then finish together, where one worker
        // alone on the last large tile left the other core idle for up to a tile's time.
        const std::size_t tail = order.size() > 2 * size ? order.size() - 2 * size : 0;
        for (std::size_t i = 0; i < order.size();) {
            const std::size_t n = i < tail ? std::min(size, tail - i) : std::max<std::size_t>(1, size / 4);
            std::vector<std::size_t> tile;
            for (std::size_t j = i; j < std::min(order.size(), i + n); ++j) tile.push_back(order[j].second);
            tiles_.push_back(std::move(tile));
            i += n;
        }
    }

    void work() {
        try {
            // This thread's own view of the database: a store is one connection and is never shared.
            auto reader = store::open_store_at(index_.reader().location(), options_.as_of);
            HugeCache huge;  // this worker's huge features, repaired and subdivided once
            if (reader->version() != index_.version())
                throw store::ConflictError("规划数据库在审查期间被修改（版本 " + std::to_string(index_.version()) + " → " +
                                    std::to_string(reader->version()) + "），请重新运行 / plan changed during the audit");
            for (;;) {
                const std::size_t t = next_tile_++;
                if (t >= tiles_.size()) return;
                {
                    // Bounded memory: a worker runs at most `window_` tiles ahead of the one delivered.
                    std::unique_lock lock(mutex_);
                    cv_.wait(lock, [&] { return failure_ || t < delivered_ + window_; });
                    if (failure_) return;
                }
                TileResult r = review_tile(*reader, tiles_[t], huge);
                std::lock_guard lock(mutex_);
                done_.emplace(t, std::move(r));
                cv_.notify_all();
            }
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!failure_) failure_ = std::current_exception();
            cv_.notify_all();
        }
    }

    void deliver() {
        std::size_t rights_done = 0;
        for (std::size_t t = 0; t < tiles_.size(); ++t) {
            TileResult r;
            {
                std::unique_lock lock(mutex_);
                cv_.wait(lock, [&] { return failure_ || done_.count(t); });
                if (failure_) return;
                r = std::move(done_.at(t));
                done_.erase(t);
                delivered_ = t + 1;
                cv_.notify_all();
            }
            for (auto& [ordinal, entry] : r.entries) {
                if (sinks_.entry) sinks_.entry(ordinal, std::move(entry));
                else result_.entries[ordinal] = std::move(entry);
            }
            if (sinks_.overlaps)
                for (const auto& rows : r.overlaps) sinks_.overlaps(rows);
            for (auto& n : r.notes)
                if (noted_.insert(n.layer + '\x1f' + n.feature_id).second) result_.skipped.push_back(std::move(n));
            rights_done += r.rights;
            if (sinks_.progress) sinks_.progress(rights_done, rights_.size());
        }
    }

    // The features of a layer near one of the tile's rights. A tile of 256 rights spans kilometres of farmland
    // patches, most of them between the rights: the spatial index's boxes are read first (no row), and only
    // the rows whose box meets a right's envelope are read and parsed. The others would never be visited
    // (a feature's envelope lies inside its box), so the answers are those of the whole window.
    std::vector<IndexedFeature> tile_window(const store::PlanStore& reader, const std::string& layer, const geo::Envelope& env,
                                            const std::vector<std::size_t>& tile) const {
        const auto boxes = reader.index_boxes(layer, {env.min_x, env.min_y, env.max_x, env.max_y});
        if (!boxes) return index_.window(reader, layer, env);
        // The tile's rights in a grid: a box is tested against the rights near it, not against each of 256.
        std::vector<geo::Envelope> envelopes;
        envelopes.reserve(tile.size());
        for (std::size_t i : tile) envelopes.push_back(rights_[i].envelope);
        const geo::GridIndex rights(std::move(envelopes));
        std::vector<std::int64_t> fids;
        for (const auto& b : *boxes)
            if (rights.meets_any({b.box.min_x, b.box.min_y, b.box.max_x, b.box.max_y})) fids.push_back(b.fid);
        return index_.window_of(reader, layer, env, fids);
    }

    TileResult review_tile(const store::PlanStore& reader, const std::vector<std::size_t>& tile, HugeCache& huge) {
        TileResult out;
        geo::Envelope env = rights_[tile.front()].envelope;
        for (std::size_t i : tile) env = env.expanded(rights_[i].envelope);
        // Each plan layer read once for the whole tile, through the spatial index.
        std::vector<std::pair<std::string, std::vector<OverlayFeature>>> layers;
        for (const auto& id : layers_) layers.emplace_back(id, overlay_features(id, tile_window(reader, id, env, tile), huge));
        // An envelope index per layer: each right visits only the features near it, not the tile's window
        // (a tile of 256 rights can span kilometres of farmland patches). Answers in fid order.
        std::vector<geo::GridIndex> near;
        near.reserve(layers.size());
        for (const auto& [layer, features] : layers) {
            std::vector<geo::Envelope> boxes;
            boxes.reserve(features.size());
            for (const auto& f : features) boxes.push_back(f.feature.envelope);
            near.emplace_back(std::move(boxes));
        }
        // Per layer, decided once rather than per hit: reported in the overlap file, and the rights themselves.
        std::vector<char> reported, rights_layer;
        for (const auto& [layer, features] : layers) {
            reported.push_back(reported_.count(layer) ? 1 : 0);
            rights_layer.push_back(layer == options_.rights_layer ? 1 : 0);
        }
        std::vector<std::size_t> found;
        for (std::size_t i : tile) {
            const Right& right = rights_[i];
            AuditEntry e;
            geo::Geometry polygon = geo::Geometry::from_wkb(right.feature.wkb);
            std::vector<std::string> polygon_notes;
            if (auto fixed = repaired(polygon)) {
                polygon = std::move(*fixed);
                polygon_notes.push_back("矿业权范围几何无效（自相交等），已按修复后的几何审查");
                out.notes.push_back({options_.rights_layer, right.id, "矿业权范围几何无效（自相交等），已按修复（make_valid）后的几何审查"});
            }
            Application app = right_application(right, options_.rights_layer, e, std::move(polygon));
            for (auto& n : polygon_notes) app.input_notes.push_back(std::move(n));
            const RightOverlay overlay(app.polygon, app.area_m2, min_m2_);
            PrecomputedOverlaps pre;
            pre.draw = false;  // the audit keeps findings, not maps
            std::vector<OverlapRow> rows;
            for (std::size_t l = 0; l < layers.size(); ++l) {
                auto& [layer, features] = layers[l];
                auto& hits = pre.layers[layer];
                near[l].query(right.envelope, found);
                for (std::size_t k : found) {
                    OverlayFeature& f = features[k];
                    const auto m2 = overlay.overlap_m2(f, [&](const std::string& why) {
                        out.notes.push_back({layer, f.feature.id, why});
                    });
                    if (!m2 || *m2 < min_m2_) continue;
                    hits.emplace_back(&f.feature, *m2);
                    const bool self = rights_layer[l] && f.feature.id == right.id;
                    if (reported[l] && !self) rows.push_back({right.id, layer, f.feature.id, *m2});
                }
            }
            e.report = engine_.check(app, reader, &pre);
            // What the audit writes are the findings: the map and the polygon would only hold memory.
            e.report.map_features.clear();
            e.report.application.polygon = geo::Geometry();
            out.entries.emplace_back(right.ordinal, std::move(e));
            out.overlaps.push_back(std::move(rows));
            ++out.rights;
        }
        return out;
    }

    const Engine& engine_;
    const PlanIndex& index_;
    const BatchOptions& options_;
    const BatchSinks& sinks_;
    const double min_m2_;
    std::vector<std::string> layers_;
    std::set<std::string> reported_;
    std::vector<Right> rights_;
    std::vector<std::vector<std::size_t>> tiles_;
    BatchResult result_;
    std::set<std::string> noted_;

    std::atomic<std::size_t> next_tile_{0};
    std::mutex mutex_;
    std::condition_variable cv_;
    std::map<std::size_t, TileResult> done_;
    std::size_t delivered_ = 0, window_ = 4;
    std::exception_ptr failure_;
};

}  // namespace

BatchResult audit_batch(const Engine& engine, const BatchOptions& options, const BatchSinks& sinks) {
    return Batch(engine, options, sinks).run();
}

std::string overlap_csv_header() { return "right_id,layer,feature_id,overlap_m2\n"; }

std::string overlap_csv_rows(const std::vector<OverlapRow>& rows) {
    // Written in place (2.5 M rows at goal size): a plain scan for the characters that need quotes, no copy
    // of a cell, one fmt call for the area.
    std::string out;
    for (const auto& r : rows) {
        append_csv_cell(out, r.right_id);
        out += ',';
        append_csv_cell(out, r.layer);
        out += ',';
        append_csv_cell(out, r.feature_id);
        fmt::format_to(std::back_inserter(out), ",{:.3f}\n", r.m2);
    }
    return out;
}

}  // namespace minplan::rules
