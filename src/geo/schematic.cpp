#include "geo/schematic.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>

#include "geo/crs.hpp"

namespace minplan::geo {

namespace {

struct Region {
    Geometry lonlat;  // EPSG:4490
    Geometry gk;      // EPSG:4547 metres
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
    std::map<std::string, std::vector<Geometry>> shapes;  // per group: what was placed, for the carved fallback
    std::vector<Envelope> taken;                           // every group's objects and the county labels
    std::vector<Geometry> label_rooms;                     // the county labels' rooms, EPSG:4490
    std::map<std::string, std::size_t> cursor;             // per region: the next Halton index to try
    bool labels_kept = false;

    void keep_labels_free() {
        if (labels_kept) return;
        labels_kept = true;
        for (const auto& [name, g] : regions_lonlat) {
            Coord c = to_gk.apply(g).point_on_surface();
            const Envelope room{c.x - kLabelHalfWidth, c.y - kLabelHalfHeight, c.x + kLabelHalfWidth, c.y + kLabelHalfHeight};
            taken.push_back(room);
            label_rooms.push_back(to_lonlat.apply(Geometry::rectangle(room).densify(500)));
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
        r.lonlat = std::move(g);
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

    // The part of the region (EPSG:4490, as stored) that no earlier object of the group covers. Carving is
    // done as stored so that the new object's edges are the earlier objects' own edges: carved on the
    // plane and transformed, a shared edge bends differently on each side and leaves slivers of overlap.
    Geometry free_room(const std::string& group, const Region& r) const {
        Geometry room = r.lonlat.clone();
        auto it = shapes.find(group);
        if (it == shapes.end()) return room;
        for (const auto& s : it->second)
            if (s.envelope().intersects(room.envelope())) room = room.difference(s);
        return room;
    }

    // A square (on the plane, densified so that it stays square once transformed) grown around the room's
    // interior point and clipped to the room until it covers `target_km2` on the ellipsoid; the clipped area
    // grows with the square, up to the room's, so bisection finds it.
    Geometry grow_clipped(const Geometry& room, double target_km2) const {
        const Coord anchor = to_gk.apply(room).point_on_surface();
        const Envelope e = to_gk.apply(room).envelope();
        double lo = 0, hi = 2 * std::hypot(e.width(), e.height()) + 2 * std::hypot(anchor.x - e.min_x, anchor.y - e.min_y);
        // An opening by ~0.1 m removes the needles left where the square's edge runs along an earlier
        // object's edge; it only takes area away, so the result still lies inside the room.
        constexpr double kNeedle = 1e-6;  // degrees
        auto clipped = [&](double side) {
            return to_lonlat.apply(square(anchor, side).densify(side / 64)).intersection(room).buffer(-kNeedle).buffer(kNeedle);
        };
        Geometry best = clipped(hi);
        for (int i = 0; i < 48; ++i) {
            const double mid = (lo + hi) / 2;
            Geometry g = clipped(mid);
            if (ellipsoidal_area_km2(g) < target_km2) {
                lo = mid;
            } else {
                hi = mid;
                best = std::move(g);
            }
        }
        return best;
    }

    Placement keep(const std::string& group, Geometry gk, std::string note) {
        Placement p = finish(std::move(gk), std::move(note));
        remember(group, p.lonlat);
        return p;
    }

    Placement keep_lonlat(const std::string& group, Geometry lonlat, std::string note) {
        remember(group, lonlat);
        Placement p;
        p.area_km2 = ellipsoidal_area_km2(lonlat);
        p.lonlat = std::move(lonlat);
        p.note = std::move(note);
        return p;
    }

    void remember(const std::string& group, const Geometry& lonlat) {
        const Envelope e = to_gk.apply(lonlat).envelope();
        placed[group].push_back(e);
        taken.push_back(e);
        shapes[group].push_back(lonlat.clone());
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
        if (region.prepared->covers(sq2) && !overlaps_any(sq2.envelope(), impl_->taken))
            return impl_->keep(group, std::move(sq2), base);
        return impl_->keep(group, sq->clone(), base);
    }
    // Else packed around the region's interior point, clear of the layer's own objects.
    for (const Coord& c : impl_->candidates(region, side)) {
        Geometry sq = square(c, side);
        if (overlaps_any(sq.envelope(), placed) || !region.prepared->covers(sq)) continue;
        Placement p = impl_->finish(square(c, side), base);
        Geometry sq2 = square(c, side * std::sqrt(area_km2 / p.area_km2));
        if (region.prepared->covers(sq2) && !overlaps_any(sq2.envelope(), placed))
            return impl_->keep(group, std::move(sq2), base);
        return impl_->keep(group, std::move(sq), base);
    }
    // No free square fits (a large zone in small counties): a square clipped to the room the layer's earlier
    // objects left in the region, so the layer still has no overlaps.
    Geometry room = impl_->free_room(group, region);
    Geometry clear_of_labels = room.clone();
    for (const auto& label_room : impl_->label_rooms)
        if (label_room.envelope().intersects(clear_of_labels.envelope())) clear_of_labels = clear_of_labels.difference(label_room);
    if (!clear_of_labels.is_empty() && ellipsoidal_area_km2(clear_of_labels) > area_km2 * 1.0001)
        return impl_->keep_lonlat(group, impl_->grow_clipped(clear_of_labels, area_km2),
                                  base + "；按行政区内同层示意几何以外的范围裁剪");
    if (!room.is_empty() && ellipsoidal_area_km2(room) > area_km2 * 1.0001)
        return impl_->keep_lonlat(group, impl_->grow_clipped(room, area_km2), base + "；按行政区内同层示意几何以外的范围裁剪");
    // Not even that room is left: clip to the whole region, overlapping the layer's other objects.
    return impl_->keep_lonlat(group, impl_->grow_clipped(region.lonlat, area_km2),
                              base + "；按行政区范围裁剪，可能与同层其他示意几何重叠");
}

}  // namespace minplan::geo
