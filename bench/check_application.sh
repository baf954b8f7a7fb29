# Sourced by bench/latency.sh, bench/ab_compare.sh and bench/pg_store_compare.sh: the benchmark's application, a 1.7 km × 1.1 km coal mining
# application centred at LON,LAT, written as a mining-right coordinate string (CGCS2000 3° Gauss–Krüger zone 38,
# X north, Y east with the zone number: the format reviewers receive) to DIR/app.txt and as the same rectangle in
# GeoJSON (EPSG:4526, the portal's pasted GeoJSON) to DIR/app.geojson; CHECK_QUERY holds its attributes.
#   write_check_application LON,LAT DIR
CHECK_QUERY="kind=mining&main_mineral=%E7%85%A4%E7%82%AD&scale=120&scale_unit=%E4%B8%87%E5%90%A8%2F%E5%B9%B4"
write_check_application() {
  local lon lat east north
  IFS=, read -r lon lat <<<"$1"
  read -r east north <<<"$(echo "$lon $lat" | gdaltransform -s_srs EPSG:4490 -t_srs EPSG:4526 -output_xy)"
  python3 - "$east" "$north" >"$2/app.txt" <<'PY'
import sys
e, n = float(sys.argv[1]), float(sys.argv[2])
pts = [(n - 550, e - 850), (n - 550, e + 850), (n + 550, e + 850), (n + 550, e - 850)]
print("1,4," + ",".join(f"{i + 1},{x:.2f},{y:.2f}" for i, (x, y) in enumerate(pts)) + ",1200,900,,1,")
PY
  python3 - "$east" "$north" >"$2/app.geojson" <<'PY'
import json, sys
e, n = float(sys.argv[1]), float(sys.argv[2])
ring = [(e - 850, n - 550), (e + 850, n - 550), (e + 850, n + 550), (e - 850, n + 550), (e - 850, n - 550)]
print(json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4526"}},
                  "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))
PY
}
