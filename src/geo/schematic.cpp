#include "geo/schematic.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>

#include "geo/crs.hpp"

namespace minplan::geo {

namespace {

struct Region {
    Geometry gk;  // EPSG:4547 metres
    std::unique_ptr<PreparedGeometry> prepared;
    double area_m2 = 0;
};

Geometry square(Coord center, double side) {
    double h = side / 2;
    return Geometry::rectangle({center.x - h, center.y - h, center.x + h, center.y + h});
}

bool overlaps_any(const Envelope& e, const std::vector<Envelope>& placed) {
    for (const auto& p : placed)
        if (e.min_x < p.max_x && e.max_x > p.min_x && e.min_y < p.max_y && e.max_y > p.min_y) return true;
    return false;
}

// Halton's low-discrepancy sequence: every prefix spreads evenly over [0,1), so objects placed one after the
// other at its points fill a region evenly instead of piling up around one point.
double halton(std::size_t i, unsigned base) {
    double f = 1, r = 0;
    for (; i > 0; i /= base) {
        f /= base;
        r += f * static_cast<double>(i % base);
    }
    return r;
}

// Room kept free around each county's label point (GEOS point on surface, where the web map writes the
// county's name too): a three-character name in 15 px type at the map's start is about 11 × 5 km.
constexpr double kLabelHalfWidth = 8000, kLabelHalfHeight = 4000;
// Points of the sequence tried per object before falling back to the packed placement.
constexpr std::size_t kSpreadTries = 6000;

std::string fmt_km2(double v) {
    std::ostringstream s;
    s.precision(6);
    s << v;
    return s.str();
}

}  // namespace

struct SchematicPlacer::Impl {
    Transformer to_gk{kCgcs2000Geographic, kCgcs2000Gk38};
    Transformer to_lonlat{kCgcs2000Gk38, kCgcs2000Geographic};
    std::map<std::string, Geometry> regions_lonlat;
    Geometry city_lonlat;
    std::string city_zh;
    std::map<std::string, Region> regions;  // key: ';'-joined names
    std::map<std::string, std::vector<Envelope>> placed;  // per group
    std::vector<Envelope> taken;                           // every group's objects and the county labels
    std::map<std::string, std::size_t> cursor;             // per region: the next Halton index to try
    bool labels_kept = false;

    void keep_labels_free() {
        if (labels_kept) return;
        labels_kept = true;
        for (const auto& [name, g] : regions_lonlat) {
            Coord c = to_gk.apply(g).point_on_surface();
            taken.push_back({c.x - kLabelHalfWidth, c.y - kLabelHalfHeight, c.x + kLabelHalfWidth, c.y + kLabelHalfHeight});
        }
    }

    // The first point of the region's Halton sequence where a square of `side` lies inside the region and
    // clear of every object placed so far and of the county labels; nullopt when none is found soon.
    std::optional<Geometry> spread(const std::string& key, const Region& r, double side) {
        const Envelope e = r.gk.envelope();
        if (e.width() <= side || e.height() <= side) return std::nullopt;
        std::size_t& next = cursor.try_emplace(key, 1).first->second;
        for (std::size_t k = next; k < next + kSpreadTries; ++k) {
            Coord c{e.min_x + side / 2 + halton(k, 2) * (e.width() - side), e.min_y + side / 2 + halton(k, 3) * (e.height() - side)};
            Geometry sq = square(c, side);
            if (overlaps_any(sq.envelope(), taken) || !r.prepared->covers(sq)) continue;
            next = k + 1;
            return sq;
        }
        return std::nullopt;
    }

    Region& region_for(const std::vector<std::string>& names, std::string& label) {
        std::vector<std::string> known;
        for (const auto& n : names)
            if (regions_lonlat.count(n)) known.push_back(n);
        std::string key;
        for (const auto& n : known) key += (key.empty() ? "" : ";") + n;
        label = key.empty() ? city_zh : key;
        auto it = regions.find(key);
        if (it != regions.end()) return it->second;
        Geometry g = key.empty() ? city_lonlat.clone() : regions_lonlat.at(known[0]).clone();
        for (std::size_t i = 1; i < known.size(); ++i) g = g.union_with(regions_lonlat.at(known[i]));
        Region r;
        r.gk = to_gk.apply(g);
        r.prepared = std::make_unique<PreparedGeometry>(r.gk);
        r.area_m2 = r.gk.planar_area();
        return regions.emplace(key, std::move(r)).first->second;
    }

    // Candidate centres on a grid, nearest to the region's interior point first (deterministic).
    std::vector<Coord> candidates(const Region& r, double side) const {
        Envelope e = r.gk.envelope();
        Coord anchor = r.gk.point_on_surface();
        // A step of a quarter side lets a square slide past earlier ones; a step of a whole side left
        // free room unused and sent objects to the overlapping fallback below.
        double step = std::max(side / 4, std::max(e.width(), e.height()) / 200.0);
        std::vector<Coord> out;
        for (double y = e.min_y + side / 2; y <= e.max_y - side / 2; y += step)
            for (double x = e.min_x + side / 2; x <= e.max_x - side / 2; x += step) out.push_back({x, y});
        std::stable_sort(out.begin(), out.end(), [&](Coord a, Coord b) {
            return std::hypot(a.x - anchor.x, a.y - anchor.y) < std::hypot(b.x - anchor.x, b.y - anchor.y);
        });
        return out;
    }

    Placement finish(Geometry gk, std::string note) {
        Placement p;
        p.lonlat = to_lonlat.apply(gk);
        p.area_km2 = ellipsoidal_area_km2(p.lonlat);
        p.note = std::move(note);
        return p;
    }
};

SchematicPlacer::SchematicPlacer(std::map<std::string, Geometry> regions, Geometry city, std::string city_zh)
    : impl_(std::make_unique<Impl>()) {
    impl_->city_zh = std::move(city_zh);
    impl_->regions_lonlat = std::move(regions);
    impl_->city_lonlat = std::move(city);
}
SchematicPlacer::~SchematicPlacer() = default;

Placement SchematicPlacer::place(const std::string& group, const std::vector<std::string>& names, double area_km2) {
    std::string label;
    Region& region = impl_->region_for(names, label);
    auto& placed = impl_->placed[group];
    const double target_m2 = area_km2 * 1e6;
    // "平方公里", not "km²": GBK, the usual encoding of Chinese shapefiles, has no "²".
    std::string base = "示意几何：按规划面积 " + fmt_km2(area_km2) + " 平方公里 置于" + label + "内，非真实位置";

    if (target_m2 >= region.area_m2) {
        return impl_->finish(region.gk.clone(), base + "；规划面积不小于所在行政区示意面积，取整个行政区");
    }
    // The plane area in GK differs from the ellipsoidal one by the zone's scale factor; correct once.
    double side = std::sqrt(target_m2);
    impl_->keep_labels_free();
    // First choice: spread over the region, clear of every schematic object and of the county names.
    if (auto sq = impl_->spread(label, region, side)) {
        Placement p = impl_->finish(sq->clone(), base);
        const Envelope e = sq->envelope();
        const Coord c{(e.min_x + e.max_x) / 2, (e.min_y + e.max_y) / 2};
        Geometry sq2 = square(c, side * std::sqrt(area_km2 / p.area_km2));
        if (region.prepared->covers(sq2) && !overlaps_any(sq2.envelope(), impl_->taken)) {
            placed.push_back(sq2.envelope());
            impl_->taken.push_back(sq2.envelope());
            return impl_->finish(std::move(sq2), base);
        }
        placed.push_back(e);
        impl_->taken.push_back(e);
        return p;
    }
    // Else packed around the region's interior point, clear of the layer's own objects.
    for (const Coord& c : impl_->candidates(region, side)) {
        Geometry sq = square(c, side);
        Envelope e = sq.envelope();
        if (overlaps_any(e, placed) || !region.prepared->covers(sq)) continue;
        Placement p = impl_->finish(square(c, side), base);
        double corrected = side * std::sqrt(area_km2 / p.area_km2);
        Geometry sq2 = square(c, corrected);
        if (region.prepared->covers(sq2) && !overlaps_any(sq2.envelope(), placed)) {
            placed.push_back(sq2.envelope());
            impl_->taken.push_back(sq2.envelope());
            return impl_->finish(std::move(sq2), base);
        }
        placed.push_back(e);
        impl_->taken.push_back(e);
        return p;
    }
    // No free square fits: clip a growing square at the region's interior point to the region.
    Coord anchor = region.gk.point_on_surface();
    double lo = std::sqrt(target_m2), hi = std::sqrt(region.area_m2) * 4;
    Geometry best;
    for (int i = 0; i < 40; ++i) {
        double mid = (lo + hi) / 2;
        Geometry clipped = square(anchor, mid).intersection(region.gk);
        if (clipped.planar_area() < target_m2) lo = mid;
        else hi = mid;
        best = std::move(clipped);
    }
    placed.push_back(best.envelope());
    impl_->taken.push_back(best.envelope());
    return impl_->finish(std::move(best), base + "；按行政区范围裁剪，可能与同层其他示意几何重叠");
}

}  // namespace minplan::geo
