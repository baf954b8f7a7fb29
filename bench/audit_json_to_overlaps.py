#!/usr/bin/env python3
"""SHIM, development only: turns `minplan audit --format json` into the CSV of `minplan audit --overlaps FILE`
(right_id,layer,feature_id,overlap_m2; UTF-8 without BOM; 3 decimals; one row per right and plan feature).
It only sees the overlaps that some rule reported as evidence (a rule that does not apply to a right reports
none), so it under-reports; bench/postgis_compare.sh uses it only with --shim, and says so.
Usage: audit_json_to_overlaps.py AUDIT.json OUT.csv"""
import csv
import json
import sys

rows = {}
for right in json.load(open(sys.argv[1], encoding="utf-8")):
    for finding in right["findings"]:
        for e in finding["evidence"]:
            rows[(right["right_id"], e["layer"], e["feature_id"])] = e["overlap_m2"]
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["right_id", "layer", "feature_id", "overlap_m2"])
    for (r, layer, fid), m2 in sorted(rows.items()):
        w.writerow([r, layer, fid, f"{m2:.3f}"])
