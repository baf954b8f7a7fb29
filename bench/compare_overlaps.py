#!/usr/bin/env python3
"""Compares minplan's per-right overlaps (CSV of `minplan audit --overlaps`: right_id,layer,feature_id,overlap_m2)
with PostGIS's (same columns, full precision) for the layers given, and exits 1 when they disagree:
  * a pair on one side only whose area is at or above the tolerance (PostGIS pairs below it may be dropped
    by minplan: that is the rule tolerance, 1 m² by default, and counted as such);
  * an area, per (right, feature) pair or summed per (right, layer), differing by more than REL relative.
minplan prints 3 decimals, so a difference up to half a unit of the last printed digit (0.0005 m²) is the
printing, not the engine: it is allowed on top of REL and reported separately.
Usage: compare_overlaps.py MINPLAN.csv POSTGIS.csv [--layers control_lines] [--min-m2 1]
                           [--rel 1e-6] [--decimals 3]"""
import argparse
import csv
import sys
from collections import defaultdict

ap = argparse.ArgumentParser()
ap.add_argument("minplan")
ap.add_argument("postgis")
ap.add_argument("--layers", default="control_lines")
ap.add_argument("--min-m2", type=float, default=1.0)
ap.add_argument("--rel", type=float, default=1e-6)
ap.add_argument("--decimals", type=int, default=3)
a = ap.parse_args()
layers = set(a.layers.split(","))
print_slack = 0.5 * 10 ** -a.decimals + 1e-9


def read(path, check_header):
    rows, other = {}, defaultdict(int)
    with open(path, encoding="utf-8", newline="") as f:
        head = f.read(1)
        if check_header and head == "\ufeff":
            sys.exit(f"{path}: starts with a BOM; the overlaps CSV must be UTF-8 without BOM")
        f.seek(0)
        r = csv.reader(f)
        header = next(r)
        if header != ["right_id", "layer", "feature_id", "overlap_m2"]:
            sys.exit(f"{path}: header {header}, expected right_id,layer,feature_id,overlap_m2")
        for row in r:
            right, layer, fid, m2 = row
            if layer not in layers:
                other[layer] += 1
                continue
            key = (right, layer, fid)
            if key in rows:
                sys.exit(f"{path}: pair {key} twice")
            rows[key] = float(m2)
    return rows, other


mp, mp_other = read(a.minplan, True)
pg, _ = read(a.postgis, False)
thr = a.min_m2 * (1 + a.rel) + print_slack  # PostGIS pairs clearly above the tolerance must be in minplan's list

matched = [k for k in mp if k in pg]
only_mp = sorted(k for k in mp if k not in pg)
only_pg_all = [k for k in pg if k not in mp]
only_pg_missing = sorted(k for k in only_pg_all if pg[k] >= thr)
only_pg_below = [k for k in only_pg_all if pg[k] < a.min_m2 * (1 - a.rel)]
only_pg_edge = [k for k in only_pg_all if a.min_m2 * (1 - a.rel) <= pg[k] < thr]
mp_below = [k for k in mp if mp[k] < a.min_m2 - print_slack]


def rel(x, y):
    return abs(x - y) / max(abs(y), 1e-300)


worst_pair = max(matched, key=lambda k: rel(mp[k], pg[k]), default=None)
bad_pairs = [k for k in matched if abs(mp[k] - pg[k]) > a.rel * abs(pg[k]) + print_slack]
# per (right, layer): sums over the pairs both sides report
sum_mp, sum_pg, n_pairs = defaultdict(float), defaultdict(float), defaultdict(int)
for k in matched:
    sum_mp[k[:2]] += mp[k]
    sum_pg[k[:2]] += pg[k]
    n_pairs[k[:2]] += 1
per_rl = sorted(sum_mp, key=lambda rl: -rel(sum_mp[rl], sum_pg[rl]))
bad_rl = [rl for rl in per_rl if abs(sum_mp[rl] - sum_pg[rl]) > a.rel * abs(sum_pg[rl]) + n_pairs[rl] * print_slack]

print(f"layers compared: {', '.join(sorted(layers))}; tolerance {a.min_m2} m², relative {a.rel:g}, minplan printed to {a.decimals} decimals")
print(f"pairs: minplan {len(mp)}, PostGIS {len(pg)} (of which {len(only_pg_below)} below {a.min_m2} m², dropped by the rule tolerance)")
if mp_other:
    print("minplan rows of other layers, not compared (not loaded into PostGIS): " + ", ".join(f"{l} {n}" for l, n in sorted(mp_other.items())))
print(f"matched pairs: {len(matched)}")
print(f"only in minplan: {len(only_mp)}")
for k in only_mp[:20]:
    print(f"  {k[0]} {k[1]} {k[2]} minplan {mp[k]:.3f} m²")
print(f"only in PostGIS at or above the tolerance: {len(only_pg_missing)}" + (f" (+{len(only_pg_edge)} within the rounding of the tolerance, not counted)" if only_pg_edge else ""))
for k in only_pg_missing[:20]:
    print(f"  {k[0]} {k[1]} {k[2]} PostGIS {pg[k]:.6f} m²")
if mp_below:
    print(f"minplan pairs below the tolerance: {len(mp_below)}")
if worst_pair:
    k = worst_pair
    print(f"largest relative difference per pair: {rel(mp[k], pg[k]):.3e} ({k[0]} {k[1]} {k[2]}: minplan {mp[k]:.3f}, PostGIS {pg[k]:.6f} m²)")
big = [k for k in matched if pg[k] >= 1000]
if big:
    k = max(big, key=lambda k: rel(mp[k], pg[k]))
    print(f"largest relative difference per pair of 1,000 m² or more (printing rounding ≤ 5e-7): {rel(mp[k], pg[k]):.3e} ({k[0]} {k[2]})")
if per_rl:
    print("largest relative differences per (right, layer), summed over the pair areas:")
    for rl in per_rl[:5]:
        print(f"  {rl[0]} {rl[1]}: minplan {sum_mp[rl]:.3f} m², PostGIS {sum_pg[rl]:.6f} m² over {n_pairs[rl]} pairs, relative {rel(sum_mp[rl], sum_pg[rl]):.3e}")
print(f"pairs beyond {a.rel:g} relative + printing: {len(bad_pairs)}; (right, layer) sums beyond: {len(bad_rl)}")
for k in bad_pairs[:20]:
    print(f"  {k[0]} {k[1]} {k[2]}: minplan {mp[k]:.3f}, PostGIS {pg[k]:.6f}")
ok = not only_mp and not only_pg_missing and not bad_pairs and not bad_rl and not mp_below
print("AREAS AGREE" if ok else "AREAS DISAGREE")
sys.exit(0 if ok else 1)
