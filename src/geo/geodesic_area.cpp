#include "geo/geodesic_area.hpp"

#include <cmath>

namespace minplan::geo {

// Green's theorem in (λ, φ): the area of a region is −∮ G(φ) dλ, with G the integral of the area density
// M·N·cos φ (M, N the radii of curvature) from a reference latitude φ₀, the ring's first vertex, so that
// the terms are of the ring's size, not of the earth's (G − G(φ₀) in closed form, without cancellation:
// the authalic function's difference, Snyder 1987 eq. 3-12). Along an edge the integral of G is the
// trapezoid less the midpoint's curvature term (exact to fourth order in Δφ). The geodesic bows away from
// the straight (λ, φ) edge by δ = −t(1 − t)/2 · a, with a = −Γ(d, d) the geodesic equation's acceleration
// for the edge's step d = (Δλ, Δφ) and the metric's Christoffel symbols Γ^φ_λλ = N/M·cos φ·sin φ,
// Γ^λ_λφ = −M/N·tan φ, Γ^φ_φφ = M′/M = 3e²·sin φ·cos φ/(1 − e² sin² φ), all at the edge's midpoint; the area
// between the two is the density times ∫(δ_φ Δλ − δ_λ Δφ) dt = −(a_φ Δλ − a_λ Δφ)/12. Taken at the midpoint
// the neglected terms are of relative order (L/R)² to this bow (L the edge, R the earth's radius): below
// 1e-9 of the area for edges up to kShortEdgeRad.
std::optional<double> short_ring_area_m2(const double* lon, const double* lat, std::size_t n) {
    constexpr double a = 6378137.0, f = 1.0 / 298.257222101;  // CGCS2000
    constexpr double e2 = f * (2 - f);
    static const double e = std::sqrt(e2);
    constexpr double rad = M_PI / 180;
    constexpr double half_b2 = a * a * (1 - e2) / 2;
    if (n < 3) return 0.0;
    const double phi0 = lat[0] * rad;
    const double s0 = std::sin(phi0);
    const double d0 = 1 - e2 * s0 * s0;
    // G(φ) − G(φ₀) = a²(1 − e²)/2 · [q(φ) − q(φ₀)]/(1 − e²), with sin φ − sin φ₀ and the atanh difference
    // written so that nothing large cancels.
    auto g = [&](double phi) {
        const double s = std::sin(phi);
        const double ds = 2 * std::cos((phi + phi0) / 2) * std::sin((phi - phi0) / 2);
        const double d = 1 - e2 * s * s;
        return half_b2 * (ds * (1 + e2 * s * s0) / (d * d0) + std::atanh(e * ds / (1 - e2 * s * s0)) / e);
    };
    double sum = 0, phi1 = phi0, g1 = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t j = i + 1 == n ? 0 : i + 1;
        const double phi2 = lat[j] * rad;
        const double dl = (lon[j] - lon[i]) * rad, dp = phi2 - phi1;
        const double pm = (phi1 + phi2) / 2;
        const double sm = std::sin(pm), cm = std::cos(pm);
        // Long edges, and the polar caps (tan φ), are left to geod_polygonarea.
        if (!(std::fabs(dp) <= kShortEdgeRad && std::fabs(dl * cm) <= kShortEdgeRad && cm > 0.2)) return std::nullopt;
        const double g2 = g(phi2);
        const double dm = 1 - e2 * sm * sm;
        const double root = std::sqrt(dm);
        const double m = a * (1 - e2) / (dm * root), nu = a / root;
        const double density = m * nu * cm;                                                 // G′(φm)
        const double density_slope = a * a * (1 - e2) * sm * (4 * e2 * cm * cm - dm) / (dm * dm * dm);  // G″(φm)
        const double acc_l = 2 * (m / nu) * (sm / cm) * dl * dp;
        const double acc_p = -(nu / m) * cm * sm * dl * dl - 3 * e2 * sm * cm / dm * dp * dp;
        sum += dl * ((g1 + g2) / 2 - dp * dp / 12 * density_slope) - density / 12 * (acc_p * dl - acc_l * dp);
        phi1 = phi2;
        g1 = g2;
    }
    return -sum;
}

}  // namespace minplan::geo
