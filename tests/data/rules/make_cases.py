#!/usr/bin/env python3
"""Generates the rule test data: a small test plan of rectangles (plan.json), application files and one
case file per application. Everything is defined in Gauss-Krueger zone 38 plane metres (EPSG:4547 offsets
from E0, N0), so expected overlap areas are rectangle arithmetic done here by hand, independently of the
engine (GEOS/PROJ). Re-run after editing: python3 make_cases.py (needs cs2cs and ogr2ogr)."""
import json, os, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
E0, N0 = 480000.0, 4415000.0

# layer -> [(id, (e1, n1, e2, n2), attributes)]
PLAN = {
    # The city reaches ~1.9° west of zone 38's central meridian (114°E), like Datong's western edge, for FAR below.
    "admin_city": [("CITY", (-160000, -10000, 30000, 12000), {"name_zh": "测试市"})],
    "mining_blocks": [
        ("CK-T-01", (0, 0, 2000, 2000), {"mineral": "石灰岩矿"}),
        ("CK-T-02", (10000, 0, 14000, 4000), {"mineral": "煤"}),
        ("CK-T-03", (20000, 0, 22000, 2000), {"mineral": "石灰岩矿"}),
        ("CK-T-04", (24000, 0, 26000, 2000), {"mineral": "砖瓦用粘土"}),
        ("CK-T-05", (0, -3000, 3000, -2000), {"mineral": "砂金"}),
        ("CK-T-06", (-5500, 500, -4300, 1700), {"mineral": "煤"}),
    ],
    "exploration_blocks": [("TK-T-01", (0, 5000, 3000, 8000), {"mineral": "铁矿"}),
                           ("TK-T-02", (5000, 5000, 8000, 8000), {"mineral": "铁矿"})],
    "key_mining_zones": [
        ("ZL-T-01", (-500, -500, 2500, 2500), {"name": "测试一号集中开采区", "zone_kind": "concentrated_mining", "planned_rights_count": 1}),
        ("ZL-T-02", (19500, -500, 22500, 2500), {"name": "测试二号集中开采区", "zone_kind": "concentrated_mining", "planned_rights_count": 3}),
        # 重点矿区 (专栏13 rows 1-5): ZL-T-03 over CK-T-02 (R-1 granted 2019, before the period), ZL-T-04 over ZL-T-01
        # (R-3 granted 2022), both planned 1.
        ("ZL-T-03", (9500, -500, 14500, 4500), {"name": "测试一号重点矿区", "zone_kind": "key_mining", "planned_rights_count": 1}),
        ("ZL-T-04", (-500, -500, 2500, 2500), {"name": "测试二号重点矿区", "zone_kind": "key_mining", "planned_rights_count": 1}),
        # R12 at the count: planned 2, R-5 granted 2021-01-01 (the period's first day, counted) and R-6 granted
        # 2020-12-31 (the day before, not counted): one more right makes exactly 2.
        ("ZL-T-05", (-30500, -500, -26500, 3500), {"name": "测试三号集中开采区", "zone_kind": "concentrated_mining", "planned_rights_count": 2}),
    ],
    # 重点勘查区 (专栏12): ZK-T-01 over TK-T-01 (R-2 granted 2020, before the period), ZK-T-02 with R-4 granted 2022.
    "key_exploration_zones": [
        ("ZK-T-01", (-500, 4500, 3500, 8500), {"name": "测试一号重点勘查区", "zone_kind": "重点勘查区", "planned_rights_count": 1}),
        ("ZK-T-02", (5000, 9000, 8000, 12000), {"name": "测试二号重点勘查区", "zone_kind": "重点勘查区", "planned_rights_count": 1}),
    ],
    "control_lines": [
        ("UDB-1", (3000, 0, 5000, 2000), {"control_type": "urban_development_boundary", "name": "测试城镇开发边界"}),
        ("ERL-1", (6000, 0, 8000, 2000), {"control_type": "ecological_red_line", "name": "测试生态保护红线"}),
        ("PBF-1", (24000, 1000, 26000, 3000), {"control_type": "permanent_basic_farmland", "name": "测试永久基本农田"}),
        ("LMD-1", (-20000, 0, -18000, 2000), {"control_type": "large_medium_deposit", "name": "测试中型铁矿产地"}),
        ("GWB-1", (-16000, 0, -14000, 2000), {"control_type": "groundwater_balance_zone", "name": "测试采补平衡区"}),
        ("SFP-1", (-12000, 0, -10000, 2000), {"control_type": "state_funded_project", "name": "测试省财政出资勘查项目"}),
    ],
    "control_areas": [
        ("KZ-T-01", (13000, 3000, 14000, 4000), {"name": "测试自然保护区", "type": "nature_reserve", "subtype_zh": "自然保护区"}),
        ("KZ-T-02", (10000, -3000, 11000, -2000), {"name": "测试水源地", "type": "water_source", "subtype_zh": "水源地"}),
        ("KZ-T-03", (0, -2600, 3000, -2400), {"name": "测试河", "type": "other", "subtype_zh": "河流"}),
    ],
    "strategic_reserve_zones": [("ZLCB-T-01", (15000, 0, 17000, 2000), {"name": "测试储备区"})],
    "mineral_rights": [
        ("R-1", (10000, 0, 11000, 1000), {"kind": "mining", "holder": "甲公司", "mineral": "煤炭", "scale": 300, "scale_unit": "万吨/年",
                                          "state": "有效", "valid_from": "2019-01-01", "licence_no": "C1400002019011110000001"}),
        ("R-2", (2000, 7000, 3000, 8000), {"kind": "exploration", "holder": "乙公司", "mineral": "铁矿", "state": "有效",
                                           "valid_from": "2020-05-01", "licence_no": "T1400002020051010000002"}),
        ("R-3", (2100, 2100, 2400, 2400), {"kind": "mining", "holder": "丙公司", "mineral": "石灰岩", "scale": 6, "scale_unit": "万吨/年",
                                           "state": "有效", "valid_from": "2022-03-01", "licence_no": "C1400002022031130000003"}),
        ("R-5", (-30000, 0, -29500, 500), {"kind": "mining", "holder": "辛公司", "mineral": "大理岩", "state": "有效",
                                           "valid_from": "2021-01-01", "licence_no": "C1400002021011130000005"}),
        ("R-6", (-30000, 2500, -29500, 3000), {"kind": "mining", "holder": "壬公司", "mineral": "大理岩", "state": "有效",
                                             "valid_from": "2020-12-31", "licence_no": "C1400002020123130000006"}),
        ("R-4", (7000, 11000, 7500, 11500), {"kind": "exploration", "holder": "庚公司", "mineral": "萤石", "state": "有效",
                                             "valid_from": "2022-06-01", "licence_no": "T1400002022061010000004"}),
    ],
}
# FAR: features given in CGCS2000 lon/lat (EPSG:4490) at the city's western edge, ~1.8° west of zone 38's
# central meridian, where Gauss–Krüger plane areas exceed ellipsoidal ones by ~6e-4 (scale factor k ≈ 1 + x²/2R²,
# x ≈ 150 km). Their expected overlap areas come from PROJ (cs2cs into the ellipsoidal cylindrical equal-area
# projection, then the shoelace formula), never from the plane, so the cases tell plane from ellipsoid.
FAR = {
    "mining_blocks": [("CK-T-07", (112.20, 39.88, 112.26, 39.92), {"mineral": "煤"})],
    "control_areas": [("KZ-T-04", (112.23, 39.90, 112.28, 39.94), {"name": "测试西部自然保护区", "type": "nature_reserve",
                                                                   "subtype_zh": "自然保护区"})],
}
CEA = ["cs2cs", "-f", "%.6f", "+proj=longlat +ellps=GRS80", "+to", "+proj=cea +lon_0=112 +ellps=GRS80"]
FAR_TOL = 2e-5  # relative; GEOS overlay + geodesic edges agree with the equal-area value to ~1e-7 on these sizes

CAPS = [{"cap_id": "C01", "mineral": "煤炭", "metric": "产能", "value": 1.2, "unit": "亿吨/年", "quote": "煤炭产能控制在1.2亿吨/年以内"},
        {"cap_id": "CT2", "mineral": "石灰岩", "metric": "年开采总量", "value": 10, "unit": "万吨", "quote": "测试：石灰岩年开采总量控制在10万吨左右"}]

COAL_OK = {"applicant": "丁公司", "for_profit": True, "main_mineral": "煤", "scale": 120, "scale_unit": "万吨/年", "mining_method": "地下",
           "reserves": 8000, "reserves_unit": "万吨", "service_life": 50, "exploration_stage": "勘探", "deposit_size": "大型",
           "coal_existing_scale": 500, "mechanisation_pct": 100, "coal_experience": True, "geological_report": True, "eia_report": True,
           "development_plan": True, "reclamation_plan": True, "green_mine_design": True, "associated_minerals": "无"}


def area(a, b):
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0) * max(h, 0)


def rect_area(r):
    return (r[2] - r[0]) * (r[3] - r[1])


def mining_string(r):
    e1, n1, e2, n2 = r
    pts = [(n2, e1), (n2, e2), (n1, e2), (n1, e1)]
    s = "1,4,"
    for i, (n, e) in enumerate(pts, 1):
        s += f"{i},{N0 + n:.2f},{38e6 + E0 + e:.2f},"
    return s + "1200,900,,1,\n"


def corners(r):
    e1, n1, e2, n2 = r
    return [(e1, n2), (e2, n2), (e2, n1), (e1, n1)]


def to_lonlat(pts):
    inp = "".join(f"{E0 + e} {N0 + n}\n" for e, n in pts)
    out = subprocess.run(["cs2cs", "-f", "%.10f", "+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m",
                          "+to", "+proj=longlat +ellps=GRS80"], input=inp, capture_output=True, text=True, check=True).stdout
    return [tuple(float(v) for v in line.split()[:2]) for line in out.strip().splitlines()]


def equal_area_m2(lonlat_ring):
    """Ellipsoidal area of a small lon/lat polygon: PROJ's equal-area cylindrical projection on GRS80 (= CGCS2000's
    a and f) from the command line, then the shoelace formula. Independent of minplan and of GEOS."""
    inp = "".join(f"{lon:.10f} {lat:.10f}\n" for lon, lat in lonlat_ring)
    out = subprocess.run(CEA, input=inp, capture_output=True, text=True, check=True).stdout
    xy = [tuple(float(v) for v in line.split()[:2]) for line in out.strip().splitlines()]
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(xy, xy[1:] + xy[:1]))) / 2


def ll_corners(r):
    lon1, lat1, lon2, lat2 = r
    return [(lon1, lat1), (lon2, lat1), (lon2, lat2), (lon1, lat2)]


def ll_intersection(a, b):
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def from_lonlat(pts, lon_0):
    inp = "".join(f"{lon:.10f} {lat:.10f}\n" for lon, lat in pts)
    out = subprocess.run(["cs2cs", "-f", "%.4f", "+proj=longlat +ellps=GRS80", "+to",
                          f"+proj=tmerc +lat_0=0 +lon_0={lon_0} +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m"],
                         input=inp, capture_output=True, text=True, check=True).stdout
    return [tuple(float(v) for v in line.split()[:2]) for line in out.strip().splitlines()]


def clip(subject, window):
    """Sutherland-Hodgman: the part of polygon `subject` inside the convex polygon `window` (both counter-clockwise
    or both clockwise lists of (x, y))."""
    def side(p, a, b):
        return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
    orient = 1 if sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(window, window[1:] + window[:1])) > 0 else -1
    out = subject
    for a, b in zip(window, window[1:] + window[:1]):
        inp, out = out, []
        for p, q in zip(inp, inp[1:] + inp[:1]):
            sp, sq = orient * side(p, a, b), orient * side(q, a, b)
            if sp >= 0:
                out.append(p)
            if (sp >= 0) != (sq >= 0):
                t = sp / (sp - sq)
                out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out
def plane_polygon_equal_area_m2(pts, lon_0, step=2.0):
    """Ellipsoid area of a polygon with straight edges in the transverse Mercator plane of lon_0: densified in the
    plane, back to lon/lat with cs2cs, then equal_area_m2."""
    dense = []
    for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1]):
        n = max(1, int(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 / step))
        dense += [(x1 + (x2 - x1) * k / n, y1 + (y2 - y1) * k / n) for k in range(n)]
    inp = "".join(f"{x:.4f} {y:.4f}\n" for x, y in dense)
    out = subprocess.run(["cs2cs", "-f", "%.12f", f"+proj=tmerc +lat_0=0 +lon_0={lon_0} +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m",
                          "+to", "+proj=longlat +ellps=GRS80"], input=inp, capture_output=True, text=True, check=True).stdout
    return equal_area_m2([tuple(float(v) for v in line.split()[:2]) for line in out.strip().splitlines()])
def dms(v):
    d = int(v); m = int((v - d) * 60); s = ((v - d) * 60 - m) * 60
    if round(s, 2) >= 60: m += 1; s = 0
    return f"{d}.{m:02d}{int(s):02d}{int(round((s - int(s)) * 100)):02d}"


def write(path, text, encoding="utf-8"):
    with open(os.path.join(HERE, path), "w", encoding=encoding, newline="") as f:
        f.write(text)


def case(name, rect, kind, expect, attrs=None, action="new", desc="", evidence=None, parameters=None, data=None):
    write(f"apps/{name}.txt", mining_string(rect))
    c = {"description": desc, "application": f"apps/{name}.txt", "kind": kind, "action": action, "attrs": attrs or {},
         "expect": {"findings": expect}}
    if parameters:
        c["parameters"] = parameters  # rule id -> parameters replacing the shipped rule's
    if "verdict" in expect:
        c["expect"]["verdict"] = expect.pop("verdict")
    if evidence:
        c["expect"]["evidence"] = evidence
    if data:
        c["expect"]["data"] = data  # [{"rule", "pointer" into the finding's data, "value", "rel_tol"}]
    write(f"cases/{name}.json", json.dumps(c, ensure_ascii=False, indent=1) + "\n")


def ev(rule, layer, fid, app, feature_rect):
    m2 = area(app, feature_rect)
    return {"rule": rule, "layer": layer, "feature_id": fid, "overlap_m2": m2, "overlap_pct": 100.0 * m2 / rect_area(app)}


def main():
    os.makedirs(os.path.join(HERE, "apps"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "cases"), exist_ok=True)
    plan = {"origin": {"epsg": 4547, "e0": E0, "n0": N0}, "layers": {}, "caps": CAPS}
    for layer, feats in PLAN.items():
        plan["layers"][layer] = [{"id": i, "rect": list(r), "attrs": a} for i, r, a in feats]
    for layer, feats in FAR.items():
        plan["layers"][layer] += [{"id": i, "lonlat": list(r), "attrs": a} for i, r, a in feats]
    write("plan.json", json.dumps(plan, ensure_ascii=False, indent=1) + "\n")
    R = {i: r for feats in PLAN.values() for i, r, _ in feats}
    lime = {"applicant": "戊公司", "main_mineral": "石灰岩", "scale": 3, "scale_unit": "万吨/年"}

    # R01 inside block / R02 main mineral
    a = (10500, 2000, 11500, 3000)
    case("r01_pass", a, "mining", {"R01": "通过", "R02": "通过"}, {"main_mineral": "煤"}, desc="inside CK-T-02 (coal)",
         evidence=[ev("R01", "mining_blocks", "CK-T-02", a, R["CK-T-02"])])
    a = (13500, 1000, 14500, 2000)  # half outside CK-T-02 (east edge at 14000)
    case("r01_fail_partial", a, "mining", {"R01": "不通过", "verdict": "不符合"}, {"main_mineral": "煤"},
         desc="half outside CK-T-02: outside 500000 m2", evidence=[ev("R01", "mining_blocks", "CK-T-02", a, R["CK-T-02"])])
    case("r01_fail_none", (8500, 3000, 9500, 4000), "mining", {"R01": "不通过", "R02": "不适用"}, {"main_mineral": "煤"})
    case("r02_fail", (10500, 2000, 11500, 3000), "mining", {"R02": "不通过", "verdict": "不符合"}, {"main_mineral": "铁矿"})
    case("r02_review_related", (20500, 500, 21500, 1500), "mining", {"R02": "需人工核查"}, {"main_mineral": "水泥用灰岩"})
    case("polygon_only", (-5400, 600, -4400, 1600), "mining",
         {"R01": "通过", "R02": "需人工核查", "R20": "需人工核查", "R21": "需人工核查", "R24": "需人工核查", "R27": "需人工核查",
          "verdict": "需人工核查"}, {})
    # R03 one right per exploration block
    case("r03_pass", (5500, 5500, 6500, 6500), "exploration", {"R01": "通过", "R03": "通过"}, {"applicant": "己公司", "main_mineral": "铁矿"})
    case("r03_fail", (500, 5500, 1500, 6500), "exploration", {"R03": "不通过"}, {"applicant": "己公司", "main_mineral": "铁矿"})
    case("r03_own_pass", (500, 5500, 1500, 6500), "exploration", {"R03": "通过"}, {"applicant": "乙公司", "main_mineral": "铁矿"})
    # The other holder's right R-2 overlaps the application by 500 m × 500 m: R03's evidence and R05's give the same area.
    a = (1500, 6500, 2500, 7500)
    case("r03_fail_overlap", a, "exploration", {"R03": "不通过", "R05": "不通过"}, {"applicant": "己公司", "main_mineral": "铁矿"},
         evidence=[ev("R03", "mineral_rights", "R-2", a, R["R-2"]), ev("R05", "mineral_rights", "R-2", a, R["R-2"])])
    # R04 no split / R05 no overlap with others' rights
    case("r04_fail", (12000, 500, 13000, 1500), "mining", {"R04": "不通过"}, {"applicant": "丁公司", "main_mineral": "煤"})
    case("r04_review_small_share", (20000, 0, 20500, 500), "mining", {"R04": "需人工核查"}, dict(lime))
    case("r04_pass", (20000, 0, 21500, 2000), "mining", {"R04": "通过"}, dict(lime))
    a = (10500, 500, 11500, 1500)
    case("r05_fail", a, "mining", {"R05": "不通过", "verdict": "不符合"}, {"applicant": "丁公司", "main_mineral": "煤"},
         evidence=[ev("R05", "mineral_rights", "R-1", a, R["R-1"])])
    case("r05_own_extension", a, "mining", {"R05": "通过", "R01": "不适用"}, {"applicant": "甲公司", "main_mineral": "煤",
         "existing_licence": "C1400002019011110000001"}, action="extension")
    case("r05_pass", (12000, 2000, 13000, 3000), "mining", {"R05": "通过"}, {"applicant": "丁公司", "main_mineral": "煤"})
    # R06 urban boundary (with the geothermal exception)
    a = (3500, 500, 4500, 1500)
    case("r06_fail", a, "mining", {"R06": "不通过"}, {"main_mineral": "石灰岩"},
         evidence=[ev("R06", "control_lines", "UDB-1", a, R["UDB-1"])])
    case("r06_geothermal_exempt", a, "mining", {"R06": "不适用"}, {"main_mineral": "地热"})
    case("r06_pass", (500, 500, 1500, 1500), "mining", {"R06": "通过"}, {"main_mineral": "石灰岩"})
    # R07 red line, R08 farmland, R09 nature reserve, R10 water source, R11 strategic reserve
    a = (7500, 1500, 8500, 2500)
    case("r07_fail", a, "exploration", {"R07": "不通过"}, {"main_mineral": "铁矿"}, evidence=[ev("R07", "control_lines", "ERL-1", a, R["ERL-1"])])
    case("r07_pass", (5500, 5500, 6500, 6500), "exploration", {"R07": "通过"}, {"main_mineral": "铁矿"})
    a = (24500, 500, 25500, 1500)
    case("r08_fail", a, "mining", {"R08": "不通过", "R13": "不通过"}, {"main_mineral": "砖瓦用粘土"},
         evidence=[ev("R08", "control_lines", "PBF-1", a, R["PBF-1"])])
    case("r08_pass", (24500, 0, 25500, 900), "mining", {"R08": "通过", "R13": "需人工核查"}, {"main_mineral": "砖瓦用粘土"})
    a = (12500, 2500, 13500, 3500)
    case("r09_fail", a, "mining", {"R09": "不通过"}, {"main_mineral": "煤"}, evidence=[ev("R09", "control_areas", "KZ-T-01", a, R["KZ-T-01"])])
    case("r09_pass", (12000, 2000, 13000, 3000), "mining", {"R09": "通过"}, {"main_mineral": "煤"})
    a = (10200, -2800, 10800, -1800)
    case("r10_fail", a, "exploration", {"R10": "不通过"}, {"main_mineral": "铁矿"}, evidence=[ev("R10", "control_areas", "KZ-T-02", a, R["KZ-T-02"])])
    case("r10_pass", (5500, 5500, 6500, 6500), "exploration", {"R10": "通过"}, {"main_mineral": "铁矿"})
    a = (16500, 1500, 17500, 2500)
    case("r11_fail", a, "mining", {"R11": "不通过"}, {"main_mineral": "煤"},
         evidence=[ev("R11", "strategic_reserve_zones", "ZLCB-T-01", a, R["ZLCB-T-01"])])
    case("r11_pass", (12000, 2000, 13000, 3000), "mining", {"R11": "通过"}, {"main_mineral": "煤"})
    # R12 concentrated zone count: ZL-T-01 planned 1 with R-3 granted 2022; ZL-T-02 planned 3, none granted
    case("r12_fail", (500, 500, 1500, 1500), "mining", {"R12": "不通过"}, dict(lime))
    case("r12_pass", (20500, 500, 21500, 1500), "mining", {"R12": "通过"}, dict(lime))
    # ZL-T-05 planned 2, one right granted within the period (R-5, on its first day; R-6 the day before does
    # not count): 1 + 1 = 2 = planned → 通过 (a `>=` instead of `>` fails it, and so does counting R-6).
    case("r12_at_count", (-28500, 1000, -27500, 2000), "mining", {"R12": "通过"}, dict(lime),
         desc="ZL-T-05 planned 2, R-5 granted 2021-01-01, R-6 2020-12-31: the application is the 2nd")
    # R13 prohibited uses
    case("r13_fail_premium", (20500, 500, 21500, 1500), "mining", {"R13": "不通过"},
         dict(lime, intended_use="建筑石料", premium_quality=True))
    case("r13_pass_premium", (20500, 500, 21500, 1500), "mining", {"R13": "通过"},
         dict(lime, intended_use="建筑石料", premium_quality=False))
    case("r13_fail_placer", (500, -3000, 1500, -2000), "mining", {"R13": "不通过"}, {"main_mineral": "砂金"})
    # Attribute rules on a coal application inside CK-T-02 away from everything
    coal = (-5400, 600, -4400, 1600)  # 69 % of CK-T-06, no rights, no control areas
    case("coal_all_pass", coal, "mining", {"R20": "通过", "R21": "通过", "R22": "通过", "R23": "通过", "R24": "通过", "R25": "通过",
         "R26": "通过", "R27": "通过", "verdict": "符合"}, dict(COAL_OK))
    case("r20_fail", coal, "mining", {"R20": "不通过"}, dict(COAL_OK, scale=10, reserves=500))
    case("r20_review_no_minimum", (20500, 500, 21500, 1500), "mining", {"R20": "需人工核查"}, dict(lime))
    case("r20_review_not_configured", coal, "mining", {"R20": "需人工核查"}, dict(COAL_OK, main_mineral="萤石"))
    case("r20_review_method", coal, "mining", {"R20": "需人工核查"}, {k: v for k, v in COAL_OK.items() if k != "mining_method"})
    case("r21_fail", coal, "mining", {"R21": "不通过"}, dict(COAL_OK, exploration_stage="详查", deposit_size="中型"))
    case("r21_pass_small", coal, "mining", {"R21": "通过"}, dict(COAL_OK, exploration_stage="详查", deposit_size="小型"))
    # R22 and R25 are 警告: failing one of them alone makes the verdict 需人工核查, not 符合 nor 不符合.
    case("r22_fail", coal, "mining", {"R22": "不通过", "verdict": "需人工核查"}, dict(COAL_OK, service_life=10))
    case("r23_fail", (20500, 500, 21500, 1500), "mining", {"R23": "不通过"}, dict(lime, scale=5))
    case("r23_pass", (20500, 500, 21500, 1500), "mining", {"R23": "通过"}, dict(lime, scale=3))
    case("r24_fail", coal, "mining", {"R24": "不通过", "verdict": "不符合"}, dict(COAL_OK, coal_existing_scale=200, mechanisation_pct=90))
    case("r25_fail", coal, "mining", {"R25": "不通过", "verdict": "需人工核查"}, dict(COAL_OK, for_profit=False))
    case("r26_fail", coal, "mining", {"R26": "不通过"}, dict(COAL_OK, green_mine_design=False))
    case("r27_fail", coal, "mining", {"R27": "不通过"}, dict(COAL_OK, eia_report=False))
    # Numeric thresholds, each at its value, just below and just above (a strict `>` for `>=` must fail one):
    # R20 minimum scale of underground coal 15 万吨/年 (mine_size_classes.csv), R24 existing coal scale 300 万吨/年
    # and mechanisation 100 %, R22 (reserves ÷ scale) ÷ life within [1/1.5, 1.5], R23 cap 10 万吨 for limestone
    # with R-3's 6 already licensed (headroom 4), R01's tolerance of 0.01 % of the area outside the block.
    for name, scale, want in (("at", 15, "通过"), ("below", 14.99, "不通过"), ("above", 15.01, "通过")):
        case(f"r20_min_scale_{name}", coal, "mining", {"R20": want}, dict(COAL_OK, scale=scale),
             desc=f"underground coal, minimum scale 15 万吨/年: {scale}")
    for name, v, want in (("at", 300, "通过"), ("below", 299.99, "不通过"), ("above", 300.01, "通过")):
        case(f"r24_existing_scale_{name}", coal, "mining", {"R24": want}, dict(COAL_OK, coal_existing_scale=v),
             desc=f"existing coal enterprise scale ≥ 300 万吨/年: {v}")
    case("r24_mechanisation_below", coal, "mining", {"R24": "不通过"}, dict(COAL_OK, mechanisation_pct=99.99),
         desc="mechanisation 100 % required: 99.99")
    # (reserves ÷ 100) ÷ 30: 4500 → 1.5 exactly, 2000 → 2/3 = 1/1.5 exactly (both divisions correctly rounded).
    for name, reserves, want in (("upper_at", 4500, "通过"), ("upper_above", 4501, "不通过"), ("lower_at", 2000, "通过"),
                                 ("lower_below", 1999, "不通过")):
        case(f"r22_ratio_{name}", coal, "mining", {"R22": want}, dict(COAL_OK, scale=100, service_life=30, reserves=reserves),
             desc=f"reserves {reserves} ÷ scale 100 ÷ life 30 against [1/1.5, 1.5]")
    for name, scale, want in (("at", 4, "通过"), ("above", 4.01, "不通过"), ("below", 3.99, "通过")):
        case(f"r23_cap_{name}", (20500, 500, 21500, 1500), "mining", {"R23": want}, dict(lime, scale=scale),
             desc=f"limestone cap 10 万吨, R-3 licensed 6: application {scale}")
    # R-3 expanding to 9.5: its licensed 6 is not counted again (without R-3, no limestone right is left to
    # count, hence 需人工核查): existing 0, headroom 10 - 9.5.
    case("r23_cap_own_expansion", (2100, 2100, 2400, 2400), "mining", {"R23": "需人工核查"},
         dict(lime, scale=9.5, existing_licence="C1400002022031130000003"), action="expansion",
         desc="limestone cap 10 万吨: R-3 (licensed 6) expands to 9.5; its own 6 is not counted",
         data=[{"rule": "R23", "pointer": "/existing", "value": 0.0, "rel_tol": 0.0},
               {"rule": "R23", "pointer": "/rights_counted", "value": 0.0, "rel_tol": 0.0},
               {"rule": "R23", "pointer": "/headroom", "value": 0.5, "rel_tol": 1e-12}])
    # CK-T-02's east edge is at 14000; a 1000 m × 1000 m application reaching past it by 0.05 m has 50 m² (0.005 %)
    # outside, within the 0.01 % tolerance; by 0.2 m, 200 m² (0.02 %) outside, beyond it.
    case("r01_sliver_within_tolerance", (13000.05, 1000, 14000.05, 2000), "mining", {"R01": "通过"}, {"main_mineral": "煤"})
    case("r01_sliver_beyond_tolerance", (13000.2, 1000, 14000.2, 2000), "mining", {"R01": "不通过"}, {"main_mineral": "煤"})
    # R04's 50 % share of the block (CK-T-03, 2000 m × 2000 m): 2000 m × 998 m = 49.9 % → 需人工核查, × 1002 m = 50.1 %
    # → 通过. Exactly 50 % cannot be pinned through geometry: the ellipsoidal ratio of two plane halves is 0.5 ± 1e-9.
    case("r04_share_below", (20000, 0, 22000, 998), "mining", {"R04": "需人工核查"}, dict(lime))
    case("r04_share_above", (20000, 0, 22000, 1002), "mining", {"R04": "通过"}, dict(lime))
    # Overlaps that are not overlaps: sharing an edge or a vertex with the nature reserve KZ-T-01 (13000..14000,
    # 3000..4000) is no overlap (R09 passes); the mining block CK-T-02 contains both.
    case("r09_edge_sharing", (12000, 3000, 13000, 4000), "mining", {"R09": "通过"}, {"main_mineral": "煤"})
    case("r09_vertex_touching", (12000, 2000, 13000, 3000), "mining", {"R09": "通过"}, {"main_mineral": "煤"})


    # R14 重点勘查区 / R15 重点矿区 planned numbers of rights (专栏12, 专栏13 rows 1-5)
    iron = {"applicant": "己公司", "main_mineral": "铁矿"}
    case("r14_pass", (500, 5500, 1500, 6500), "exploration", {"R14": "通过"}, dict(iron), desc="ZK-T-01 planned 1, R-2 granted 2020")
    case("r14_fail", (5500, 9500, 6500, 10500), "exploration", {"R14": "不通过"}, dict(iron), desc="ZK-T-02 planned 1, R-4 granted 2022")
    case("r14_outside", (5500, 5500, 6500, 6500), "exploration", {"R14": "不适用"}, dict(iron))
    case("r15_pass", (10500, 2000, 11500, 3000), "mining", {"R15": "通过", "R12": "不适用"}, {"main_mineral": "煤"},
         desc="ZL-T-03 planned 1, R-1 granted 2019")
    case("r15_fail", (500, 500, 1500, 1500), "mining", {"R15": "不通过", "R12": "不通过"}, dict(lime), desc="ZL-T-04 planned 1, R-3 2022")
    # R16-R18 restricted exploration areas (control_lines of the types the rules name)
    case("r16_fail", (-19500, 500, -18500, 1500), "exploration", {"R16": "不通过"},
         dict(iron, exploration_purpose="零星开采"), desc="inside LMD-1 for 零星开采 (警告)")
    case("r16_pass_purpose", (-19500, 500, -18500, 1500), "exploration", {"R16": "通过"}, dict(iron, exploration_purpose="详查"))
    case("r16_pass_outside", (-17900, 500, -16900, 1500), "exploration", {"R16": "通过"}, dict(iron, exploration_purpose="零星开采"),
         desc="100 m east of LMD-1")
    case("r16_review_purpose", (-19500, 500, -18500, 1500), "exploration", {"R16": "需人工核查"}, dict(iron))
    case("r16_edge_sharing", (-18000, 500, -17000, 1500), "exploration", {"R16": "通过"}, dict(iron, exploration_purpose="零星开采"),
         desc="shares LMD-1's east edge: no overlap")
    case("r17_fail", (-15500, 500, -14500, 1500), "exploration", {"R17": "不通过"}, {"main_mineral": "地下水"})
    case("r17_pass", (-15500, 500, -14500, 1500), "exploration", {"R17": "通过"}, dict(iron))
    case("r18_fail", (-11500, 500, -10500, 1500), "exploration", {"R18": "不通过", "verdict": "不符合"}, dict(iron))
    case("r18_fail_flag", (5500, 5500, 6500, 6500), "exploration", {"R18": "不通过"}, dict(iron, state_funded=True))
    case("r18_pass", (5500, 5500, 6500, 6500), "exploration", {"R18": "通过"}, dict(iron))
    case("r18_pass_flag", (-11500, 500, -10500, 1500), "exploration", {"R18": "通过"}, dict(iron, state_funded=False),
         desc="the applicant declares no state funding: the attribute decides")
    # R28 共伴生, R29 geothermal wells, R30 output within the licence (extension)
    case("r28_pass", coal, "mining", {"R28": "通过"}, dict(COAL_OK, associated_minerals="高岭岩", associated_use_plan=True))
    case("r28_fail", coal, "mining", {"R28": "不通过", "verdict": "不符合"}, dict(COAL_OK, associated_minerals="高岭岩",
         associated_use_plan=False))
    case("r28_review", coal, "mining", {"R28": "需人工核查"}, dict(COAL_OK, associated_minerals="高岭岩"))
    case("r28_review_unknown", coal, "mining", {"R28": "需人工核查"}, {k: v for k, v in COAL_OK.items() if k != "associated_minerals"})
    geo = {"main_mineral": "地热", "tail_water_reinjection": True, "well_output": 500}
    case("r29_fail_reinjection", coal, "mining", {"R29": "不通过"}, dict(geo, tail_water_reinjection=False))
    case("r29_review_no_minimum", coal, "mining", {"R29": "需人工核查"}, dict(geo), desc="the plan gives no number")
    for name, out, want in (("at", 500, "通过"), ("below", 499.9, "不通过"), ("above", 500.1, "通过")):
        case(f"r29_well_{name}", coal, "mining", {"R29": want}, dict(geo, well_output=out),
             parameters={"R29": {"minerals": ["地热", "地下热水"], "min_well_output": 500}},
             desc=f"a minimum of 500 m³/d set in the rule: {out}")
    case("r29_not_geothermal", coal, "mining", {"R29": "不适用"}, dict(COAL_OK))
    ext = {"applicant": "甲公司", "main_mineral": "煤", "existing_licence": "C1400002019011110000001", "scale_unit": "万吨/年"}
    for name, out, want in (("at", 300, "通过"), ("above", 300.01, "不通过"), ("below", 250, "通过")):
        case(f"r30_output_{name}", (10500, 500, 11500, 1500), "mining", {"R30": want}, dict(ext, licensed_scale=300, actual_output=out),
             action="extension", desc=f"licensed 300, produced {out}")
    case("r30_review", (10500, 500, 11500, 1500), "mining", {"R30": "需人工核查"}, dict(ext), action="extension")

    # Far from the central meridian (FAR above). (1) A GeoJSON application in lon/lat overlapping the western
    # nature reserve and inside the western coal block: every overlap is a lon/lat rectangle.
    blk, kz = FAR["mining_blocks"][0][1], FAR["control_areas"][0][1]
    app = (112.21, 39.89, 112.24, 39.91)
    # Geographic input is overlaid in the plan's zone (38): corners projected, edges straight in that plane; the
    # ellipsoid area of those plane polygons decides (clip and measure here, with cs2cs, not with GEOS).
    app_q = from_lonlat(ll_corners(app), 114)
    app_m2 = plane_polygon_equal_area_m2(app_q, 114)
    ov_m2 = plane_polygon_equal_area_m2(clip(app_q, from_lonlat(ll_corners(kz), 114)), 114)
    gj = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "测试西部煤矿"},
          "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ll_corners(app) + [ll_corners(app)[0]]]]}}]}
    write("apps/far_west_lonlat.geojson", json.dumps(gj, ensure_ascii=False) + "\n")
    far_desc = ("1.8° west of the zone-38 central meridian; overlay in the zone-38 plane, expected areas: clipped in the plane,"
                " densified, cs2cs " + " ".join(repr(a) for a in CEA[2:]) + ", then shoelace (plane areas would be ~6e-4 larger)")
    write("cases/far_west_lonlat.json", json.dumps({"description": far_desc, "application": "apps/far_west_lonlat.geojson",
        "kind": "mining", "action": "new", "attrs": {"main_mineral": "煤"},
        "expect": {"findings": {"R01": "通过", "R09": "不通过"}, "evidence": [
            {"rule": "R01", "layer": "mining_blocks", "feature_id": "CK-T-07", "overlap_m2": round(app_m2, 3),
             "overlap_pct": 100.0, "rel_tol": FAR_TOL},
            {"rule": "R09", "layer": "control_areas", "feature_id": "KZ-T-04", "overlap_m2": round(ov_m2, 3),
             "overlap_pct": round(100.0 * ov_m2 / app_m2, 6), "rel_tol": FAR_TOL}],
        # R04's share of the block: the application's ellipsoid area over the block's (a lon/lat rectangle, its
        # equal-area value here); a block measured on the plane would be ~6e-4 larger.
        "data": [{"rule": "R04", "pointer": "/block_share_pct/CK-T-07",
                  "value": round(100.0 * app_m2 / equal_area_m2(ll_corners(blk)), 6), "rel_tol": FAR_TOL}]}},
        ensure_ascii=False, indent=1) + "\n")
    # (2) A mining-right string in the neighbouring zone 37 (central meridian 111°E, prefix 37), a 1000 m square in
    # that plane, centred in the overlap of the western block and reserve: its ellipsoidal area, ~2.8e-4 below
    # 1e6 m², is the reserve overlap (the reserve covers it).
    cx, cy = from_lonlat([(112.245, 39.91)], 111)[0]
    sq = [(cx - 500, cy + 500), (cx + 500, cy + 500), (cx + 500, cy - 500), (cx - 500, cy - 500)]
    inp = "".join(f"{x:.2f} {y:.2f}\n" for x, y in sq)
    out = subprocess.run(["cs2cs", "-f", "%.10f", "+proj=tmerc +lat_0=0 +lon_0=111 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m",
                          "+to", "+proj=longlat +ellps=GRS80"], input=inp, capture_output=True, text=True, check=True).stdout
    sq_ll = [tuple(float(v) for v in line.split()[:2]) for line in out.strip().splitlines()]
    assert all(kz[0] < lon < blk[2] and kz[1] < lat < blk[3] for lon, lat in sq_ll)
    sq_m2 = equal_area_m2(sq_ll)
    write("apps/far_west_zone37.txt", "1,4," + "".join(f"{i},{y:.2f},{37e6 + x:.2f}," for i, (x, y) in enumerate(sq, 1)) +
          "1200,900,,1,\n")
    write("cases/far_west_zone37.json", json.dumps({"description": "zone 37 plane square, " + far_desc,
        "application": "apps/far_west_zone37.txt", "kind": "mining", "action": "new", "attrs": {"main_mineral": "煤"},
        "expect": {"findings": {"R01": "通过", "R09": "不通过"}, "evidence": [
            # Registered in the zone-37 plane: the plane area (1000 m × 1000 m) decides; the ellipsoid one is reported.
            {"rule": "R09", "layer": "control_areas", "feature_id": "KZ-T-04", "overlap_m2": 1e6, "overlap_plane_m2": 1e6,
             "overlap_ellipsoid_m2": round(sq_m2, 3), "overlap_pct": 100.0, "rel_tol": FAR_TOL}]}}, ensure_ascii=False, indent=1) + "\n")

    # Input problems caught while reading coordinates
    e1, n1, e2, n2 = coal
    swapped = "1,4," + "".join(f"{i},{38e6 + E0 + e:.2f},{N0 + n:.2f}," for i, (n, e) in enumerate([(n2, e1), (n2, e2), (n1, e2), (n1, e1)], 1)) + "1200,900,,1,\n"
    write("apps/input_swapped.txt", swapped)
    write("cases/input_swapped.json", json.dumps({"description": "X/Y swapped: corrected, noted, verdict at best review",
        "application": "apps/input_swapped.txt", "kind": "mining", "action": "new", "attrs": COAL_OK,
        "expect": {"verdict": "需人工核查", "findings": {"R00": "需人工核查", "R01": "通过"}}}, ensure_ascii=False, indent=1) + "\n")
    nozone = "1,4," + "".join(f"{i},{N0 + n:.2f},{E0 + e:.2f}," for i, (n, e) in enumerate([(n2, e1), (n2, e2), (n1, e2), (n1, e1)], 1)) + "1200,900,,1,\n"
    write("apps/input_no_zone.txt", nozone)
    write("cases/input_no_zone.json", json.dumps({"description": "no zone prefix: zone 38 assumed and noted",
        "application": "apps/input_no_zone.txt", "kind": "mining", "action": "new", "attrs": COAL_OK,
        "expect": {"verdict": "需人工核查", "findings": {"R00": "需人工核查", "R01": "通过"}}}, ensure_ascii=False, indent=1) + "\n")
    write("apps/input_outside_city.txt", mining_string((60000, 0, 61000, 1000)))
    write("cases/input_outside_city.json", json.dumps({"description": "outside the (test) city", "application": "apps/input_outside_city.txt",
        "kind": "mining", "expect": {"error": "行政区内，本规划不适用"}}, ensure_ascii=False, indent=1) + "\n")
    write("apps/input_bad_dms.txt", "1,4,113.7560,39.8500,113.7700,39.8500,113.7700,39.8400,113.7560,39.8400,0,,\n")
    write("cases/input_bad_dms.json", json.dumps({"description": "decimal degrees in a packed-DMS string", "application": "apps/input_bad_dms.txt",
        "kind": "exploration", "expect": {"error": "应小于60"}}, ensure_ascii=False, indent=1) + "\n")
    write("apps/input_zone37.txt", mining_string((0, 0, 1000, 1000)).replace(",38", ",34"))
    write("cases/input_outside_province.json", json.dumps({"description": "zone 34 prefix puts it outside Shanxi",
        "application": "apps/input_zone37.txt", "kind": "mining", "expect": {"error": "不在山西省范围内"}}, ensure_ascii=False, indent=1) + "\n")

    # One application (r09_fail's rectangle) in every input format: same verdict and results expected.
    a = (12500, 2500, 13500, 3500)
    pts = corners(a)
    ll = to_lonlat(pts + [pts[0]])
    write("formats/app.mining.txt", mining_string(a))
    write("formats/app.exploration.txt", "1,4," + "".join(f"{dms(lon)},{dms(lat)}," for lon, lat in ll[:4]) + "0,,\n")
    land = ("[属性描述]\n坐标系=2000国家大地坐标系\n几度分带=3\n投影类型=高斯克吕格\n计量单位=米\n带号=38\n[地块坐标]\n"
            "5,100.0000,KQ-T,测试煤矿,面,,,,,,,,,@\n" +
            "".join(f"J{i},1,{N0 + n:.2f},{38e6 + E0 + e:.2f}\n" for i, (e, n) in enumerate(pts + [pts[0]], 1)))
    write("formats/app.land.txt", land.replace("\n", "\r\n"), encoding="gbk")
    reg = ("[登记项目]\n矿山名称=测试煤矿\n坐标系统=2000国家大地坐标系\n矿区范围拐点坐标与标高的总行数=5\n" +
           "".join(f"XY{i:03d}={i},{N0 + n:.2f},{38e6 + E0 + e:.2f}\n" for i, (e, n) in enumerate(pts, 1)) + "XY005=标高,1200,900,,1\n")
    write("formats/app.registration.txt", reg.replace("\n", "\r\n"), encoding="gbk")
    gj = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "测试煤矿"},
          "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ll]]}}]}
    write("formats/app.geojson", json.dumps(gj, ensure_ascii=False) + "\n")
    for ext, drv in (("shp", "ESRI Shapefile"), ("gpkg", "GPKG")):
        out = os.path.join(HERE, "formats", f"app.{ext}")
        for suffix in ((".shp", ".shx", ".dbf", ".prj", ".cpg") if ext == "shp" else (".gpkg",)):
            p = os.path.splitext(out)[0] + suffix
            if os.path.exists(p): os.remove(p)
        subprocess.run(["ogr2ogr", "-f", drv, "-a_srs", "EPSG:4490"] + (["-lco", "ENCODING=UTF-8"] if ext == "shp" else []) + [out, os.path.join(HERE, "formats", "app.geojson")], check=True)
    write("formats/attrs.json", json.dumps({"applicant": "丁公司", "main_mineral": "煤"}, ensure_ascii=False, indent=1) + "\n")
    write("formats/attrs.toml", '# 同 attrs.json\napplicant = "丁公司"\nmain_mineral = "煤"\n')


if __name__ == "__main__":
    main()
