#pragma once
// A smooth map of the plane replaced, near a centre, by its third-order Taylor polynomial. Why: a PROJ pipeline
// costs about a microsecond a point, and the area of a plane polygon (geo::plane_polygon_ellipsoidal_area_km2)
// needs two points an edge: a farmland patch of 40 vertices inside a right is 80 calls, 17 % of a server check.
// The polynomial is fitted from 13 evaluations of the map by central differences that are exact for cubics; a
// map whose derivatives scale like the earth's radius R (Gauss–Krüger followed by an equal-area cylinder) then
// differs from it by about d⁴/(24R³) at distance d from the centre: 4e-10 m at 3 km. The offsets are relative to
// the centre's image, so they also keep more digits than the map's own ~10⁷ m ordinates.
#include <array>
#include <cmath>

#include "geo/geometry.hpp"

namespace minplan::geo {

class LocalCubicMap {
public:
    // `map` is called as map(Coord) -> Coord on the 13 points centre + (i, j)·step, |i|, |j| ≤ 2, |i| + |j| ≤ 2.
    template <class Map>
    static LocalCubicMap fit(const Map& map, Coord centre, double step);

    // map(p) − map(centre).
    Coord offset(Coord p) const {
        const double u = p.x - centre_.x, v = p.y - centre_.y;
        const double t[9] = {u, v, u * u, u * v, v * v, u * u * u, u * u * v, u * v * v, v * v * v};
        double x = 0, y = 0;
        for (int k = 8; k >= 0; --k) {  // smallest terms first
            x += x_[k] * t[k];
            y += y_[k] * t[k];
        }
        return {x, y};
    }
    Coord centre() const { return centre_; }

private:
    Coord centre_{};
    // Coefficients of u, v, u², uv, v², u³, u²v, uv², v³ (u, v measured from the centre) for each ordinate.
    std::array<double, 9> x_{}, y_{};
};

template <class Map>
LocalCubicMap LocalCubicMap::fit(const Map& map, Coord centre, double step) {
    const Coord origin = map(centre);
    auto f = [&](int i, int j) {
        const Coord c = map({centre.x + i * step, centre.y + j * step});
        return Coord{c.x - origin.x, c.y - origin.y};
    };
    const Coord e1 = f(1, 0), w1 = f(-1, 0), e2 = f(2, 0), w2 = f(-2, 0);
    const Coord n1 = f(0, 1), s1 = f(0, -1), n2 = f(0, 2), s2 = f(0, -2);
    const Coord ne = f(1, 1), nw = f(-1, 1), se = f(1, -1), sw = f(-1, -1);
    const double h = step, h2 = h * h, h3 = h2 * h;
    LocalCubicMap m;
    m.centre_ = centre;
    auto coefficients = [&](auto get, std::array<double, 9>& c) {
        const double fu = (-get(e2) + 8 * get(e1) - 8 * get(w1) + get(w2)) / (12 * h);
        const double fv = (-get(n2) + 8 * get(n1) - 8 * get(s1) + get(s2)) / (12 * h);
        const double fuu = (get(e1) + get(w1)) / h2;  // f(0, 0) = 0
        const double fvv = (get(n1) + get(s1)) / h2;
        const double fuv = (get(ne) - get(se) - get(nw) + get(sw)) / (4 * h2);
        const double fuuu = (get(e2) - 2 * get(e1) + 2 * get(w1) - get(w2)) / (2 * h3);
        const double fvvv = (get(n2) - 2 * get(n1) + 2 * get(s1) - get(s2)) / (2 * h3);
        const double fuuv = ((get(ne) - 2 * get(n1) + get(nw)) - (get(se) - 2 * get(s1) + get(sw))) / (2 * h3);
        const double fuvv = ((get(ne) - 2 * get(e1) + get(se)) - (get(nw) - 2 * get(w1) + get(sw))) / (2 * h3);
        c = {fu, fv, fuu / 2, fuv, fvv / 2, fuuu / 6, fuuv / 2, fuvv / 2, fvvv / 6};
    };
    coefficients([](Coord p) { return p.x; }, m.x_);
    coefficients([](Coord p) { return p.y; }, m.y_);
    return m;
}

}  // namespace minplan::geo
